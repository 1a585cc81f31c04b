"""Workforce analyses over a window or at a date, for the committee report.

Starters by origin, the experience profile, the absence rate and agency spend. Each
reads a fixed number of queries whatever the size of the workforce; the arithmetic
that turns rows into figures is here, the rates themselves come from
``foundation.measures``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

from django.db import connection
from django.db.models import Case, CharField, Count, DateField, F, Max, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least

from foundation import measures
from foundation.periods import add_months, weekdays_between
from workforce.models import Absence, AbsenceReason, Assignment, StartOrigin
from workforce.scopes import Scope
from workforce.selectors import ZERO, fte, raw_rows

PENNY = Decimal("0.01")
DAYS_PLACES = Decimal("0.01")
# Up to this many workers, their records are asked for by a list of ids (well within every
# database's limit on parameters); beyond it, read by date and matched in Python.
FEW_WORKERS = 500


def _database_hashes_groups() -> bool:
    """Return whether the database groups rows cheaply (PostgreSQL hashes them).

    There, grouping and matching in SQL and reading a few totals was measured 1.5-2x faster
    than reading every row (converting tens of thousands of dates and decimals is what
    costs). SQLite sorts to group and builds a B-tree to match a subquery: reading the rows
    and counting them in Python was measured faster there, so it keeps that shape."""
    return connection.vendor == "postgresql"


def _scoped_assignments(scope: Scope | None):
    """Return assignments in posts of ``scope`` in roles counted by the social work measures."""
    return (
        (scope or Scope.everything())
        .filter_posts(Assignment.objects.all(), "post")
        .filter(post__role__in_scope=True)
    )


# --- Starters by origin --------------------------------------------------------------


@dataclass(frozen=True)
class OriginGroup:
    """Starters from one census ``StartOrigin``."""

    origin: int
    label: str
    headcount: int
    fte: Decimal


@dataclass(frozen=True)
class StartersByOrigin:
    start: dt.date
    end: dt.date
    groups: tuple[OriginGroup, ...]  # every origin, in census order
    headcount: int
    fte: Decimal

    def group(self, origin: int) -> OriginGroup:
        return next(g for g in self.groups if g.origin == origin)


def _already_employed(pk: int, began: dt.date, held: list[tuple]) -> bool:
    """Return whether assignment ``pk``, beginning on ``began``, continues an employment: an
    assignment of the same worker in ``held`` (pk, start, end) began earlier and ran to at
    least the day before."""
    day_before = began - dt.timedelta(days=1)
    return any(
        other != pk
        and _as_date(other_began) < began
        and (other_ended is None or _as_date(other_ended) >= day_before)
        for other, other_began, other_ended in held
    )


def starters_by_origin(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> StartersByOrigin:
    """Return the employees who started from ``start`` to ``end`` in ``scope``, by census origin.

    A starter is an employee assignment beginning in the window for a worker who held no
    employee assignment the day before (so a move between posts is not a start, but an
    agency worker taking a permanent post, or a returner after a gap, is). The FTE is
    the FTE of the assignments that began the employment. A worker with no recorded
    origin counts as "not yet collected". Two queries.
    """
    # 1. Employee assignments in scope beginning in the window (a few thousand plain rows).
    beginning = _scoped_assignments(scope).employees().filter(start__gte=start, start__lte=end)
    candidates = raw_rows(
        beginning.order_by().values_list("pk", "worker_id", "start", "fte", "worker__start_origin")
    )
    # 2. Every employee assignment those workers held, anywhere, to see who was already employed.
    held: dict[int, list[tuple]] = defaultdict(list)
    for pk, worker, began, ended in raw_rows(
        Assignment.objects.employees()
        .filter(worker_id__in=beginning.values("worker_id"), start__lte=end)
        .order_by()
        .values_list("pk", "worker_id", "start", "end")
    ):
        held[worker].append((pk, began, ended))

    headcount: dict[int, set[int]] = defaultdict(set)
    alike: Counter = Counter()  # (origin, FTE): starters
    for pk, worker, began, amount, origin in candidates:
        others = held[worker]
        # Most starters hold no other assignment (their own is their only row): nothing to check.
        if len(others) > 1 and _already_employed(pk, _as_date(began), others):
            continue
        origin = origin or StartOrigin.NOT_YET_COLLECTED
        headcount[origin].add(worker)
        alike[origin, amount] += 1
    fte_by_origin: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (origin, amount), count in alike.items():
        fte_by_origin[origin] += fte(amount) * count

    groups = tuple(
        OriginGroup(
            origin=origin.value,
            label=origin.label,
            headcount=len(headcount[origin.value]),
            fte=fte_by_origin[origin.value],
        )
        for origin in StartOrigin
    )
    return StartersByOrigin(
        start=start,
        end=end,
        groups=groups,
        headcount=len(set().union(*headcount.values())) if headcount else 0,
        fte=sum((g.fte for g in groups), ZERO),
    )


# --- Experience profile -----------------------------------------------------------------

ASYE = "asye"
UNDER_2 = "under_2"
TWO_TO_5 = "2_to_5"
FIVE_PLUS = "5_plus"
NOT_RECORDED = "not_recorded"
EXPERIENCE_BANDS: tuple[tuple[str, str], ...] = (
    (ASYE, "ASYE (first 12 months after qualifying)"),
    (UNDER_2, "Under 2 years since qualifying, after the ASYE"),
    (TWO_TO_5, "2 to under 5 years since qualifying"),
    (FIVE_PLUS, "5 years or more since qualifying"),
    (NOT_RECORDED, "Date qualified not recorded"),
)


@dataclass(frozen=True)
class ExperienceBand:
    key: str
    label: str
    headcount: int
    fte: Decimal


@dataclass(frozen=True)
class ExperienceProfile:
    as_of: dt.date
    bands: tuple[ExperienceBand, ...]  # in EXPERIENCE_BANDS order
    headcount: int
    fte: Decimal

    def band(self, key: str) -> ExperienceBand:
        return next(b for b in self.bands if b.key == key)


def _experience_band(day: dt.date) -> Case:
    """Return the experience band, on ``day``, of an assignment's worker (by date qualified)."""
    return Case(
        When(worker__date_qualified__isnull=True, then=Value(NOT_RECORDED)),
        When(worker__date_qualified__gt=add_months(day, -12), then=Value(ASYE)),
        When(worker__date_qualified__gt=add_months(day, -24), then=Value(UNDER_2)),
        When(worker__date_qualified__gt=add_months(day, -60), then=Value(TWO_TO_5)),
        default=Value(FIVE_PLUS),
        output_field=CharField(),
    )


