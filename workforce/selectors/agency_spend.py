"""Agency spend: actual from the suppliers' invoice lines, estimated from weekly charges, and
the premium over what permanent staff would cost.

Invoices lag behind the work, suppliers invoice at different times, and a council may start
importing them part way through a year. So each agency assignment's spend in a window is its
invoice lines (each counted in the week it ends) for the weeks from its first invoiced week
to its latest, taken as complete between the two, and its weekly charge pro rata to the days
engaged outside those weeks: before invoicing began and after the latest week invoiced. An
assignment never invoiced is all estimate. The estimate over the whole window is kept
beside it, for comparison. Spend is for agency assignments in posts of the scope in roles
counted by the social work measures, as ``workforce.analysis.agency_spend`` is. Each
assignment's own hours and spend, for the agency return, are in
``workforce.selectors.agency_by_assignment``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, F, IntegerField, Max, Min, Sum, Value, When
from django.db.models.functions import Cast, Round

from foundation.measures import permanent_cost_for_fte_days, permanent_cost_for_hours, premium_percent
from foundation.periods import months_between
from jobs.cache import built_once, records_version
from workforce.agency_rules import setting
from workforce.models import AgencyReason, Contract, InvoiceLine, PermanentCost, Supplier, SupplyRoute
from workforce.scopes import Scope
from workforce.selectors.agency import _date, _money, agency_assignments
from workforce.selectors.base import fte, raw_rows

ZERO = Decimal("0")
PENNY = Decimal("0.01")
ONE_DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=6)  # from a week's last day back to its first
ACTUAL, ESTIMATED, MIXED = "actual", "estimated", "mixed"
DIMENSIONS = ("total", "month", "supplier", "reason", "team", "role")
REASON_LABELS = dict(AgencyReason.choices)
ROUTE_LABELS = dict(SupplyRoute.choices)
ASSIGNMENT_FIELDS = (
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
    "hours_per_week",
)


def _as_date(value: Any) -> dt.date:
    """Return a date as a plain row gives it (SQLite: text) as a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _penny(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _decimal(value: Any) -> Decimal:
    """Return a sum as the database gives it (a float on SQLite) as an exact Decimal."""
    return Decimal(str(value)) if value is not None else ZERO


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def basis_of(actual: Decimal, estimated_rest: Decimal) -> str:
    """Return what a spend figure rests on: "actual", "estimated" or "mixed"."""
    if not actual:
        return ESTIMATED
    return ACTUAL if not estimated_rest else MIXED


def basis_text(actual: Decimal, estimated_rest: Decimal, invoiced_to: dt.date | None) -> str:
    """Return what a spend figure rests on, in words for the page and the paper."""
    basis = basis_of(actual, estimated_rest)
    if basis == ESTIMATED or invoiced_to is None:
        return "estimated from weekly charges as no supplier invoices are recorded"
    if basis == ACTUAL:
        return f"from supplier invoices to the week ending {_long(invoiced_to)}"
    return (
        f"from supplier invoices (to the week ending {_long(invoiced_to)}) where received, and estimated "
        "from weekly charges for the weeks not yet invoiced"
    )


@dataclass(frozen=True)
class Spend:
    """Spend on one row (a month, supplier, reason, team or role, or the total)."""

    key: Any
    label: str
    actual: Decimal  # invoiced
    estimated_rest: Decimal  # from weekly charges, for the days outside the weeks invoiced
    estimated: Decimal  # from weekly charges, for the whole window
    hours: Decimal  # invoiced

    @property
    def spend(self) -> Decimal:
        """Return the spend used: invoiced where invoiced, estimated for the rest."""
        return self.actual + self.estimated_rest


@dataclass(frozen=True)
class SpendTotal:
    """Spend from ``start`` to ``end`` with what it rests on."""

    start: dt.date
    end: dt.date
    invoiced_to: dt.date | None  # the latest week ending invoiced in the window
    actual: Decimal
    estimated_rest: Decimal
    estimated: Decimal

    @property
    def spend(self) -> Decimal:
        return self.actual + self.estimated_rest

    @property
    def basis(self) -> str:
        return basis_of(self.actual, self.estimated_rest)

    @property
    def basis_text(self) -> str:
        return basis_text(self.actual, self.estimated_rest, self.invoiced_to)


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
    total: Spend
    months: tuple[Spend, ...]  # key: the month's first day in the window
    by_supplier: tuple[Spend, ...]
    by_reason: tuple[Spend, ...]
    by_team: tuple[Spend, ...]
    by_role: tuple[Spend, ...]
    premiums: tuple[Premium, ...] = ()
    agreements: dict[str, str] = field(default_factory=dict)  # supplier: its framework or contract
    routes: dict[str, str] = field(default_factory=dict)  # supplier: how it is bought, in words

    def as_total(self) -> SpendTotal:
        """Return the spend over the whole window, as ``spend_to_date`` gives it (the same sums:
        a caller that has the breakdown need not read the lines again)."""
        total = self.total
        return SpendTotal(
            self.start, self.end, self.invoiced_to, total.actual, total.estimated_rest, total.estimated
        )

    @property
    def basis(self) -> str:
        return basis_of(self.total.actual, self.total.estimated_rest)

    @property
    def basis_text(self) -> str:
        return basis_text(self.total.actual, self.total.estimated_rest, self.invoiced_to)


def _lines(start: dt.date, end: dt.date, scope: Scope | None) -> Any:
    """Return the invoice lines of weeks ending from ``start`` to ``end`` for agency assignments
    in scope."""
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


def _assignments(start: dt.date, end: dt.date, scope: Scope | None) -> dict[int, tuple]:
    """Return the agency assignments that can have spend in the window (a week invoiced in it
    may begin up to six days before it), by key, as rows of ``ASSIGNMENT_FIELDS`` (read plainly,
    converted here: thousands of rows)."""
    rows = raw_rows(
        agency_assignments(start=start - WEEK, end=end, scope=scope)
        .order_by()
        .values_list(*ASSIGNMENT_FIELDS)
    )
    return {
        row[0]: (
            row[0],
            _date(row[1]),
            _date(row[2]),
            _money(row[3]),
            fte(row[4]),
            *row[5:11],
            _money(row[11]),
        )
        for row in rows
    }


def _invoiced(
    start: dt.date,
    end: dt.date,
    scope: Scope | None,
    assignments: dict[int, tuple],
    fields: tuple,
    **sums: Any,
) -> list[tuple]:
    """Return the invoice lines of weeks ending from ``start`` to ``end`` grouped by ``fields``
    (the first the assignment) with ``sums``, for ``assignments`` only. For the whole council the
    lines are read from their own index alone and those of other assignments dropped here, rather
    than joined to their assignments, posts and roles; a narrower scope is joined."""
    whole = scope is None or not (
        scope.case_holding_only or scope.service_area_id or scope.team_ids is not None or scope.role_id
    )
    if whole:
        lines = InvoiceLine.objects.filter(week_ending__gte=start, week_ending__lte=end)
    else:
        lines = _lines(start, end, scope)
    rows = raw_rows(lines.values_list(*fields).annotate(**sums).order_by())
    return [row for row in rows if row[0] in assignments]


def _days(began: dt.date, ended: dt.date | None, first: dt.date, last: dt.date) -> int:
    """Return the days an assignment ran from ``first`` to ``last``."""
    lo, hi = max(began, first), min(ended or last, last)
    return max(0, (hi - lo).days + 1)


def _days_not_invoiced(
    began: dt.date, ended: dt.date | None, first: dt.date, last: dt.date, span: tuple[dt.date, dt.date] | None
) -> int:
    """Return the days from ``first`` to ``last`` an assignment ran outside its weeks invoiced."""
    if span is None:
        return _days(began, ended, first, last)
    before = _days(began, ended, first, min(last, span[0] - ONE_DAY))
    after = _days(began, ended, max(first, span[1] + ONE_DAY), last)
    return before + after


def spend_to_date(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> SpendTotal:
    """Return the agency spend from ``start`` to ``end``: invoiced where invoiced, estimated from
    weekly charges for the rest, and the estimate for the whole window. Two queries."""
    assignments = _assignments(start, end, scope)
    invoiced = _invoiced(
        start,
        end,
        scope,
        assignments,
        ("assignment_id",),
        amount=Sum("amount"),
        first=Min("week_ending"),
        last=Max("week_ending"),
    )
    actual, spans = ZERO, {}
    for assignment_id, amount, first, last in invoiced:
        actual += _decimal(amount)
        spans[assignment_id] = (_as_date(first) - WEEK, _as_date(last))
    charge_days = rest_charge_days = 0  # weekly charges in pence times days, divided by 7 at the end
    for pk, began, ended, charge, *_ in assignments.values():
        if charge is None:
            continue
        pence = _pence(charge)
        charge_days += pence * _days(began, ended, start, end)
        rest_charge_days += pence * _days_not_invoiced(began, ended, start, end, spans.get(pk))
    invoiced_to = max((span[1] for span in spans.values()), default=None)
    estimated, rest = Decimal(charge_days) / 700, Decimal(rest_charge_days) / 700
    return SpendTotal(start, end, invoiced_to, _penny(actual), _penny(rest), _penny(estimated))


def _month_index(month_starts: list[dt.date], low: int = 0, high: int | None = None) -> Case | Value:
    """Return an expression: the index in ``month_starts`` of the month a line's week ends in (the
    lines read are those of the window, so each is in one). Halving the months at each step,
    it compares a line's date a few times rather than once a month: at 40,000 posts a
    quarter of a million lines are put in their months."""
    high = len(month_starts) if high is None else high
    if high - low <= 1:  # one month (or none: an empty window reads no lines)
        return Value(low if high > low else -1, output_field=IntegerField())
    middle = (low + high) // 2
    return Case(
        When(week_ending__lt=month_starts[middle], then=_month_index(month_starts, low, middle)),
        default=_month_index(month_starts, middle, high),
        output_field=IntegerField(),
    )


def _sum_of_hundredths(name: str) -> Sum:
    """Return the sum of a two-place amount in hundredths (pence), as a whole number: each line
    is a whole number of pence, so the sum is exact and needs no converting row by row. Summing
    plain integers also keeps PostgreSQL's grouping in memory (sums of numerics took twice the
    space, and at 40,000 posts spilled to disk at the default ``work_mem``)."""
    return Sum(Cast(Round(F(name) * 100), IntegerField()))


@dataclass
class _Tally:
    """Sums kept in whole units, so adding up thousands of pieces stays exact and quick: pence,
    pence times days (divided by 7 once, at the end) and ten-thousandths of an FTE times days."""

    actual: int = 0  # pence
    centihours: int = 0
    charge_days: int = 0  # weekly charge in pence, times days: the estimate is this / 7
    rest_charge_days: int = 0  # the same for the days not invoiced
    fte_days_rest: int = 0  # FTE in ten-thousandths, times days not invoiced

    @property
    def hours(self) -> Decimal:
        return Decimal(self.centihours) / 100

    @property
    def estimated_rest(self) -> Decimal:
        return Decimal(self.rest_charge_days) / 700

    @property
    def estimated(self) -> Decimal:
        return Decimal(self.charge_days) / 700


def _pence(value: Any) -> int:
    """Return an amount (a Decimal, or a sum of two-place amounts as SQLite gives it: a float whose
    error is far below a penny) in whole pence."""
    if isinstance(value, float):
        return round(value * 100)
    return int((_decimal(value) * 100).to_integral_value(rounding=ROUND_HALF_UP))


class _Tallies:
    """Spend added up along each dimension at once, with the label of each row."""

    def __init__(self, suppliers: dict[int, str], dimensions: tuple[str, ...] = DIMENSIONS) -> None:
        self.suppliers = suppliers
        self.wanted = [dim for dim in ("supplier", "reason", "team", "role") if dim in dimensions]
        self.rows: dict[str, dict[Any, _Tally]] = {dim: defaultdict(_Tally) for dim in DIMENSIONS}
        self.labels: dict[str, dict[Any, str]] = {dim: {} for dim in DIMENSIONS}
        self.found: dict[tuple, list[_Tally]] = {}

    def tallies(self, assignment: tuple, supplier_id: int | None) -> list[_Tally]:
        """Return the rows (but the month's) a piece of an assignment's spend counts in, noting
        their labels (found once for each assignment and supplier: it is asked for its invoiced
        lines and again for its estimate, for thousands of assignments)."""
        found = self.found.get((assignment[0], supplier_id))
        if found is not None:
            return found
        _, _, _, _, _, _, reason, team_id, team, role_id, role = assignment[:11]
        self.labels["supplier"][supplier_id] = self.suppliers.get(supplier_id, "No supplier recorded")
        self.labels["reason"][reason] = REASON_LABELS.get(reason, reason)
        self.labels["team"][team_id] = team
        self.labels["role"][role_id] = role
        keys = {"supplier": supplier_id, "reason": reason, "team": team_id, "role": role_id}
        found = [self.rows["total"]["total"], *[self.rows[dim][keys[dim]] for dim in self.wanted]]
        self.found[(assignment[0], supplier_id)] = found
        return found

    def spend(self, dim: str, key: Any, label: str | None = None) -> Spend:
        tally = self.rows[dim][key]
        return Spend(
            key=key,
            label=label if label is not None else self.labels[dim].get(key, str(key)),
            actual=_penny(Decimal(tally.actual) / 100),
            estimated_rest=_penny(tally.estimated_rest),
            estimated=_penny(tally.estimated),
            hours=tally.hours,
        )

    def by_label(self, dim: str) -> tuple[Spend, ...]:
        return tuple(
            self.spend(dim, key) for key in sorted(self.rows[dim], key=lambda key: self.labels[dim][key])
        )


def spend_breakdown(
    *, start: dt.date, end: dt.date, scope: Scope | None = None, dimensions: tuple[str, ...] = DIMENSIONS
) -> SpendBreakdown:
    """Return the agency spend from ``start`` to ``end`` by month, supplier, reason, team and
    role (invoiced, estimated for the rest, and estimated throughout), and the premium over
    permanent staff by role; with ``dimensions``, only the total, the months and those given
    (the rest come back empty, and the premium needs "role"). Four queries whatever the number
    of lines (three without the premium)."""
    months = months_between(start, end)
    assignments = _assignments(start, end, scope)
    month_of = _month_index([first for first, _ in months])
    invoiced = _invoiced(
        start,
        end,
        scope,
        assignments,
        ("assignment_id", "supplier_id", month_of),
        pence=_sum_of_hundredths("amount"),
        centihours=_sum_of_hundredths("hours"),
        first=Min("week_ending"),
        last=Max("week_ending"),
    )
    suppliers, agreements, routes = {}, {}, {}
    for pk, name, route, agreement in Supplier.objects.values_list("pk", "name", "route", "agreement"):
        suppliers[pk] = name
        agreements[name] = agreement or ROUTE_LABELS.get(route, "")
        routes[name] = ROUTE_LABELS.get(route, "").lower()
    tallies = _Tallies(suppliers, dimensions)
    by_month = tallies.rows["month"]
    # The lines come a row per assignment, supplier and month: add each to its month, and to the
    # assignment and supplier's sums, which go to the other rows once each afterwards.
    first_weeks: dict[int, Any] = {}
    last_weeks: dict[int, Any] = {}
    pairs: dict[tuple, list] = {}
    for assignment_id, supplier_id, month, pence, centihours, first, last in invoiced:
        tally = by_month[month]
        tally.actual += pence
        tally.centihours += centihours
        sums = pairs.setdefault((assignment_id, supplier_id), [0, 0])
        sums[0] += pence
        sums[1] += centihours
        # Dates compare as they come (ISO text on SQLite), and are read once each afterwards.
        if assignment_id not in first_weeks or first < first_weeks[assignment_id]:
            first_weeks[assignment_id] = first
        if assignment_id not in last_weeks or last > last_weeks[assignment_id]:
            last_weeks[assignment_id] = last
    for (assignment_id, supplier_id), (pence, centihours) in pairs.items():
        for tally in tallies.tallies(assignments[assignment_id], supplier_id):
            tally.actual += pence
            tally.centihours += centihours
    spans = {pk: (_as_date(first) - WEEK, _as_date(last_weeks[pk])) for pk, first in first_weeks.items()}
    _add_estimates(assignments, spans, tallies, start, end, months)
    month_rows = tuple(
        Spend(first, f"{first:%B %Y}", *_amounts(tallies.spend("month", index)))
        for index, (first, _) in enumerate(months)
    )
    reasons = [reason.value for reason in AgencyReason if reason.value in tallies.rows["reason"]]
    return SpendBreakdown(
        start=start,
        end=end,
        invoiced_to=max((span[1] for span in spans.values()), default=None),
        total=tallies.spend("total", "total", "Total"),
        months=month_rows,
        by_supplier=_largest_first(tallies.by_label("supplier")),
        by_reason=tuple(tallies.spend("reason", reason) for reason in reasons),
        by_team=_largest_first(tallies.by_label("team")),
        by_role=tallies.by_label("role"),
        premiums=_premiums(tallies.rows["role"], tallies.labels["role"], end) if "role" in dimensions else (),
        agreements=agreements,
        routes=routes,
    )


def _add_estimates(
    assignments: dict[int, tuple],
    spans: dict[int, tuple[dt.date, dt.date]],
    tallies: _Tallies,
    start: dt.date,
    end: dt.date,
    months: list[tuple[dt.date, dt.date]],
) -> None:
    """Add each assignment's weekly charge over the days it ran from ``start`` to ``end`` (and over
    those outside its weeks invoiced, ``spans``, with its FTE) to its rows, and to the months.

    An assignment's days in the window go to its rows once, whole; to the months through
    running sums by day (a change where a run or a stretch not invoiced begins and ends, added
    up day by day once at the end), so the work is a few steps an assignment, not one a month.
    The days not invoiced are those ``_days_not_invoiced`` counts."""
    length = (end - start).days + 1
    charge_steps, rest_steps, fte_steps = [0] * (length + 1), [0] * (length + 1), [0] * (length + 1)
    for assignment in assignments.values():
        pk, began, ended, charge, fte, supplier_id = assignment[:6]
        rows = tallies.tallies(assignment, supplier_id)  # labels every row, even with no days
        first = (began - start).days if began > start else 0
        after = (ended - start).days + 1 if ended is not None and ended < end else length
        if after <= first:
            continue
        charge_pence = _pence(charge) if charge is not None else 0
        fte_units = int(fte * 10000)
        # The stretches not invoiced: before the weeks invoiced and after them.
        span = spans.get(pk)
        if span is None:
            stretches = ((first, after),)
        else:
            invoiced_from, invoiced_after = (span[0] - start).days, (span[1] - start).days + 1
            stretches = ((first, min(after, invoiced_from)), (max(first, invoiced_after), after))
        rest = 0
        for lo, hi in stretches:
            if hi > lo:
                rest += hi - lo
                rest_steps[lo] += charge_pence
                rest_steps[hi] -= charge_pence
                fte_steps[lo] += fte_units
                fte_steps[hi] -= fte_units
        charge_steps[first] += charge_pence
        charge_steps[after] -= charge_pence
        charge_days, rest_charge_days = charge_pence * (after - first), charge_pence * rest
        for tally in rows:
            tally.charge_days += charge_days
            tally.rest_charge_days += rest_charge_days
            tally.fte_days_rest += fte_units * rest
    by_month = tallies.rows["month"]
    charge = rest_charge = fte_units = day = 0
    for index, (_, month_last) in enumerate(months):
        tally = by_month[index]
        while day <= (month_last - start).days:
            charge += charge_steps[day]
            rest_charge += rest_steps[day]
            fte_units += fte_steps[day]
            tally.charge_days += charge
            tally.rest_charge_days += rest_charge
            tally.fte_days_rest += fte_units
            day += 1


def _amounts(spend: Spend) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    return spend.actual, spend.estimated_rest, spend.estimated, spend.hours


def _largest_first(rows: tuple[Spend, ...]) -> tuple[Spend, ...]:
    return tuple(sorted(rows, key=lambda row: (-row.spend, row.label)))


def annual_costs(on: dt.date) -> dict[int, Decimal]:
    """Return each role's permanent annual cost (salary plus on-costs) in force on ``on``. One query."""
    found: dict[int, Decimal] = {}
    for cost in PermanentCost.objects.filter(applies_from__lte=on).order_by("applies_from"):
        found[cost.role_id] = cost.annual_cost
    return found


def _premiums(tallies: dict[int, _Tally], labels: dict[int, str], end: dt.date) -> tuple[Premium, ...]:
    """Return, per role, the agency spend against a permanent worker's cost for the same time:
    the hours invoiced at the annual cost spread over the year's full-time hours, and the
    FTE-days estimated at the annual cost pro rata (the cost in force at the window's end)."""
    costs = annual_costs(end)
    full_time = Decimal(str(setting("FULL_TIME_HOURS", "37")))
    premiums = []
    for role_id in sorted(tallies, key=lambda key: labels[key]):
        tally = tallies[role_id]
        annual = costs.get(role_id)
        permanent = None
        if annual is not None:
            fte_days = Decimal(tally.fte_days_rest) / 10000
            permanent = permanent_cost_for_hours(
                annual, tally.hours, full_time
            ) + permanent_cost_for_fte_days(annual, fte_days)
        agency_cost = _penny(Decimal(tally.actual) / 100 + tally.estimated_rest)
        premiums.append(Premium(role_id, labels[role_id], agency_cost, permanent, annual))
    return tuple(premiums)


KEEP_BREAKDOWN_SECONDS = 60 * 60


def kept_spend_breakdown(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> SpendBreakdown:
    """Return ``spend_breakdown(start=start, end=end, scope=scope)``, kept in the shared cache
    while the workforce's records are unchanged (``jobs.cache.records_version``; one cheap
    query), for ``/agency/spend/``: at 40,000 posts the breakdown reads about 244,000 invoice
    lines (a third of a second), and the same periods are asked for again and again."""
    text = repr(
        (start.isoformat(), end.isoformat(), scope or Scope.everything(), records_version(["workforce"]))
    )
    key = "spend-breakdown:" + hashlib.sha256(text.encode()).hexdigest()
    return built_once(
        key, lambda: spend_breakdown(start=start, end=end, scope=scope), timeout=KEEP_BREAKDOWN_SECONDS
    )
