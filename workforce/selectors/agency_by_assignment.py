"""One agency assignment's hours and spend in a window, as the spend figures count them
(``workforce.selectors.agency_spend``): for the DfE agency return, which lists each
engagement's hours and charges."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Min, Sum

from workforce.scopes import Scope
from workforce.selectors.agency_spend import (
    ACTUAL,
    ESTIMATED,
    MIXED,
    PENNY,
    WEEK,
    ZERO,
    _as_date,
    _assignments,
    _days_not_invoiced,
    _decimal,
    _invoiced,
    _penny,
)


@dataclass(frozen=True)
class AssignmentSpend:
    """One agency assignment's hours and spend in a window: invoiced, and estimated outside its
    weeks invoiced (from its hours a week and weekly charge)."""

    invoiced: Decimal
    invoiced_hours: Decimal
    estimated_rest: Decimal | None  # None: days not invoiced, and no weekly charge recorded
    estimated_hours: Decimal | None  # None: days not invoiced, and no hours a week recorded
    days_not_invoiced: int

    @property
    def spend(self) -> Decimal | None:
        return None if self.estimated_rest is None else self.invoiced + self.estimated_rest

    @property
    def hours(self) -> Decimal | None:
        return None if self.estimated_hours is None else self.invoiced_hours + self.estimated_hours

    @property
    def basis(self) -> str:
        if not self.days_not_invoiced:
            return ACTUAL
        return MIXED if self.invoiced_hours or self.invoiced else ESTIMATED


def spend_by_assignment(
    *, start: dt.date, end: dt.date, scope: Scope | None = None
) -> dict[int, AssignmentSpend]:
    """Return each agency assignment's hours and spend from ``start`` to ``end`` (as the spend
    figures count them), by assignment key. Two queries."""
    assignments = _assignments(start, end, scope)
    invoiced = {
        assignment_id: (_decimal(amount), _decimal(hours), (_as_date(first) - WEEK, _as_date(last)))
        for assignment_id, amount, hours, first, last in _invoiced(
            start,
            end,
            scope,
            assignments,
            ("assignment_id",),
            amount=Sum("amount"),
            hours=Sum("hours"),
            first=Min("week_ending"),
            last=Max("week_ending"),
        )
    }
    found = {}
    for assignment in assignments.values():
        pk, began, ended, charge, per_week = *assignment[:4], assignment[11]
        amount, hours, span = invoiced.get(pk, (ZERO, ZERO, None))
        rest_days = _days_not_invoiced(began, ended, start, end, span)
        found[pk] = AssignmentSpend(
            invoiced=_penny(amount),
            invoiced_hours=hours,
            estimated_rest=_per_days(charge, rest_days, PENNY),
            estimated_hours=_per_days(per_week, rest_days, PENNY),
            days_not_invoiced=rest_days,
        )
    return found


def _per_days(weekly: Decimal | None, days: int, places: Decimal) -> Decimal | None:
    """Return a weekly figure pro rata to ``days`` (None if it is needed and not recorded)."""
    if not days:
        return ZERO
    return None if weekly is None else (weekly * days / 7).quantize(places, rounding=ROUND_HALF_UP)