def experience_profile(*, day: dt.date, scope: Scope | None = None) -> ExperienceProfile:
    """Return the employees in post on ``day`` in ``scope`` by years since qualifying.

    A worker is in their ASYE in the first 12 months after the date they qualified;
    then under 2 years, 2 to under 5, and 5 or more. A worker's band is the same on each
    of their assignments, so a band's FTE is the sum of its assignments' FTE and its
    headcount the number of distinct workers. One query.
    """
    active = _scoped_assignments(scope).employees().active_on(day).order_by()
    if _database_hashes_groups():
        # Grouped by band (a few rows), the distinct workers counted in each.
        totals = {
            band: (amount, heads)
            for band, amount, heads in active.values_list(_experience_band(day)).annotate(
                total=Sum("fte"), heads=Count("worker_id", distinct=True)
            )
        }
    else:
        # SQLite walks the worker index to group by worker (no sort, no B-tree of distinct
        # workers): each worker's FTE and band first, then every band's FTE and headcount.
        per_worker = (
            active.values("worker_id")
            # A worker's band is the same on each of their assignments: Max picks it.
            .annotate(total=Sum("fte"), band=Max(_experience_band(day)))
        )
        figures = {}
        for key, _ in EXPERIENCE_BANDS:
            figures[f"{key}_fte"] = Sum("total", filter=Q(band=key))
            figures[f"{key}_heads"] = Count("worker_id", filter=Q(band=key))
        row = per_worker.aggregate(**figures)
        totals = {key: (row[f"{key}_fte"], row[f"{key}_heads"]) for key, _ in EXPERIENCE_BANDS}
    bands = tuple(
        ExperienceBand(
            key=key,
            label=label,
            headcount=totals.get(key, (None, 0))[1],
            fte=fte(totals.get(key, (None, 0))[0]),
        )
        for key, label in EXPERIENCE_BANDS
    )
    return ExperienceProfile(
        as_of=day,
        bands=bands,
        headcount=sum(b.headcount for b in bands),
        fte=sum((b.fte for b in bands), ZERO),
    )


