"""Writes of leavers and exit conversations. Each runs in a transaction and validates fully.

The admin's ``save_model``, the manager's form, the importer and the demo loader call
these, so a rule is enforced once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from access.scoping import access_for
from leavers.models import Destination, ExitConversation, ExitReason, Leaver, LeavingCategory
from leavers.rules import DERIVED_FIELDS, check_reasons
from workforce.models import Assignment, Worker
from workforce.services import end_assignment

RECORD_PERMISSION = "leavers.record_exit_conversation"


@transaction.atomic
def save_leaver(*, leaver: Leaver, user: Any = None) -> Leaver:
    """Validate and save ``leaver``; a new one derives its figures and ends the worker's posts.

    The worker's employee assignments still active after the leaving date end on it, so
    each post is vacant from the next day. Assignments already ending that day are left.
    """
    adding = leaver._state.adding
    if adding and user is not None and getattr(user, "is_authenticated", False):
        leaver.recorded_by = user
    # The derived fields are filled in by ``clean()``, so they are not checked before it.
    leaver.full_clean(exclude=list(DERIVED_FIELDS) if adding else None)
    leaver.save()
    if adding:
        ongoing = (
            Assignment.objects.employees()
            .filter(worker_id=leaver.worker_id, start__lte=leaver.leaving_date)
            .filter(Q(end__isnull=True) | Q(end__gt=leaver.leaving_date))
            .select_related("post", "worker")
        )
        for assignment in ongoing:
            end_assignment(assignment=assignment, last_day=leaver.leaving_date)
    return leaver


def record_leaver(
    *, worker: Worker, leaving_date: dt.date, category: LeavingCategory, user: Any = None
) -> Leaver:
    """Record ``worker`` leaving on ``leaving_date`` for ``category`` and end their posts that day."""
    return save_leaver(leaver=Leaver(worker=worker, leaving_date=leaving_date, category=category), user=user)


def may_record_conversation(user: Any, leaver: Leaver) -> bool:
    """Return whether ``user`` may record or change the exit conversation of ``leaver``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.has_perm(RECORD_PERMISSION) and access_for(user).allows_team(leaver.team_id)


@transaction.atomic
def save_exit_conversation(
    *, conversation: ExitConversation, reasons: Iterable[ExitReason], user: Any, imported: bool = False
) -> ExitConversation:
    """Validate and save ``conversation`` with ``reasons``, if ``user`` may record it.

    Only the managers of the leaver's last team (and HR) may; anyone else gets
    ``PermissionDenied``. With ``imported``, the conversation comes from an import, whose
    caller has already decided who may run one (HR in the admin, or the server's command
    line, where there is no user).
    """
    if not imported and not may_record_conversation(user, conversation.leaver):
        raise PermissionDenied(
            "Only the manager of the leaver's last team (or HR) records this conversation."
        )
    already = list(conversation.reasons.all()) if conversation.pk else []
    reasons = list(reasons)
    conversation.full_clean()
    check_reasons(reasons, already=already)
    if conversation.recorded_by_id is None and getattr(user, "is_authenticated", False):
        conversation.recorded_by = user
    conversation.save()
    conversation.reasons.set(reasons)
    return conversation


def record_exit_conversation(
    *,
    leaver: Leaver,
    held_on: dt.date,
    destination: Destination,
    reasons: Iterable[ExitReason],
    user: Any,
    notes: str = "",
    quote: str = "",
    quote_consent: bool = False,
) -> ExitConversation:
    """Record (or correct) the exit conversation of ``leaver``; there is one per leaver."""
    conversation = ExitConversation.objects.filter(leaver=leaver).first() or ExitConversation(leaver=leaver)
    conversation.held_on = held_on
    conversation.destination = destination
    conversation.notes = notes
    conversation.quote = quote
    conversation.quote_consent = quote_consent
    return save_exit_conversation(conversation=conversation, reasons=reasons, user=user)
