"""Workforce analyses over a window or at a date, for the committee report.

Starters by origin, the experience profile, the absence rate and agency spend. Each
reads a fixed number of queries whatever the size of the workforce; the arithmetic
that turns rows into figures is here, the rates themselves come from
``reporting.measures``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, Case, CharField, Count, DateField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least

from reporting import measures
from reporting.periods import add_months, weekdays_between
from workforce.models import Absence, AbsenceReason, Assignment, StartOrigin
from workforce.scopes import Scope
from workforce.selectors import ZERO, fte

PENNY = Decimal("0.01")
DAYS_PLACES = Decimal("0.01")


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


def starters_by_origin(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> StartersByOrigin:
    """Return the employees who started from ``start`` to ``end`` in ``scope``, by census origin.

    A starter is an employee assignment beginning in the window for a worker who held no
    employee assignment the day before (so a move between posts is not a start, but an
    agency worker taking a permanent post, or a returner after a gap, is). The FTE is
    the FTE of the assignments that began the employment. A worker with no recorded
    origin counts as "not yet collected". Two queries.
    """
    # 1. Employee assignments in scope beginning in the window.
    beginning = _scoped_assignments(scope).employees().filter(start__gte=start, start__lte=end)
    candidates = list(beginning.order_by().values("pk", "worker_id", "start", "fte", "worker__start_origin"))
    # 2. Every employee assignment those workers held, anywhere, to see who was already employed.
    earlier: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for row in (
        Assignment.objects.employees()
        .filter(worker_id__in=beginning.values("worker_id"), start__lte=end)
        .order_by()
        .values("pk", "worker_id", "start", "end")
    ):
        earlier[row["worker_id"]].append((row["pk"], row["start"], row["end"]))

    headcount: dict[int, set[int]] = defaultdict(set)
    fte_by_origin: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for candidate in candidates:
        day_before = candidate["start"] - dt.timedelta(days=1)
        already_employed = any(
            pk != candidate["pk"] and began < candidate["start"] and (ended is None or ended >= day_before)
            for pk, began, ended in earlier[candidate["worker_id"]]
        )
        if already_employed:
            continue
        origin = candidate["worker__start_origin"] or StartOrigin.NOT_YET_COLLECTED
        headcount[origin].add(candidate["worker_id"])
        fte_by_origin[origin] += fte(candidate["fte"])

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


def experience_profile(*, day: dt.date, scope: Scope | None = None) -> ExperienceProfile:
    """Return the employees in post on ``day`` in ``scope`` by years since qualifying.

    A worker is in their ASYE in the first 12 months after the date they qualified;
    then under 2 years, 2 to under 5, and 5 or more. One query.
    """
    band = Case(
        When(worker__date_qualified__isnull=True, then=Value(NOT_RECORDED)),
        When(worker__date_qualified__gt=add_months(day, -12), then=Value(ASYE)),
        When(worker__date_qualified__gt=add_months(day, -24), then=Value(UNDER_2)),
        When(worker__date_qualified__gt=add_months(day, -60), then=Value(TWO_TO_5)),
        default=Value(FIVE_PLUS),
        output_field=CharField(),
    )
    rows = {
        row["band"]: row
        for row in _scoped_assignments(scope)
        .employees()
        .active_on(day)
        .annotate(band=band)
        .order_by()
        .values("band")
        .annotate(total=Sum("fte"), heads=Count("worker", distinct=True))
    }
    bands = tuple(
        ExperienceBand(
            key=key,
            label=label,
            headcount=rows[key]["heads"] if key in rows else 0,
            fte=fte(rows[key]["total"]) if key in rows else ZERO,
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


def absence_over(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> AbsenceFigures:
    """Return working days lost to absence from ``start`` to ``end`` against the days available.

    Days available are each employee assignment's FTE times the weekdays it ran in the
    window. Days lost are each absence's recorded working days lost, taken pro rata to
    the share of its calendar days inside the window (an open absence runs to the
    window's end). Only employees with an assignment in scope in the window count. Two
    queries, each grouped in the database so that only a few thousand rows come back.
    """
    # 1. Employee assignments in scope overlapping the window, by their days inside it.
    assignments = _scoped_assignments(scope).employees().overlapping(start, end)
    spans = (
        assignments.order_by()
        .values(
            first=Greatest("start", Value(start), output_field=DateField()),
            last=Least(Coalesce("end", Value(end)), Value(end), output_field=DateField()),
        )
        .annotate(total=Sum("fte"))
    )
    available = ZERO
    for row in spans:
        available += fte(row["total"]) * weekdays_between(row["first"], row["last"])

    # 2. Their absences overlapping the window. Those wholly inside it count in full, so they
    #    are summed by reason in the database; the few across its edges are taken pro rata.
    inside = Q(start__gte=start) & (Q(end__isnull=True) | Q(end__lte=end))
    absences = (
        Absence.objects.filter(
            Q(end__isnull=True) | Q(end__gte=start),
            start__lte=end,
            worker__in=assignments.values("worker_id"),
        )
        .annotate(
            inside=Case(When(inside, then=Value(True)), default=Value(False), output_field=BooleanField()),
            edge_start=Case(When(inside, then=None), default=F("start"), output_field=DateField()),
            edge_end=Case(When(inside, then=None), default=F("end"), output_field=DateField()),
        )
        .order_by()
        .values("reason", "inside", "edge_start", "edge_end")
        .annotate(days=Sum("working_days_lost"))
    )
    lost: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in absences:
        days = Decimal(str(row["days"])).quantize(DAYS_PLACES)
        if row["inside"]:
            lost[row["reason"]] += days
        else:
            lost[row["reason"]] += days_lost_within(
                days_lost=days,
                absence_start=row["edge_start"],
                absence_end=row["edge_end"],
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
        .values(
            first=Greatest("start", Value(start), output_field=DateField()),
            last=Least(Coalesce("end", Value(end)), Value(end), output_field=DateField()),
        )
        .annotate(charges=Sum("weekly_charge"))
    )
    for row in spans:
        charges = Decimal(str(row["charges"])).quantize(PENNY)
        total += charges * ((row["last"] - row["first"]).days + 1) / 7
    return total.quantize(PENNY, rounding=ROUND_HALF_UP)