# --- Absence ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AbsenceFigures:
    start: dt.date
    end: dt.date
    days_lost: Decimal
    days_available: Decimal
    days_lost_by_reason: tuple[tuple[str, Decimal], ...]  # (census code, days) in code order

    @property
    def rate(self) -> Decimal | None:
        return measures.absence_rate(self.days_lost, self.days_available)


def _as_date(value: dt.date | str) -> dt.date:
    """Return ``value``, a date as a plain row gives it (SQLite gives text), as a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _overlap(start: dt.date, end: dt.date, began: dt.date, ended: dt.date | None) -> tuple[dt.date, dt.date]:
    return max(start, began), min(end, ended or end)


def days_lost_within(
    *, days_lost: Decimal, absence_start: dt.date, absence_end: dt.date | None, start: dt.date, end: dt.date
) -> Decimal:
    """Return the share of an absence's working days lost that falls from ``start`` to ``end``.

    The recorded days count pro rata to the absence's calendar days inside the window; an
    open absence runs to the window's end. The absence rate and the census both use this.
    """
    first, last = _overlap(start, end, absence_start, absence_end)
    if last < first:
        return ZERO
    length = ((absence_end or max(end, absence_start)) - absence_start).days + 1
    return Decimal(days_lost) * ((last - first).days + 1) / length


def _absence_edges(start: dt.date, end: dt.date) -> tuple[Case, Case]:
    """Return an absence's start and end, or None for both when it lies wholly inside the
    window (so those absences group by reason alone)."""
    inside = Q(start__gte=start) & (Q(end__isnull=True) | Q(end__lte=end))
    return (
        Case(When(inside, then=None), default=F("start"), output_field=DateField()),
        Case(When(inside, then=None), default=F("end"), output_field=DateField()),
    )


def _absences_overlapping(start: dt.date, end: dt.date):
    """Return the absences that overlap the window from ``start`` to ``end``."""
    return Absence.objects.filter(Q(end__isnull=True) | Q(end__gte=start), start__lte=end).order_by()


def _days_clipped(start: dt.date, end: dt.date) -> tuple[Greatest, Least]:
    """Return an assignment's first and last days inside the window (an open one runs to its end)."""
    return (
        Greatest("start", Value(start), output_field=DateField()),
        Least(Coalesce("end", Value(end)), Value(end), output_field=DateField()),
    )


def _absence_grouped_in_database(employed, start: dt.date, end: dt.date) -> tuple[Decimal, dict]:
    """Return the days available and the days lost by (reason, edge start, edge end), both
    grouped in the database: the employees' FTE by their days inside the window, and their
    absences (matched to them by a subquery) summed. Two queries, a few thousand rows."""
    first, last = _days_clipped(start, end)
    available = ZERO
    for began, ended, amount, count in raw_rows(
        employed.values_list(first, last, "fte").annotate(count=Count("*"))
    ):
        available += fte(amount) * count * weekdays_between(_as_date(began), _as_date(ended))
    edge_start, edge_end = _absence_edges(start, end)
    absences = (
        _absences_overlapping(start, end)
        .filter(worker_id__in=employed.values("worker_id"))
        .values_list("reason", edge_start, edge_end)
        .annotate(days=Sum("working_days_lost"))
    )
    # A sum of values of two places, to two places, is exact (SQLite sums them as floats).
    grouped = {
        (reason, began, ended): Decimal(str(days)).quantize(DAYS_PLACES)
        for reason, began, ended, days in raw_rows(absences)
    }
    return available, grouped


