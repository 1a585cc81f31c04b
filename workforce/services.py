"""Writes to the establishment. Each runs in a transaction and validates with ``full_clean``.

The admin's ``save_model``, the importer and the demo loader call these, so every
rule is applied the same way wherever a record comes from.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from workforce.agency_services import link_supplier
from workforce.models import Absence, Assignment, Post, ServiceArea, Team, Worker


def _lock_post(post: Post) -> None:
    """Lock the post's row so two writers cannot overfill it at once (PostgreSQL)."""
    Post.objects.select_for_update().filter(pk=post.pk).exists()


@transaction.atomic
def save_service_area(*, area: ServiceArea) -> ServiceArea:
    """Validate and save ``area``."""
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def save_team(*, team: Team) -> Team:
    """Validate and save ``team`` (its managers are set separately, after it has a key)."""
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def save_post(*, post: Post) -> Post:
    """Validate and save ``post``."""
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def save_worker(*, worker: Worker) -> Worker:
    """Validate and save ``worker``."""
    worker.full_clean()
    worker.save()
    return worker


@transaction.atomic
def save_assignment(*, assignment: Assignment) -> Assignment:
    """Validate and save ``assignment`` (new or changed), holding a lock on its post."""
    if assignment.post_id:
        _lock_post(assignment.post)
    link_supplier(assignment)
    assignment.full_clean()
    assignment.save()
    return assignment


def assign_worker(
    *,
    worker: Worker,
    post: Post,
    start: dt.date,
    fte: Decimal,
    contract: str,
    end: dt.date | None = None,
    **agency: Any,
) -> Assignment:
    """Put ``worker`` in ``post`` from ``start``; agency details go in ``agency``."""
    return save_assignment(
        assignment=Assignment(
            worker=worker, post=post, start=start, end=end, fte=fte, contract=contract, **agency
        )
    )


@transaction.atomic
def end_assignment(*, assignment: Assignment, last_day: dt.date) -> Assignment:
    """End ``assignment`` on ``last_day`` (the post is vacant from the day after)."""
    assignment.end = last_day
    return save_assignment(assignment=assignment)


@transaction.atomic
def save_absence(*, absence: Absence) -> Absence:
    """Validate and save ``absence``."""
    absence.full_clean()
    absence.save()
    return absence
