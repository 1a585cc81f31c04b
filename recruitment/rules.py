"""The order of an application's stages, checked in one place.

``check_application`` looks at the application's own dates and is called from
``Application.clean()``. ``check_interviews`` looks at the application together with
its interviews (saved, or about to be saved alongside it) and is called by the
services and by the admin's interview formset. Each failure names the field a person
would correct, and says which date it must follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from foundation.dates import long_date

if TYPE_CHECKING:
    from recruitment.models import Application, Interview


def _d(day: dt.date) -> str:
    return f"{long_date(day)}"


def first_attended(interviews: Iterable[Interview]) -> dt.date | None:
    """Return the date of the first interview the candidate attended, or None."""
    days = [i.held_on for i in interviews if i.held_on and i.attended]
    return min(days) if days else None


def check_application(application: Application) -> None:
    """Raise ``ValidationError`` naming the field if the application's stage dates are out of order."""
    a = application
    errors: dict[str, str] = {}

    if a.campaign_id and a.received_on and a.received_on < a.campaign.opens_on:
        errors["received_on"] = (
            f"The campaign opens on {_d(a.campaign.opens_on)}; an application to it cannot be "
            f"received before then ({_d(a.received_on)})."
        )
    if a.campaign_id and a.role_id:
        role_ids = {role.pk for role in a.campaign.roles.all()}  # prefetched by bulk callers
        if role_ids and a.role_id not in role_ids:
            errors["role"] = f"The campaign does not recruit for {a.role.name}; choose one of its roles."
    if a.shortlisted_on and a.received_on and a.shortlisted_on < a.received_on:
        errors["shortlisted_on"] = (
            f"The shortlisting ({_d(a.shortlisted_on)}) cannot be before the application was "
            f"received ({_d(a.received_on)})."
        )

    responses = {
        "offer_accepted_on": ("acceptance", a.offer_accepted_on),
        "offer_declined_on": ("decline", a.offer_declined_on),
        "offer_withdrawn_on": ("withdrawal", a.offer_withdrawn_on),
        "start_planned_on": ("agreed start date", a.start_planned_on),
    }
    for field, (what, day) in responses.items():
        if day is None:
            continue
        if a.offered_on is None:
            errors[field] = f"No {what} without an offer: record the offer date first."
        elif day < a.offered_on:
            errors[field] = f"The {what} ({_d(day)}) cannot be before the offer ({_d(a.offered_on)})."
    if a.offer_accepted_on and a.offer_declined_on:
        errors["offer_declined_on"] = "An offer cannot be both accepted and declined."
    if (
        a.offer_withdrawn_on
        and a.offer_accepted_on
        and a.offered_on
        and a.offer_withdrawn_on < a.offer_accepted_on
    ):
        errors["offer_withdrawn_on"] = (
            f"The withdrawal ({_d(a.offer_withdrawn_on)}) cannot be before the acceptance "
            f"({_d(a.offer_accepted_on)})."
        )

    if a.started_on:
        if a.offer_accepted_on is None:
            errors["started_on"] = "No start without an accepted offer: record the acceptance first."
        elif a.started_on < a.offer_accepted_on:
            errors["started_on"] = (
                f"The start ({_d(a.started_on)}) cannot be before the offer was accepted "
                f"({_d(a.offer_accepted_on)})."
            )
        elif a.offer_withdrawn_on:
            errors["offer_withdrawn_on"] = "The candidate has started; the offer can no longer be withdrawn."
        elif a.assignment_id is None:
            errors["started_on"] = "A start needs the assignment it created: use the start service."
    if errors:
        raise ValidationError(errors)


def check_interviews(application: Application, interviews: Iterable[Interview]) -> None:
    """Raise ``ValidationError`` if ``interviews`` and the application's stages are out of order.

    ``interviews`` are all the application's interviews as they will be saved: no
    interview before shortlisting, and no offer without an interview the candidate
    attended on or before the offer date.
    """
    a = application
    interviews = [i for i in interviews if i.held_on]
    if interviews and a.shortlisted_on is None:
        raise ValidationError(
            {"shortlisted_on": "No interview without shortlisting: record the shortlisting date first."}
        )
    for interview in interviews:
        if interview.held_on < a.shortlisted_on:
            raise ValidationError(
                {
                    "interviews": f"The interview on {_d(interview.held_on)} cannot be before the "
                    f"shortlisting ({_d(a.shortlisted_on)})."
                }
            )
    if a.offered_on:
        first = first_attended(interviews)
        if first is None:
            raise ValidationError(
                {"offered_on": "No offer without an interview: record the interview the candidate attended."}
            )
        if a.offered_on < first:
            raise ValidationError(
                {
                    "offered_on": f"The offer ({_d(a.offered_on)}) cannot be before the interview "
                    f"({_d(first)})."
                }
            )