def _absence_matched_in_python(employed, start: dt.date, end: dt.date) -> tuple[Decimal, dict]:
    """Return the days available and the days lost by (reason, edge start, edge end), read
    as plain rows: the assignments give both the days available and whose absences count,
    so they are read once rather than again to filter the absences. Two queries."""
    # 1. Employee assignments in scope overlapping the window: their workers, and their FTE by
    #    their days inside it (alike ones counted together).
    assignments = raw_rows(employed.values_list("worker_id", *_days_clipped(start, end), "fte"))
    employees = set(map(itemgetter(0), assignments))
    available = ZERO
    for (first, last, amount), count in Counter(map(itemgetter(1, 2, 3), assignments)).items():
        available += fte(amount) * count * weekdays_between(_as_date(first), _as_date(last))

    # 2. Absences overlapping the window, alike ones counted together. A scope of a few teams
    #    has few employees: their absences are asked for by worker. Over many, the absences in
    #    the window are read by date and matched to the workers here.
    overlapping = _absences_overlapping(start, end)
    if len(employees) <= FEW_WORKERS:
        overlapping = overlapping.filter(worker_id__in=sorted(employees))
    absences = raw_rows(
        overlapping.values_list("worker_id", "reason", *_absence_edges(start, end), "working_days_lost")
    )
    alike = Counter(map(itemgetter(1, 2, 3, 4), [row for row in absences if row[0] in employees]))
    grouped: dict[tuple, Decimal] = defaultdict(lambda: ZERO)  # (reason, edge start, edge end): days
    for (reason, edge_start, edge_end, days), count in alike.items():
        grouped[reason, edge_start, edge_end] += Decimal(str(days)).quantize(DAYS_PLACES) * count
    return available, grouped


def absence_over(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> AbsenceFigures:
    """Return working days lost to absence from ``start`` to ``end`` against the days available.

    Days available are each employee assignment's FTE times the weekdays it ran in the
    window. Days lost are each absence's recorded working days lost, taken pro rata to
    the share of its calendar days inside the window (an open absence runs to the
    window's end). Only employees with an assignment in scope in the window count. Two
    queries. Absences wholly inside the window count in full; the few across its edges
    (with their dates) are taken pro rata, each group of alike ones together.
    """
    employed = _scoped_assignments(scope).employees().overlapping(start, end).order_by()
    if _database_hashes_groups():
        available, grouped = _absence_grouped_in_database(employed, start, end)
    else:
        available, grouped = _absence_matched_in_python(employed, start, end)
    lost: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (reason, edge_start, edge_end), days in grouped.items():
        if edge_start is None:  # wholly inside the window (every absence has a start)
            lost[reason] += days
        else:
            lost[reason] += days_lost_within(
                days_lost=days,
                absence_start=_as_date(edge_start),
                absence_end=_as_date(edge_end) if edge_end is not None else None,
                start=start,
                end=end,
            )
    by_reason = tuple(
        (code, lost[code].quantize(DAYS_PLACES, rounding=ROUND_HALF_UP)) for code in AbsenceReason.values
    )
    return AbsenceFigures(
        start=start,
        end=end,
        days_lost=sum((days for _, days in by_reason), ZERO),
        days_available=available.quantize(DAYS_PLACES, rounding=ROUND_HALF_UP),
        days_lost_by_reason=by_reason,
    )


# --- Agency spend -------------------------------------------------------------------------


def agency_spend(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> Decimal:
    """Return the agency spend from ``start`` to ``end``: each agency assignment's weekly
    charge pro rata to its days in the window, to the penny. One query, the charges summed
    in the database by the days each assignment ran inside the window."""
    total = ZERO
    spans = (
        _scoped_assignments(scope)
        .agency()
        .overlapping(start, end)
        .filter(weekly_charge__isnull=False)
        .order_by()
        .values_list(*_days_clipped(start, end))
        .annotate(charges=Sum("weekly_charge"))
    )
    for first, last, charges in raw_rows(spans):
        # A sum of values of two places, to the penny, is exact (SQLite sums them as floats).
        charges = Decimal(str(charges)).quantize(PENNY)
        total += charges * ((_as_date(last) - _as_date(first)).days + 1) / 7
    return total.quantize(PENNY, rounding=ROUND_HALF_UP)
