"""Builders for leavers and exit conversations. Each writes through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from leavers import services
from leavers.models import Destination, ExitConversation, ExitReason, Leaver, LeavingCategory
from tests import factories
from workforce.models import Contract, Post, Team, Worker


def category(code: str = "resignation-new-employment") -> LeavingCategory:
    """Return a seeded leaving category by its code."""
    return LeavingCategory.objects.get(code=code)


def destination(code: str = "another-la") -> Destination:
    """Return a seeded destination by its code."""
    return Destination.objects.get(code=code)


def reasons(*codes: str) -> list[ExitReason]:
    """Return the seeded exit reasons with ``codes``, in that order."""
    found = {reason.code: reason for reason in ExitReason.objects.filter(code__in=codes)}
    return [found[code] for code in codes]


def employee_in(
    post: Post,
    *,
    fte: str | Decimal = "1.0",
    start: dt.date = dt.date(2015, 1, 1),
    end: dt.date | None = None,
    contract: str = Contract.PERMANENT,
    **worker_fields: Any,
) -> Worker:
    """Return a new employee holding ``post`` from ``start`` (their service start)."""
    person = factories.worker(service_start=start, **worker_fields)
    factories.assign(post, worker_=person, fte=fte, start=start, end=end, contract=contract)
    return person


def leaver(
    *,
    team: Team | None = None,
    post: Post | None = None,
    leaving_date: dt.date = dt.date(2019, 3, 31),
    start: dt.date = dt.date(2015, 1, 1),
    fte: str | Decimal = "1.0",
    category_code: str = "resignation-new-employment",
    role_code: str = "social-worker",
    **worker_fields: Any,
) -> Leaver:
    """Return a recorded leaver: an employee in a post of ``team`` who left on ``leaving_date``."""
    if post is None:
        post = factories.post(team=team or factories.team(), role_code=role_code, fte="1.0")
    person = employee_in(post, fte=fte, start=start, **worker_fields)
    return services.record_leaver(worker=person, leaving_date=leaving_date, category=category(category_code))


def conversation(
    leaver_: Leaver,
    *,
    user: Any,
    held_on: dt.date | None = None,
    destination_code: str = "another-la",
    reason_codes: tuple[str, ...] = ("better-pay",),
    notes: str = "",
    quote: str = "",
    quote_consent: bool = False,
) -> ExitConversation:
    """Return the recorded exit conversation of ``leaver_``, recorded by ``user``."""
    return services.record_exit_conversation(
        leaver=leaver_,
        held_on=held_on or leaver_.leaving_date,
        destination=destination(destination_code),
        reasons=reasons(*reason_codes),
        notes=notes,
        quote=quote,
        quote_consent=quote_consent,
        user=user,
    )
