"""Builders for planning records (cohorts and scenarios). Each writes through the planning services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from planning import services
from planning.models import CohortKind, PipelineCohort, Scenario, ScenarioLever
from tests import factories
from workforce.models import Team


def cohort(
    *,
    name: str = "Frontline 2024",
    kind: str = CohortKind.FRONTLINE,
    headcount: int = 3,
    expected_on: dt.date = dt.date(2024, 9, 1),
    known_from: dt.date = dt.date(2023, 9, 1),
    role_code: str | None = "social-worker",
    teams: list[Team] | None = None,
) -> PipelineCohort:
    return services.save_cohort(
        cohort=PipelineCohort(
            name=name,
            kind=kind,
            headcount=headcount,
            expected_on=expected_on,
            known_from=known_from,
            role=factories.role(role_code) if role_code else None,
        ),
        teams=teams,
    )


def lever(kind: str, **fields: Any) -> ScenarioLever:
    """Return an unsaved lever; ``role_code`` and decimals given as text are converted."""
    role_code = fields.pop("role_code", None)
    if role_code:
        fields["role"] = factories.role(role_code)
    for name in ("fte", "points"):
        if isinstance(fields.get(name), str | int):
            fields[name] = Decimal(str(fields[name]))
    return ScenarioLever(kind=kind, **fields)


def scenario(
    *, owner: Any, name: str = "What if", levers: list[ScenarioLever] = (), shared: bool = False
) -> Scenario:
    return services.save_scenario(scenario=Scenario(name=name, shared=shared), levers=levers, user=owner)
