"""Writes of planning records. Each runs in a transaction and validates fully; the admin, the
planning page, the importer and the demo loader call these, so a rule is enforced once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from planning.models import PipelineCohort, Scenario, ScenarioLever
from workforce.models import Team


@transaction.atomic
def save_cohort(*, cohort: PipelineCohort, teams: Iterable[Team] | None = None) -> PipelineCohort:
    """Validate and save a pipeline cohort; with ``teams``, set the teams it will join."""
    cohort.full_clean()
    cohort.save()
    if teams is not None:
        cohort.teams.set(list(teams))
    return cohort


def may_change_scenario(user: Any, scenario: Scenario) -> bool:
    """Return whether ``user`` may change or delete ``scenario``: its owner only."""
    return bool(getattr(user, "is_authenticated", False)) and scenario.owner_id == user.pk


@transaction.atomic
def save_scenario(*, scenario: Scenario, levers: Iterable[ScenarioLever], user: Any) -> Scenario:
    """Validate and save ``scenario`` with exactly ``levers`` (replacing any it had), owned by ``user``.

    A new scenario becomes ``user``'s; someone else's cannot be changed (``PermissionDenied``).
    Every lever is checked before anything is written; a lever's errors name its row (from 1).
    """
    if scenario.pk is None:
        scenario.owner = user
    elif not may_change_scenario(user, Scenario.objects.get(pk=scenario.pk)):
        raise PermissionDenied("Only the scenario's owner can change it.")
    scenario.full_clean()
    levers = list(levers)
    problems: dict[str, list[str]] = {}
    for number, lever in enumerate(levers, 1):
        try:
            lever.full_clean(exclude=["scenario"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                problems.setdefault("levers", []).extend(
                    f"Lever {number}, {field.replace('_', ' ')}: {message}" for message in messages
                )
    if problems:
        raise ValidationError(problems)
    scenario.save()
    scenario.levers.all().delete()
    for order, lever in enumerate(levers):
        lever.pk = None
        lever.scenario = scenario
        lever.order = order
        lever.save()
    return scenario


@transaction.atomic
def delete_scenario(*, scenario: Scenario, user: Any) -> None:
    """Delete ``scenario`` if ``user`` owns it. Reports that used it keep their frozen figures."""
    if not may_change_scenario(user, scenario):
        raise PermissionDenied("Only the scenario's owner can delete it.")
    scenario.delete()
