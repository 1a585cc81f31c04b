"""The rules of leavers and exit conversations, each failure naming the field to correct.

``check_leaver`` is called from ``Leaver.clean()`` and also derives what a leaver's
record states about the departure (FTE at leaving, length of service, last team, role
and post) from the worker's assignments, so every way in applies the same rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from foundation.dates import long_date

if TYPE_CHECKING:
    from leavers.models import ExitConversation, ExitReason, Leaver

DERIVED_FIELDS = (
    "fte_at_leaving",
    "service_start",
    "service_days",
    "service_years",
    "team",
    "role",
    "post",
    "contract",
)


def completed_years(start: dt.date, end: dt.date) -> int:
    """Return the whole years of service from ``start`` to ``end`` (calendar years, not 365 days)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(0, years)


def _day(value: dt.date) -> str:
    return f"{long_date(value)}"


def check_leaver(leaver: Leaver) -> None:
    """Raise ``ValidationError`` naming the field if ``leaver`` breaks a rule; derive its figures.

    A new leaver must be an employee holding a post on the leaving date, leave on or after
    the start of continuous service, and not already be recorded for the same departure.
    """
    from leavers.models import Leaver

    if leaver.worker_id is None or leaver.leaving_date is None:
        return  # the field validators report what is missing
    stored = Leaver.objects.filter(pk=leaver.pk).values("worker_id", "leaving_date", "category_id").first()
    if leaver.category_id is not None and not leaver.category.active:
        if stored is None or stored["category_id"] != leaver.category_id:
            raise ValidationError(
                {"category": f"The category “{leaver.category.name}” is retired; choose a current one."}
            )
    if stored is not None:
        if (stored["worker_id"], stored["leaving_date"]) != (leaver.worker_id, leaver.leaving_date):
            raise ValidationError(
                {
                    "leaving_date": "The worker and leaving date of a recorded leaver cannot be changed; "
                    "delete the record and record the departure again."
                }
            )
        return
    _derive_departure(leaver)


def _derive_departure(leaver: Leaver) -> None:
    from workforce.models import EMPLOYEE_CONTRACTS

    worker, day = leaver.worker, leaver.leaving_date
    assignments = list(worker.assignments.select_related("post__team", "post__role").order_by("start", "pk"))
    employed = [a for a in assignments if a.contract in EMPLOYEE_CONTRACTS]
    if not employed:
        if assignments:
            raise ValidationError(
                {
                    "worker": f"{worker} is an agency worker: only employees (permanent or fixed-term) "
                    "are leavers. End the agency assignment instead."
                }
            )
        raise ValidationError({"worker": f"{worker} has never held an employee post, so cannot be a leaver."})

    previous = worker.leavings.exclude(pk=leaver.pk).order_by("-leaving_date").first()
    if previous is not None and not any(previous.leaving_date < a.start <= day for a in employed):
        raise ValidationError(
            {
                "worker": f"{worker} is already recorded as leaving on {_day(previous.leaving_date)} "
                f"({previous.category.name}). Correct that record rather than adding another."
            }
        )

    spell = [a for a in employed if previous is None or a.start > previous.leaving_date]
    service_start = worker.service_start or min(a.start for a in spell)
    if day < service_start:
        raise ValidationError(
            {
                "leaving_date": f"The leaving date {_day(day)} is before the start of continuous service "
                f"({_day(service_start)})."
            }
        )
    on_day = [a for a in spell if a.start <= day and (a.end is None or a.end >= day)]
    if not on_day:
        last_end = max((a.end for a in spell if a.end), default=None)
        ended = f" (their last employee assignment ended on {_day(last_end)})" if last_end else ""
        raise ValidationError(
            {
                "leaving_date": f"{worker} holds no employee post on {_day(day)}{ended}: the leaving date "
                "is the last day in post."
            }
        )
    later = [a for a in spell if a.start > day]
    if later:
        raise ValidationError(
            {
                "leaving_date": f"{worker} has an employee assignment starting after the leaving date "
                f"(post {later[0].post.reference} from {_day(later[0].start)}); change or remove it first."
            }
        )

    main = max(on_day, key=lambda a: (a.fte, a.start, a.pk or 0))
    leaver.fte_at_leaving = sum((a.fte for a in on_day), Decimal("0"))
    leaver.service_start = service_start
    leaver.service_days = (day - service_start).days
    leaver.service_years = completed_years(service_start, day)
    leaver.post = main.post
    leaver.team = main.post.team
    leaver.role = main.post.role
    leaver.contract = main.contract


def check_exit_conversation(conversation: ExitConversation) -> None:
    """Raise ``ValidationError`` naming the field if ``conversation`` breaks a rule."""
    from leavers.models import ExitConversation

    errors: dict[str, str] = {}
    if conversation.held_on is not None:
        if conversation.held_on > timezone.localdate():
            errors["held_on"] = "The conversation cannot be dated in the future."
        elif conversation.leaver_id is not None and conversation.held_on < conversation.leaver.service_start:
            errors["held_on"] = (
                f"The conversation cannot be before the leaver's service started "
                f"({_day(conversation.leaver.service_start)})."
            )
    if conversation.destination_id is not None and not conversation.destination.active:
        stored = ExitConversation.objects.filter(pk=conversation.pk).values_list("destination_id", flat=True)
        if conversation.destination_id not in list(stored):
            errors["destination"] = (
                f"The destination “{conversation.destination.name}” is retired; choose a current one."
            )
    if conversation.quote_consent and not (conversation.quote or "").strip():
        errors["quote"] = "There is no quote to consent to: enter the quote, or untick the consent."
    if errors:
        raise ValidationError(errors)


def check_reasons(reasons: Iterable[ExitReason], *, already: Iterable[ExitReason] = ()) -> None:
    """Raise ``ValidationError`` unless there is at least one reason and each new one is current."""
    reasons = list(reasons)
    if not reasons:
        raise ValidationError({"reasons": "Choose at least one reason for leaving."})
    kept = {reason.pk for reason in already}
    retired = [reason.name for reason in reasons if not reason.active and reason.pk not in kept]
    if retired:
        raise ValidationError({"reasons": f"These reasons are retired: {', '.join(retired)}."})
