"""The planning stage of ``load_demo``: the trainees coming through (as the 2019 paper has them:
Frontline students qualifying this September and next, apprentices finishing in two summers'
time, a university partnership's students) and two shared scenarios the director has made."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from foundation.periods import add_months
from planning import services
from planning.models import CohortKind, LeverKind, PipelineCohort, Scenario, ScenarioLever
from workforce.models import Role, Team

TITLE = "Planning (trainees and cohorts coming through, two shared scenarios)"


def _september_after(today: dt.date) -> dt.date:
    year = today.year if today < dt.date(today.year, 9, 1) else today.year + 1
    return dt.date(year, 9, 1)


def build(*, today: dt.date, stdout: Any = None) -> bool:
    """Build the demonstration cohorts and scenarios; False if they are already there."""
    if PipelineCohort.objects.exists():
        return False
    social_worker = Role.objects.get(code="social-worker")
    teams = {team.name: team for team in Team.objects.all()}
    september = _september_after(today)
    protection = ["Child Protection East", "Child Protection West", "Child Protection Central"]
    cohorts = [
        ("Frontline cohort qualifying this September", CohortKind.FRONTLINE, 3, september, -14, protection),
        (
            "Frontline cohort qualifying next September",
            CohortKind.FRONTLINE,
            5,
            add_months(september, 12),
            -2,
            [],
        ),
        (
            "Social work apprentices finishing their degree",
            CohortKind.APPRENTICESHIP,
            6,
            dt.date(september.year + 1, 7, 31),
            -24,
            ["Front Door North", "Front Door South"],
        ),
        (
            "University partnership students",
            CohortKind.UNIVERSITY,
            4,
            dt.date(september.year, 7, 1),
            -12,
            ["Children in Care North", "Children in Care South"],
        ),
    ]
    for name, kind, headcount, expected, known_months, team_names in cohorts:
        services.save_cohort(
            cohort=PipelineCohort(
                name=name,
                kind=kind,
                headcount=headcount,
                expected_on=expected,
                known_from=min(add_months(september, known_months), today),
                role=social_worker,
            ),
            teams=[teams[name] for name in team_names if name in teams],
        )

    director, _ = get_user_model().objects.get_or_create(username="director")
    april = dt.date(today.year + (today.month >= 4), 4, 1)
    services.save_scenario(
        scenario=Scenario(
            name="Stop the additional capacity from April",
            shared=True,
            description="The temporary posts approved for additional capacity end on 1 April.",
        ),
        levers=[ScenarioLever(kind=LeverKind.CAPACITY, starts_on=april)],
        user=director,
    )
    services.save_scenario(
        scenario=Scenario(
            name="Seven social worker posts and a market premium",
            shared=True,
            description="Seven permanent social worker posts added next quarter, and turnover two points "
            "lower with the market premium.",
        ),
        levers=[
            ScenarioLever(
                kind=LeverKind.POSTS,
                role=social_worker,
                fte=Decimal("7"),
                starts_on=add_months(today, 3).replace(day=1),
            ),
            ScenarioLever(kind=LeverKind.TURNOVER, points=Decimal("-2")),
        ],
        user=director,
    )
    return True
