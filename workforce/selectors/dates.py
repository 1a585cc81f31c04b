"""The establishment on several dates at once (the measures table and the dashboard)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Round

from workforce import timeline
from workforce.models import (
    EMPLOYEE_CONTRACTS,
    AgencyReason,
    Assignment,
    Contract,
    Funding,
    Post,
    Role,
)
from workforce.scopes import Scope
from workforce.selectors.base import ZERO, fte, raw_rows
from workforce.selectors.snapshot import EstablishmentSnapshot, Figures

# --- The establishment on several dates at once ---------------------------------------------------
#
# The committee report's measures table needs the establishment on five dates. Rather than
# five passes, each assignment and each post is read once: for the sorted dates d0 < d1 <
# ... < dn-1, ``_first_date_index`` is the index of the first date it is active on (n if
# none) and ``_last_date_index`` one past the last (0 if none), so it counts on date i
# exactly when first <= i < last. The assignments come back as plain rows (one per assignment,
# few columns: reading them costs less than grouping them in SQLite; each value read costs
# time on tens of thousands of rows, so the contract and funding are folded into the agency
# reason and the post's FTE, and FTEs come as whole ten-thousandths, exact and cheaper than
# Decimals); counting the rows alike in all but worker and post folds tens of thousands of
# them into a few hundred sums. The figures that are not sums look at few rows only: distinct
# headcounts at the workers with several assignments, vacancies at the posts that more than
# one employee holds on a date or that one holds with more FTE than the post.


def _first_date_index(days: tuple[dt.date, ...], *starts: str) -> Case:
    """Return the index of the first of ``days`` on or after every one of the ``starts`` fields."""
    return Case(
        *(When(Q(**{f"{start}__lte": day for start in starts}), then=Value(i)) for i, day in enumerate(days)),
        default=Value(len(days)),
    )


def _last_date_index(days: tuple[dt.date, ...], *ends: str) -> Case:
    """Return one past the index of the last of ``days`` on or before every one of the open-ended
    ``ends`` fields (0 if none is)."""
    conditions = []
    for i in reversed(range(len(days))):
        condition = Q()
        for end in ends:
            condition &= Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": days[i]})
        conditions.append(When(condition, then=Value(i + 1)))
    return Case(*conditions, default=Value(0))


def _date_mask(first: int, last: int) -> int:
    """Return a bit for each date index from ``first`` to ``last`` - 1."""
    return (1 << last) - (1 << first) if first < last else 0


@dataclass
class _Totals:
    """Plain running totals for one group on one date (Figures is built once at the end)."""

    establishment: Decimal = ZERO
    in_post: Decimal = ZERO
    agency: Decimal = ZERO
    vacancy: Decimal = ZERO
    cover: Decimal = ZERO
    posts: int = 0

    def figures(self, in_post_headcount: int, agency_headcount: int) -> Figures:
        return Figures(
            establishment_fte=self.establishment,
            in_post_fte=self.in_post,
            agency_fte=self.agency,
            vacancy_fte=self.vacancy,
            agency_covering_vacancies_fte=self.cover,
            in_post_headcount=in_post_headcount,
            agency_headcount=agency_headcount,
            posts=self.posts,
        )


# FTEs have four decimal places: in ten-thousandths of an FTE they are whole numbers.
FTE_UNITS = 10_000


def _fte_units(field: str) -> Cast:
    """Return an expression: the FTE ``field`` in ten-thousandths of an FTE, as an integer.

    Exact on every database (SQLite keeps decimals as floats: rounded here), and cheaper to
    read, count alike, add and compare than Decimals (see ``fte_of_units``)."""
    return Cast(Round(F(field) * Value(FTE_UNITS)), IntegerField())


def fte_of_units(units: int) -> Decimal:
    """Return ``units`` ten-thousandths of an FTE as an FTE Decimal to four places."""
    return Decimal(units).scaleb(-4)


# The values read for each assignment by establishment_on_dates, in this order (few values:
# each costs time to read on tens of thousands of rows).
_ROW_FIELDS = (
    "worker_id",
    "post_id",
    "post__role_id",
    "reason",  # the agency reason of an agency assignment; None for an employee's
    "establishment_units",  # the post's FTE in ten-thousandths if establishment-funded, else None
    "first_index",
    "last_index",
    "units",  # the assignment's FTE in ten-thousandths
)


def _assignment_rows(days: tuple[dt.date, ...], scope: Scope) -> list[tuple]:
    """Return every employee and agency assignment in an active post in ``scope`` on any of the
    sorted ``days``, as a row of plain values (see ``_ROW_FIELDS``). One query."""
    return raw_rows(
        scope.filter_posts(Assignment.objects.filter(post__role__in_scope=True), "post")
        .filter(contract__in=(*EMPLOYEE_CONTRACTS, Contract.AGENCY))
        .filter(Q(end__isnull=True) | Q(end__gte=days[0]), start__lte=days[-1])
        .filter(
            Q(post__active_to__isnull=True) | Q(post__active_to__gte=days[0]), post__active_from__lte=days[-1]
        )
        .annotate(
            reason=Case(When(contract=Contract.AGENCY, then=F("agency_reason")), default=None),
            establishment_units=Case(
                When(post__funding=Funding.ESTABLISHMENT, then=_fte_units("post__fte")),
                default=None,
                output_field=IntegerField(),
            ),
            first_index=_first_date_index(days, "start", "post__active_from"),
            last_index=_last_date_index(days, "end", "post__active_to"),
            units=_fte_units("fte"),
        )
        .order_by()
        .values_list(*_ROW_FIELDS)
    )


def establishment_on_dates(
    days: list[dt.date] | tuple[dt.date, ...], scope: Scope | None = None
) -> dict[dt.date, EstablishmentSnapshot]:
    """Return the establishment on each of ``days`` in ``scope``: totals, by role and agency by reason.

    The same figures as ``establishment_on`` for each date, read in one pass over the
    assignments and one over the posts rather than one pass a date; ``by_team`` and
    ``by_service_area`` are left empty (use ``establishment_on`` for those). Three
    queries, whatever the number of dates or posts.

    For the whole council the figures are read from the changes kept by the writes
    (``workforce.timeline``) while they are up to date, a few thousand rows at 40,000
    posts; otherwise, and for any narrower scope, they are worked out from the records.
    """
    scope = scope or Scope.everything()
    days = tuple(sorted(set(days)))
    if not days:
        return {}
    if _whole_council(scope):
        figures = timeline.figures_on(days)
        if figures is not None:
            return _snapshots_from_kept(days, scope, figures)
    return _establishment_from_records(days, scope)


def _whole_council(scope: Scope) -> bool:
    return (
        not scope.case_holding_only
        and scope.service_area_id is None
        and scope.team_ids is None
        and scope.role_id is None
    )


def _snapshots_from_kept(
    days: tuple[dt.date, ...], scope: Scope, figures: dict[tuple[int, str], list[tuple[int, ...]]]
) -> dict[dt.date, EstablishmentSnapshot]:
    """Return the snapshots of ``days`` made of the kept figures (``timeline.figures_on``)."""
    role_names = dict(Role.objects.filter(in_scope=True).values_list("pk", "name"))

    def kept(group: tuple[int, str], i: int) -> dict[str, int]:
        values = figures.get(group)
        return (
            dict(zip(timeline.COLUMNS, values[i], strict=True))
            if values
            else dict.fromkeys(timeline.COLUMNS, 0)
        )

    roles = [role for role, reason in figures if role != timeline.ACROSS_ROLES and not reason]
    snapshots = {}
    for i, day in enumerate(days):
        by_role = {}
        total = _Totals()
        for role in roles:
            group = kept((role, ""), i)
            if not group["posts"] or role not in role_names:
                continue
            by_role[role] = Figures(
                establishment_fte=fte_of_units(group["establishment"]),
                in_post_fte=fte_of_units(group["in_post"]),
                agency_fte=fte_of_units(group["agency"]),
                vacancy_fte=fte_of_units(group["vacancy"]),
                agency_covering_vacancies_fte=fte_of_units(group["cover"]),
                in_post_headcount=group["in_post_heads"],
                agency_headcount=group["agency_heads"],
                posts=group["posts"],
            )
            for name in ("posts", "establishment", "in_post", "agency", "vacancy", "cover"):
                setattr(
                    total,
                    name,
                    getattr(total, name) + (group[name] if name == "posts" else fte_of_units(group[name])),
                )
        across = kept((timeline.ACROSS_ROLES, ""), i)
        by_reason = {reason: kept((timeline.ACROSS_ROLES, reason), i) for reason in AgencyReason.values}
        snapshots[day] = EstablishmentSnapshot(
            as_of=day,
            scope=scope,
            total=total.figures(across["in_post_heads"], across["agency_heads"]),
            by_role=by_role,
            agency_fte_by_reason={
                reason: fte_of_units(group["agency"]) for reason, group in by_reason.items()
            },
            agency_headcount_by_reason={reason: group["agency_heads"] for reason, group in by_reason.items()},
            role_names={role: role_names[role] for role in by_role},
        )
    return snapshots


def _establishment_from_records(
    days: tuple[dt.date, ...], scope: Scope
) -> dict[dt.date, EstablishmentSnapshot]:
    """Return ``establishment_on_dates`` worked out from the posts and assignments (three queries)."""
    totals = [defaultdict(_Totals) for _ in days]  # per date: {role id: running totals}
    fte_by_reason = [{reason: ZERO for reason in AgencyReason.values} for _ in days]

    # 1. Every employee and agency assignment in an active post in scope on any of the dates.
    rows = _assignment_rows(days, scope)

    # 2. S, A, agency cover and agency by reason on each date: the assignments alike in all but
    #    worker and post are counted together, then added to each date they are active on.
    alike = Counter(map(itemgetter(2, 3, 4, 5, 6, 7), rows))
    for (role, reason, establishment_units, first, last, units), count in alike.items():
        amount = fte_of_units(units * count)
        for i in range(first, last):
            group = totals[i][role]
            if reason is not None:  # agency
                group.agency += amount
                fte_by_reason[i][reason] += amount
                if reason == AgencyReason.VACANCY and establishment_units is not None:
                    group.cover += amount
            else:
                group.in_post += amount
                if establishment_units is not None:
                    # Summed over posts, V = max(0, post FTE - employees) is E - employees + the
                    # excess of overfilled posts: E is added from the posts (4), the excess in 3.
                    group.vacancy -= amount

    # 3. The excess of employees over the post's FTE, on the dates a post is overfilled.
    for (role, i), amount in _overfilled_excess(rows).items():
        totals[i][role].vacancy += amount

    # 4. Posts active in scope: how many, and the establishment FTE.
    posts = (
        scope.filter_posts(Post.objects.filter(role__in_scope=True))
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=days[0]), active_from__lte=days[-1])
        .annotate(
            first_index=_first_date_index(days, "active_from"),
            last_index=_last_date_index(days, "active_to"),
        )
        .order_by()
        .values("role_id", "funding", "first_index", "last_index")
        .annotate(count=Count("pk"), total=Sum("fte"))
    )
    for row in posts:
        amount = fte(row["total"])
        for i in range(row["first_index"], row["last_index"]):
            group = totals[i][row["role_id"]]
            group.posts += row["count"]
            if row["funding"] == Funding.ESTABLISHMENT:
                group.establishment += amount
                group.vacancy += amount

    role_names = dict(Role.objects.filter(in_scope=True).values_list("pk", "name"))
    heads = _HeadcountMasks(rows, alike)
    snapshots = {}
    for i, day in enumerate(days):
        bit = 1 << i
        employees_on_by_role = heads.on(heads.employees_by_role, bit)
        agency_on_by_role = heads.on(heads.agency_by_role, bit)
        agency_on_by_reason = heads.on(heads.agency_by_reason, bit)
        by_role = {
            role: group.figures(employees_on_by_role.get(role, 0), agency_on_by_role.get(role, 0))
            for role, group in totals[i].items()
            if group.posts
        }
        total = _Totals()
        for group in totals[i].values():
            total.establishment += group.establishment
            total.in_post += group.in_post
            total.agency += group.agency
            total.vacancy += group.vacancy
            total.cover += group.cover
            total.posts += group.posts
        snapshots[day] = EstablishmentSnapshot(
            as_of=day,
            scope=scope,
            total=total.figures(
                heads.on(heads.employees, bit).get(None, 0), heads.on(heads.agency, bit).get(None, 0)
            ),
            by_role=by_role,
            agency_fte_by_reason=fte_by_reason[i],
            agency_headcount_by_reason={
                reason: agency_on_by_reason.get(reason, 0) for reason in AgencyReason.values
            },
            role_names={role: role_names[role] for role in by_role},
        )
    return snapshots


def _overfilled_excess(rows: list[tuple]) -> dict[tuple[int, int], Decimal]:
    """Return {(role, date index): FTE} by which employees exceed their establishment posts' FTE,
    summed over the posts overfilled on that date.

    Only posts held by employee assignments overlapping on a date, or by one with more FTE
    than the post, can be overfilled; the rest are skipped without adding anything up.
    """
    # Employees (no agency reason) in establishment posts (an FTE), on one of the dates at least.
    employed = [row for row in rows if row[3] is None and row[4] is not None and row[5] < row[6]]
    assignments_per_post = Counter(map(itemgetter(1), employed))
    candidates = [row for row in employed if assignments_per_post[row[1]] > 1 or row[7] > row[4]]
    overlapping: set[int] = set()
    held: dict[int, int] = defaultdict(int)  # post: bit mask of the dates an employee holds it
    held_units: dict[int, int] = defaultdict(int)  # post: its candidates' FTE, in ten-thousandths
    for _, post, _, _, post_units, first, last, units in candidates:
        mask = _date_mask(first, last)
        if held[post] & mask or units > post_units:
            overlapping.add(post)
        held[post] |= mask
        held_units[post] += units
    # A post whose candidates' FTE altogether fits in it is not overfilled on any date (job
    # shares): the others' employee FTE on each date, in ten-thousandths.
    units_on: dict[tuple[int, int], int] = defaultdict(int)
    posts: dict[int, tuple[int, int]] = {}  # post: (role, post FTE in ten-thousandths)
    shared = [row for row in candidates if row[1] in overlapping and held_units[row[1]] > row[4]]
    for _, post, role, _, post_units, first, last, units in shared:
        posts[post] = (role, post_units)
        for i in range(first, last):
            units_on[post, i] += units
    excess: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for (post, i), units in units_on.items():
        role, post_units = posts[post]
        if units > post_units:
            excess[role, i] += fte_of_units(units - post_units)
    return excess


class _HeadcountMasks:
    """The distinct workers of the assignment rows, as {(group, date mask): workers} for each
    headcount the snapshots give: a worker counts on a date if any of their assignments in
    the group is active on it. Masks have a bit for each date index."""

    def __init__(self, rows: list[tuple], alike: Counter) -> None:
        """``alike`` counts the rows by (role, reason, establishment FTE, first, last, FTE)."""
        self.employees: Counter = Counter()  # group None: every employee
        self.agency: Counter = Counter()
        self.employees_by_role: Counter = Counter()
        self.agency_by_role: Counter = Counter()
        self.agency_by_reason: Counter = Counter()
        assignments_per_worker = Counter(map(itemgetter(0), rows))
        several = [row for row in rows if assignments_per_worker[row[0]] > 1]
        # Most workers hold one assignment over the dates: they count wherever it does, so the
        # alike ones are counted together (every row's count less those of workers with several).
        single: Counter = Counter()
        for (role, reason, _, first, last, _), count in alike.items():
            single[role, reason, first, last] += count
        single.subtract(map(itemgetter(2, 3, 5, 6), several))
        for (role, reason, first, last), workers in single.items():
            if workers:
                self._add(role, reason, _date_mask(first, last), workers)
        # The others: the dates of each worker's assignments in each group combined first.
        masks: dict[tuple, int] = defaultdict(int)
        for worker, _, role, reason, _, first, last, _ in several:
            masks[worker, role, reason] |= _date_mask(first, last)
        employees: dict[int, int] = defaultdict(int)
        agency: dict[int, int] = defaultdict(int)
        employees_by_role: dict[tuple[int, int], int] = defaultdict(int)
        agency_by_role: dict[tuple[int, int], int] = defaultdict(int)
        agency_by_reason: dict[tuple[int, str], int] = defaultdict(int)
        for (worker, role, reason), mask in masks.items():
            if reason is not None:  # agency
                agency[worker] |= mask
                agency_by_role[worker, role] |= mask
                agency_by_reason[worker, reason] |= mask
            else:
                employees[worker] |= mask
                employees_by_role[worker, role] |= mask
        self.employees.update((None, mask) for mask in employees.values())
        self.agency.update((None, mask) for mask in agency.values())
        self.employees_by_role.update((key[1], mask) for key, mask in employees_by_role.items())
        self.agency_by_role.update((key[1], mask) for key, mask in agency_by_role.items())
        self.agency_by_reason.update((key[1], mask) for key, mask in agency_by_reason.items())

    def _add(self, role: int, reason: str | None, mask: int, workers: int) -> None:
        if reason is not None:  # agency
            self.agency[None, mask] += workers
            self.agency_by_role[role, mask] += workers
            self.agency_by_reason[reason, mask] += workers
        else:
            self.employees[None, mask] += workers
            self.employees_by_role[role, mask] += workers

    @staticmethod
    def on(masks: Counter, bit: int) -> dict:
        """Return {group: workers} for the workers in ``masks`` counted on the date of ``bit``."""
        counts: dict = defaultdict(int)
        for (group, mask), workers in masks.items():
            if mask & bit:
                counts[group] += workers
        return counts
