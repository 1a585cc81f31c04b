"""Reads of saved scenarios: which a person may see, and their levers within a forecast's scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from planning.engine import Lever
from planning.models import Scenario, ScenarioLever
from planning.selectors.inputs import covers_every_team, team_in_scope
from workforce.scopes import Scope


def visible_scenarios(user: Any) -> QuerySet[Scenario]:
    """Return the scenarios ``user`` may see: their own and those shared, by name."""
    if not getattr(user, "is_authenticated", False):
        return Scenario.objects.none()
    return (
        Scenario.objects.filter(Q(owner=user) | Q(shared=True)).select_related("owner").order_by("name", "pk")
    )


def applicable(levers: Iterable[ScenarioLever], scope: Scope) -> tuple[Lever, ...]:
    """Return ``levers`` (saved or not, their teams at hand) as the forecast for ``scope`` reads
    them. A lever for a team outside the scope, or for a role other than the scope's, does not
    apply; a lever with no team applies only where the scope covers every team."""
    applied = []
    for lever in levers:
        if lever.team is not None and not team_in_scope(scope, lever.team):
            continue
        if lever.team is None and not covers_every_team(scope):
            continue
        if scope.role_id is not None and lever.role_id not in (None, scope.role_id):
            continue
        applied.append(
            Lever(
                kind=lever.kind,
                role_id=lever.role_id,
                fte=lever.fte,
                points=lever.points,
                starts_on=lever.starts_on,
            )
        )
    return tuple(applied)


def levers_in_scope(scenario: Scenario, scope: Scope) -> tuple[Lever, ...]:
    """Return ``scenario``'s levers as the forecast for ``scope`` reads them (``applicable``). One
    query: the levers with their teams."""
    return applicable(scenario.levers.select_related("team").order_by("order", "pk"), scope)
