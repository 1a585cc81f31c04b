"""Agency spend: actual from the suppliers' invoice lines, estimated from weekly charges, and
the premium over what permanent staff would cost.

Invoices lag behind the work, and a council may start importing them part way through a
year, so the spend of a window is the invoice lines from the first week invoiced in it to
the latest (``invoiced_from`` to ``invoiced_to``; each line counts in the week it ends) and,
for the days before and after those weeks, the weekly charges pro rata to the days engaged.
Invoices are taken as complete between the two. The estimate over the whole window is kept
beside it, for comparison. Spend is for agency assignments in posts of
the scope in roles counted by the social work measures, as ``analysis.agency_spend`` is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, IntegerField, Max, Min, Sum, Value, When

from foundation.measures import permanent_cost_for_fte_days, permanent_cost_for_hours, premium_percent
from foundation.periods import months_between
from workforce.agency_rules import setting
from workforce.models import AgencyReason, Contract, InvoiceLine, PermanentCost, Supplier, SupplyRoute
from workforce.scopes import Scope
from workforce.selectors.agency import agency_assignments

ZERO = Decimal("0")
PENNY = Decimal("0.01")
ONE_DAY = dt.timedelta(days=1)
WEEK_BEFORE_END = dt.timedelta(days=6)  # a week's first day, from the day it ends
ACTUAL, ESTIMATED, MIXED = "actual", "estimated", "mixed"


def _penny(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _decimal(value: Any) -> Decimal:
    """Return a sum as the database gives it (a float on SQLite) as an exact Decimal."""
    return Decimal(str(value)) if value is not None else ZERO


@dataclass
class _Tally:
    actual: Decimal = ZERO
    hours: Decimal = ZERO
    estimated_rest: Decimal = ZERO
    estimated: Decimal = ZERO
    fte_days_rest: Decimal = ZERO


@dataclass(frozen=True)
class Spend:
    """Spend on one row (a month, supplier, reason, team or role, or the total)."""

    key: Any
    label: str
    actual: Decimal  # invoiced, to the latest week invoiced
    estimated_rest: Decimal  # from weekly charges, for the days before and after the weeks invoiced
    estimated: Decimal  # from weekly charges, for the whole window
    hours: Decimal  # invoiced

    @property
    def spend(self) -> Decimal:
        """Return the spend used: invoiced, then estimated after the latest week invoiced."""
        return self.actual + self.estimated_rest


@dataclass(frozen=True)
class Premium:
    """What agency cover in a role cost against permanent staff for the same time."""

    role_id: int
    role: str
    agency_cost: Decimal
    permanent_cost: Decimal | None  # None: no annual cost recorded for the role
    annual_cost: Decimal | None

    @property
    def premium(self) -> Decimal | None:
        return None if self.permanent_cost is None else self.agency_cost - self.permanent_cost

    @property
    def premium_percent(self) -> Decimal | None:
        return None if self.permanent_cost is None else premium_percent(self.agency_cost, self.permanent_cost)


@dataclass(frozen=True)
class SpendBreakdown:
    start: dt.date
    end: dt.date
    invoiced_to: dt.date | None  # the latest week ending invoiced in the window
    invoiced_from: dt.date | None = None  # the first day of the first week invoiced in it
    total: Spend
    months: tuple[Spend, ...]  # key: the month's first day in the window
    by_supplier: tuple[Spend, ...]
    by_reason: tuple[Spend, ...]
    by_team: tuple[Spend, ...]
    by_role: tuple[Spend, ...]
    premiums: tuple[Premium, ...] = field(default=())
    agreements: dict[str, str] = field(default_factory=dict)  # supplier: its framework or contract

    @property
    def basis(self) -> str:
        return basis_of(self.invoiced_from, self.invoiced_to, self.start, self.end)

    @property
    def basis_text(self) -> str:
        return basis_text(self.invoiced_from, self.invoiced_to, self.start, self.end)


def basis_of(invoiced_from: dt.date | None, invoiced_to: dt.date | None, start: dt.date, end: dt.date) -> str:
    """Return what a spend figure from ``start`` to ``end`` rests on: "actual", "estimated" or "mixed"."""
    if invoiced_to is None or invoiced_from is None:
        return ESTIMATED
    return ACTUAL if invoiced_from <= start and invoiced_to >= end else MIXED


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def basis_text(
    invoiced_from: dt.date | None, invoiced_to: dt.date | None, start: dt.date, end: dt.date
) -> str:
    """Return what a spend figure rests on, in words for the page and the paper."""
    basis = basis_of(invoiced_from, invoiced_to, start, end)
    if basis == ESTIMATED:
        return "estimated from weekly charges as no supplier invoices are recorded"
    if basis == ACTUAL:
        return f"from supplier invoices to the week ending {_long(invoiced_to)}"
    if invoiced_from <= start:
        return (
            f"from supplier invoices to the week ending {_long(invoiced_to)} and estimated from weekly "
            "charges after"
        )
    first_week_end = invoiced_from + dt.timedelta(days=6)
    return (
        f"from supplier invoices for the weeks ending {_long(first_week_end)} to {_long(invoiced_to)} and "
        "estimated from weekly charges for the rest"
    )


def _lines(start: dt.date, end: dt.date, scope: Scope | None) -> Any:
    """Return the invoice lines of weeks ending from ``start`` to ``end`` for assignments in scope."""
    return (
        (scope or Scope.everything())
        .filter_posts(InvoiceLine.objects.all(), "assignment__post")
        .filter(
            week_ending__gte=start,
            week_ending__lte=end,
            assignment__contract=Contract.AGENCY,
            assignment__post__role__in_scope=True,
        )
    )


@dataclass(frozen=True)
class SpendTotal:
    """Spend from ``start`` to ``end`` with what it rests on."""

    start: dt.date
    end: dt.date
    invoiced_to: dt.date | None
    actual: Decimal
    estimated_rest: Decimal
    estimated: Decimal
    invoiced_from: dt.date | None = None

    @property
    def spend(self) -> Decimal:
        return self.actual + self.estimated_rest

    @property
    def basis(self) -> str:
        return basis_of(self.invoiced_from, self.invoiced_to, self.start, self.end)

    @property
    def basis_text(self) -> str:
        return basis_text(self.invoiced_from, self.invoiced_to, self.start, self.end)


def spend_to_date(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> SpendTotal:
    """Return the agency spend from ``start`` to ``end``: invoiced for the weeks invoiced,
    estimated before and after them, and the estimate for the whole window. Two queries
    without invoices; up to four with them."""
    from workforce.analysis import agency_spend

    row = _lines(start, end, scope).aggregate(
        amount=Sum("amount"), first=Min("week_ending"), last=Max("week_ending")
    )
    estimated = agency_spend(start=start, end=end, scope=scope)
    if row["last"] is None:
        return SpendTotal(start, end, None, ZERO, estimated, estimated)
    invoiced_from, invoiced_to = row["first"] - WEEK_BEFORE_END, row["last"]
    rest = ZERO
    if invoiced_from > start:
        rest += agency_spend(start=start, end=invoiced_from - ONE_DAY, scope=scope)
    if invoiced_to < end:
        rest += agency_spend(start=invoiced_to + ONE_DAY, end=end, scope=scope)
    return SpendTotal(
        start, end, invoiced_to, _penny(_decimal(row["amount"])), rest, estimated, invoiced_from
    )


def spend_breakdown(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> SpendBreakdown:
    """Return the agency spend from ``start`` to ``end`` by month, supplier, reason, team and
    role (actual, estimated after the latest week invoiced, and estimated throughout), and
    the premium over permanent staff by role. Four queries whatever the number of lines."""
    months = months_between(start, end)
    assignments = {
        row[0]: row
        for row in agency_assignments(start=start - dt.timedelta(days=6), end=end, scope=scope).values_list(
            "pk",
            "start",
            "end",
            "weekly_charge",
            "fte",
            "supplier_id",
            "agency_reason",
            "post__team_id",
            "post__team__name",
            "post__role_id",
            "post__role__name",
        )
    }
    month_of = Case(
        *(
            When(week_ending__gte=first, week_ending__lte=last, then=Value(i))
            for i, (first, last) in enumerate(months)
        ),
        default=Value(-1),
        output_field=IntegerField(),
    )
    invoiced = list(
        _lines(start, end, scope)
        .annotate(month=month_of)
        .values_list("assignment_id", "supplier_id", "month")
        .annotate(amount=Sum("amount"), hours=Sum("hours"), first=Min("week_ending"), last=Max("week_ending"))
        .order_by()
    )
    invoiced_to = max((row[6] for row in invoiced), default=None)
    invoiced_from = min((row[5] for row in invoiced), default=None)
    if invoiced_from is not None:
        invoiced_from -= WEEK_BEFORE_END
    suppliers, agreements = {}, {}
    for pk, name, route, agreement in Supplier.objects.values_list("pk", "name", "route", "agreement"):
        suppliers[pk] = name
        agreements[name] = agreement or ROUTE_LABELS.get(route, "")
    tallies: dict[str, dict[Any, _Tally]] = {dim: defaultdict(_Tally) for dim in DIMENSIONS}
    labels: dict[str, dict[Any, str]] = {dim: {} for dim in DIMENSIONS}

    def keys(assignment: tuple, supplier_id: int | None, month: int) -> dict[str, Any]:
        return {
            "total": "total",
            "month": month,
            "supplier": supplier_id,
            "reason": assignment[6],
            "team": assignment[7],
            "role": assignment[9],
        }

    for assignment_id, supplier_id, month, amount, hours, _, _ in invoiced:
        assignment = assignments[assignment_id]
        for dim, key in keys(assignment, supplier_id, month).items():
            tally = tallies[dim][key]
            tally.actual += _decimal(amount)
            tally.hours += _decimal(hours)
        _label(labels, assignment, suppliers, supplier_id)
    # The days estimated: all of them without invoices, else those outside the weeks invoiced.
    before_to = invoiced_from - ONE_DAY if invoiced_from else end
    after_from = invoiced_to + ONE_DAY if invoiced_to else end + ONE_DAY
    for assignment in assignments.values():
        _, began, ended, charge, fte = assignment[:5]
        _label(labels, assignment, suppliers, assignment[5])
        for index, (first, last) in enumerate(months):
            days = _days(began, ended, first, last)
            later = _days(began, ended, first, min(last, before_to)) + _days(
                began, ended, max(first, after_from), last
            )
            if not days:
                continue
            for dim, key in keys(assignment, assignment[5], index).items():
                tally = tallies[dim][key]
                if charge is not None:
                    tally.estimated += charge * days / 7
                    tally.estimated_rest += charge * later / 7
                tally.fte_days_rest += fte * later
    labels["month"] = {index: f"{first:%B %Y}" for index, (first, _) in enumerate(months)}
    month_keys = list(range(len(months)))

    def rows(
        dim: str, order: Callable[[Any], Any] | None = None, every: list | None = None
    ) -> tuple[Spend, ...]:
        wanted = (
            every if every is not None else sorted(tallies[dim], key=order or (lambda key: labels[dim][key]))
        )
        return tuple(_spend(key, labels[dim].get(key, str(key)), tallies[dim][key]) for key in wanted)

    by_month = rows("month", every=month_keys)
    return SpendBreakdown(
        start=start,
        end=end,
        invoiced_to=invoiced_to,
        invoiced_from=invoiced_from,
        total=_spend("total", "Total", tallies["total"]["total"]),
        months=tuple(
            Spend(
                months[spend.key][0],
                spend.label,
                spend.actual,
                spend.estimated_rest,
                spend.estimated,
                spend.hours,
            )
            for spend in by_month
        ),
        by_supplier=_largest_first(rows("supplier")),
        by_reason=rows(
            "reason", every=[reason.value for reason in AgencyReason if reason.value in tallies["reason"]]
        ),
        by_team=_largest_first(rows("team")),
        by_role=rows("role"),
        premiums=_premiums(tallies["role"], labels["role"], end),
        agreements=agreements,
    )


DIMENSIONS = ("total", "month", "supplier", "reason", "team", "role")
REASON_LABELS = dict(AgencyReason.choices)
ROUTE_LABELS = dict(SupplyRoute.choices)


def _label(
    labels: dict[str, dict[Any, str]], assignment: tuple, suppliers: dict[int, str], supplier_id: Any
) -> None:
    labels["supplier"][supplier_id] = suppliers.get(supplier_id, "No supplier recorded")
    labels["reason"][assignment[6]] = REASON_LABELS.get(assignment[6], assignment[6])
    labels["team"][assignment[7]] = assignment[8]
    labels["role"][assignment[9]] = assignment[10]


def _days(began: dt.date, ended: dt.date | None, first: dt.date, last: dt.date) -> int:
    """Return the days an assignment ran from ``first`` to ``last``."""
    lo, hi = max(began, first), min(ended or last, last)
    return max(0, (hi - lo).days + 1)


def _spend(key: Any, label: str, tally: _Tally) -> Spend:
    return Spend(
        key=key,
        label=label,
        actual=_penny(tally.actual),
        estimated_rest=_penny(tally.estimated_rest),
        estimated=_penny(tally.estimated),
        hours=tally.hours,
    )


def _largest_first(rows: tuple[Spend, ...]) -> tuple[Spend, ...]:
    return tuple(sorted(rows, key=lambda row: (-row.spend, row.label)))


def annual_costs(on: dt.date) -> dict[int, Decimal]:
    """Return each role's permanent annual cost (salary plus on-costs) in force on ``on``. One query."""
    found: dict[int, Decimal] = {}
    for cost in PermanentCost.objects.filter(applies_from__lte=on).order_by("applies_from"):
        found[cost.role_id] = cost.annual_cost
    return found


def _premiums(tallies: dict[int, _Tally], labels: dict[int, str], end: dt.date) -> tuple[Premium, ...]:
    """Return, per role, the agency cost used against a permanent worker's cost for the same
    time: the hours invoiced at the annual cost spread over the year's full-time hours, and
    the FTE-days after the latest week invoiced at the annual cost pro rata."""
    costs = annual_costs(end)
    full_time = Decimal(str(setting("FULL_TIME_HOURS", "37")))
    premiums = []
    for role_id in sorted(tallies, key=lambda key: labels[key]):
        tally = tallies[role_id]
        agency_cost = _penny(tally.actual + tally.estimated_rest)
        annual = costs.get(role_id)
        permanent = None
        if annual is not None:
            permanent = permanent_cost_for_hours(
                annual, tally.hours, full_time
            ) + permanent_cost_for_fte_days(annual, tally.fte_days_rest)
        premiums.append(Premium(role_id, labels[role_id], agency_cost, permanent, annual))
    return tuple(premiums)
