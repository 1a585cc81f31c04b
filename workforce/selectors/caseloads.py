"""Reads of caseloads: who holds cases on a date, how many, and the measures built from them.

The definitions (documented for users in ``docs/caseloads.md``):

- **A worker's caseload on a date** ``d`` is their latest caseload recorded on or before
  ``d`` and no more than ``CASELOAD_STALE_DAYS`` (setting, default 45) days before it. A
  worker with none in that time has a caseload that is **not known** on ``d``: counted
  apart, never as zero.
- **Case holders on** ``d``: the workers (employees and agency workers alike) holding a
  post in a children-and-family social work role (``Role.in_scope``) on ``d`` who either
  hold a post whose role is the census ``OrgRole`` 5 (case holder) in a case-holding team,
  or whose caseload on ``d`` is at least one case (anyone else with cases: a senior
  practitioner, a manager, a social worker in a team that is not case-holding). A case
  holder whose caseload is 0 (say, on maternity leave with their cases reallocated) counts,
  with 0 cases.
- **Their FTE** is the FTE of all their assignments in such roles on ``d``. Someone holding
  two posts at once is counted once, in the team and role of their main post (the larger
  FTE; on a tie, the post created first), with the FTE of both; a scope (a team, a
  service area, case-holding teams, a role) counts the case holders whose main post is in it.
- **Caseload per case holder** (DfE's measure) = the cases held by case holders whose
  caseload is known / the FTE of those case holders (``foundation.measures``).
- **Above the threshold**: case holders whose caseload is more than ``CASELOAD_THRESHOLD``
  (setting, default 20). **The spread**: case holders with a known caseload by
  ``measures.CASELOAD_BANDS``. **Newly qualified (ASYE)**: in the first 12 months after
  the date they qualified, as everywhere else in the product.

``caseloads_on`` gives every figure at one date in six queries whatever the number of posts;
``caseloads_on_dates`` the figures at several dates in five queries and one a date. The rows
are joined here rather than in the database: each assignment on a date, each caseload of
the days before it and each post are read once from covering indexes, without a lookup per
row (at 40,000 posts, a join per assignment to its post, its worker and its caseload cost
several times as much).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Round

from foundation import measures
from foundation.periods import add_months
from workforce.models import Assignment, Caseload, OrgRole, Post, Role, Team, Worker
from workforce.scopes import Scope
from workforce.selectors.base import ZERO, raw_rows
from workforce.selectors.dates import FTE_UNITS, _first_date_index, _last_date_index, fte_of_units


def threshold_setting() -> int:
    """Return the council's caseload threshold (cases above which a caseload is counted as high)."""
    return int(settings.WORKFORCE.get("CASELOAD_THRESHOLD", 20))


def stale_days_setting() -> int:
    """Return how many days a caseload stays current (after that it is not known)."""
    return int(settings.WORKFORCE.get("CASELOAD_STALE_DAYS", 45))


def latest_cases(day: dt.date, *, worker: str = "worker", stale_days: int | None = None) -> Subquery:
    """Return an expression: the outer row's worker's caseload on ``day`` (None if not known).

    ``worker`` leads from the outer row to the worker's key (``"worker"`` from an assignment,
    ``"pk"`` from a worker).
    """
    stale_days = stale_days_setting() if stale_days is None else stale_days
    latest = (
        Caseload.objects.filter(
            worker=OuterRef(worker),
            recorded_on__lte=day,
            recorded_on__gte=day - dt.timedelta(days=stale_days),
        )
        .order_by("-recorded_on")
        .values("cases")[:1]
    )
    return Subquery(latest)


@dataclass(frozen=True)
class CaseloadFigures:
    """Caseloads of one group of case holders on one date."""

    cases: int = 0  # held by the case holders whose caseload is known
    fte: Decimal = ZERO  # the FTE of those case holders
    holders: int = 0  # case holders whose caseload is known
    not_known: int = 0  # case holders whose caseload is not known (no recent caseload)
    not_known_fte: Decimal = ZERO
    above_threshold: int = 0  # case holders with more cases than the threshold

    @property
    def per_case_holder(self) -> Decimal | None:
        """Return cases per FTE case holder (None when no caseload is known)."""
        return measures.caseload_per_case_holder(self.cases, self.fte)

    @property
    def case_holders(self) -> int:
        """Return every case holder, their caseload known or not."""
        return self.holders + self.not_known

    @property
    def above_threshold_share(self) -> Decimal | None:
        """Return the share of case holders with a known caseload who are above the threshold."""
        return measures.percentage(self.above_threshold, self.holders)


@dataclass(frozen=True)
class CaseloadSnapshot:
    """Every caseload figure on one date in one scope."""

    as_of: dt.date
    scope: Scope
    threshold: int
    stale_days: int
    total: CaseloadFigures
    asye: CaseloadFigures  # newly qualified (ASYE) case holders
    others: CaseloadFigures  # every other case holder
    spread: dict[str, int] = field(default_factory=dict)  # band key -> case holders (known)
    by_team: dict[int, CaseloadFigures] = field(default_factory=dict)
    by_role: dict[int, CaseloadFigures] = field(default_factory=dict)
    team_names: dict[int, str] = field(default_factory=dict)
    role_names: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseHolder:
    """One case holder on a date, counted in the team and role of their main post."""

    worker_id: int
    team_id: int
    role_id: int
    fte: Decimal
    cases: int | None  # None: not known
    asye: bool


# A post in a children's social work role, as the count reads it: (team, role, whether it is
# a case-holder role (OrgRole 5) in a case-holding team, whether it is in the scope asked for).
# Plain tuples: tens of thousands are built on every count.
_Post = tuple[int, int, bool, bool]
TEAM, ROLE, CASE_POST, IN_SCOPE = range(4)


def _posts(days: tuple[dt.date, ...], scope: Scope) -> dict[int, _Post]:
    """Return the posts in children's social work roles active on any of ``days``: one query."""
    posts = (
        Post.objects.filter(role__in_scope=True, active_from__lte=days[-1])
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=days[0]))
        .order_by()
        .annotate(
            case_post=Case(
                When(role__org_role=OrgRole.CASE_HOLDER, team__case_holding=True, then=Value(1)),
                default=Value(0),
            )
        )
    )
    if not _narrowed(scope):  # every post is in the scope: four values a post, read fast
        return {
            pk: (team_id, role_id, bool(case_post), True)
            for pk, team_id, role_id, case_post in raw_rows(
                posts.values_list("pk", "team_id", "role_id", "case_post")
            )
        }
    rows = raw_rows(
        posts.values_list(
            "pk", "team_id", "role_id", "case_post", "team__service_area_id", "team__case_holding"
        )
    )
    return {
        pk: (
            team_id,
            role_id,
            bool(case_post),
            _in_scope(scope, team_id, role_id, area_id, bool(case_holding)),
        )
        for pk, team_id, role_id, case_post, area_id, case_holding in rows
    }


def _narrowed(scope: Scope) -> bool:
    return (
        scope.team_ids is not None
        or scope.service_area_id is not None
        or scope.case_holding_only
        or scope.role_id is not None
    )


def _in_scope(scope: Scope, team_id: int, role_id: int, area_id: int, case_holding: bool) -> bool:
    """Return whether a post of the team, role, area and case-holding given is in ``scope``
    (``Scope.filter_posts``, on a post already read)."""
    return (
        (not scope.case_holding_only or case_holding)
        and (scope.service_area_id is None or area_id == scope.service_area_id)
        and (scope.team_ids is None or team_id in scope.team_ids)
        and (scope.role_id is None or role_id == scope.role_id)
    )


# An assignment on a date as the count reads it: (worker, post, FTE in ten-thousandths, the
# post's ``_Post``). One tuple an assignment, shared by every date it is active on.
_Held = tuple[int, int, int, _Post]


def _held_on_dates(days: tuple[dt.date, ...], scope: Scope, posts: dict[int, _Post]) -> list[list[_Held]]:
    """Return, for each of ``days``, every assignment on it in one of ``posts`` (children's social
    work roles), by worker: one query, each assignment read once with the first and last of the
    dates it is active on (as ``workforce.selectors.dates`` reads them). In a narrowed scope
    only the workers with a post in it (all their posts, to find the main one)."""
    held = Assignment.objects.filter(start__lte=days[-1]).filter(Q(end__isnull=True) | Q(end__gte=days[0]))
    if _narrowed(scope):
        held = held.filter(worker__in=scope.filter_posts(held, "post").values("worker_id"))
    units = Cast(Round(F("fte") * Value(FTE_UNITS)), IntegerField())
    find = posts.get
    if len(days) == 1:  # on one date: no dates to tell apart
        rows = raw_rows(
            held.order_by("worker_id").annotate(units=units).values_list("worker_id", "post_id", "units")
        )
        return [
            [
                (worker, post, units, found)
                for worker, post, units in rows
                if (found := find(post)) is not None
            ]
        ]
    rows = raw_rows(
        held.order_by("worker_id")
        .annotate(
            units=units,
            first=_first_date_index(days, "start"),
            last=_last_date_index(days, "end"),
        )
        .values_list("worker_id", "post_id", "units", "first", "last")
    )
    on_day: list[list[_Held]] = [[] for _ in days]
    for worker, post, units, first, last in rows:
        found = find(post)
        if found is None or first >= last:
            continue
        entry = (worker, post, units, found)
        for index in range(first, last):
            on_day[index].append(entry)
    return on_day


def _cases_on(day: dt.date, stale_days: int) -> dict[int, int]:
    """Return each worker's caseload on ``day``: their latest within ``stale_days``. One query."""
    rows = raw_rows(
        Caseload.objects.filter(recorded_on__gte=day - dt.timedelta(days=stale_days), recorded_on__lte=day)
        .order_by("recorded_on")
        .values_list("worker_id", "cases")
    )
    return dict(rows)  # in date order: the latest of each worker's stays


def _newly_qualified(days: tuple[dt.date, ...]) -> dict[int, dt.date]:
    """Return {worker: date qualified} of the workers in their ASYE on any of ``days``: one query."""
    rows = raw_rows(
        Worker.objects.filter(date_qualified__gt=add_months(days[0], -12), date_qualified__lte=days[-1])
        .order_by()
        .values_list("pk", "date_qualified")
    )
    return {pk: _as_date(qualified) for pk, qualified in rows}


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _each_case_holder(
    day: dt.date,
    rows: list[_Held],
    qualified: dict[int, dt.date],
    cases_on_day: dict[int, int],
) -> Iterator[tuple[int, _Post, int, int | None, bool]]:
    """Yield (worker, main post, FTE units, cases or None, ASYE) for each case holder on ``day``
    whose main post is in the scope the posts were read for, their cases from ``cases_on_day``
    (``_cases_on``).

    ``rows`` are the assignments on ``day`` by worker (``_held_on_dates``); a worker's next row
    is another of their posts (rare).
    """
    cases_of = cases_on_day.get
    asye_after = add_months(day, -12)
    index, count = 0, len(rows)
    while index < count:
        worker_id, post_id, units, post = rows[index]
        index += 1
        if index < count and rows[index][0] == worker_id:
            held = [(post, units, post_id)]
            while index < count and rows[index][0] == worker_id:
                _, other_id, other_units, other = rows[index]
                index += 1
                held.append((other, other_units, other_id))
            # The main post: the larger FTE, then the post created first.
            post = min(held, key=lambda item: (-item[1], item[2]))[0]
            units = sum(item[1] for item in held)
            case_post = any(item[0][CASE_POST] for item in held)
        else:
            case_post = post[CASE_POST]
        cases = cases_of(worker_id)
        if not (case_post or cases) or not post[IN_SCOPE]:
            continue
        qualified_on = qualified.get(worker_id)
        yield worker_id, post, units, cases, qualified_on is not None and asye_after < qualified_on <= day


def case_holders_on(
    day: dt.date, scope: Scope | None = None, *, stale_days: int | None = None
) -> list[CaseHolder]:
    """Return the case holders on ``day`` whose main post is in ``scope``: four queries."""
    scope = scope or Scope.everything()
    stale_days = stale_days_setting() if stale_days is None else stale_days
    days = (day,)
    (rows,) = _held_on_dates(days, scope, _posts(days, scope))
    return [
        CaseHolder(
            worker_id=worker_id,
            team_id=post[TEAM],
            role_id=post[ROLE],
            fte=fte_of_units(units),
            cases=cases,
            asye=asye,
        )
        for worker_id, post, units, cases, asye in _each_case_holder(
            day, rows, _newly_qualified(days), _cases_on(day, stale_days)
        )
    ]


# Running totals of a group of case holders, as a list (the figures are built at the end):
# cases, FTE units and count of those whose caseload is known, count and FTE units of those
# whose caseload is not, count above the threshold.
CASES, UNITS, HOLDERS, NOT_KNOWN, NOT_KNOWN_UNITS, ABOVE = range(6)


def _tally() -> list[int]:
    return [0, 0, 0, 0, 0, 0]


def _add(tally: list[int], units: int, cases: int | None, threshold: int) -> None:
    if cases is None:
        tally[NOT_KNOWN] += 1
        tally[NOT_KNOWN_UNITS] += units
        return
    tally[CASES] += cases
    tally[UNITS] += units
    tally[HOLDERS] += 1
    if cases > threshold:
        tally[ABOVE] += 1


def _figures(tally: list[int]) -> CaseloadFigures:
    return CaseloadFigures(
        cases=tally[CASES],
        fte=fte_of_units(tally[UNITS]),
        holders=tally[HOLDERS],
        not_known=tally[NOT_KNOWN],
        not_known_fte=fte_of_units(tally[NOT_KNOWN_UNITS]),
        above_threshold=tally[ABOVE],
    )


def _count(
    day: dt.date,
    rows: list[_Held],
    qualified: dict[int, dt.date],
    *,
    threshold: int,
    stale_days: int,
    detail: bool,
) -> dict:
    """Return the running totals of the case holders on ``day``: newly qualified and others,
    and with ``detail`` by team, by role and the spread too."""
    asye, others = _tally(), _tally()
    by_team: dict[int, list[int]] = defaultdict(_tally)
    by_role: dict[int, list[int]] = defaultdict(_tally)
    bands = Counter()
    if not detail:
        _count_totals(day, rows, qualified, threshold, stale_days, asye, others)
        return {"asye": asye, "others": others, "by_team": by_team, "by_role": by_role, "spread": {}}
    cases_on_day = _cases_on(day, stale_days)
    for _, post, units, cases, is_asye in _each_case_holder(day, rows, qualified, cases_on_day):
        tally = asye if is_asye else others  # ``_add`` written out: tens of thousands of holders
        if cases is None:
            tally[NOT_KNOWN] += 1
            tally[NOT_KNOWN_UNITS] += units
        else:
            tally[CASES] += cases
            tally[UNITS] += units
            tally[HOLDERS] += 1
            if cases > threshold:
                tally[ABOVE] += 1
        if detail:
            _add(by_team[post[TEAM]], units, cases, threshold)
            _add(by_role[post[ROLE]], units, cases, threshold)
            if cases is not None:
                bands[cases] += 1
    spread = {key: 0 for key, _, _, _ in measures.CASELOAD_BANDS} if detail else {}
    for cases, holders in bands.items():
        spread[measures.caseload_band(cases)] += holders
    return {"asye": asye, "others": others, "by_team": by_team, "by_role": by_role, "spread": spread}


def _count_totals(
    day: dt.date,
    rows: list[_Held],
    qualified: dict[int, dt.date],
    threshold: int,
    stale_days: int,
    asye: list[int],
    others: list[int],
) -> None:
    """Add the case holders on ``day`` to the ``asye`` and ``others`` totals: what
    ``_each_case_holder`` yields, counted in one plain loop (the dates of a trend, tens of
    thousands of people each). The few people in two posts at once go through it."""
    cases_on_day = _cases_on(day, stale_days)
    several = {row[0] for row, after in zip(rows, rows[1:], strict=False) if row[0] == after[0]}
    if several:
        shared = [row for row in rows if row[0] in several]
        for _, _, units, cases, is_asye in _each_case_holder(day, shared, qualified, cases_on_day):
            _add(asye if is_asye else others, units, cases, threshold)
    cases_of, qualified_on = cases_on_day.get, qualified.get
    asye_after = add_months(day, -12)
    for worker_id, _, units, post in rows:
        if worker_id in several:
            continue
        cases = cases_of(worker_id)
        if not (post[CASE_POST] or cases) or not post[IN_SCOPE]:
            continue
        qualified_day = qualified_on(worker_id)
        tally = asye if qualified_day is not None and asye_after < qualified_day <= day else others
        if cases is None:
            tally[NOT_KNOWN] += 1
            tally[NOT_KNOWN_UNITS] += units
        else:
            tally[CASES] += cases
            tally[UNITS] += units
            tally[HOLDERS] += 1
            if cases > threshold:
                tally[ABOVE] += 1


def caseloads_on_dates(
    days: Iterable[dt.date],
    scope: Scope | None = None,
    *,
    detailed: Iterable[dt.date] = (),
    threshold: int | None = None,
    stale_days: int | None = None,
) -> dict[dt.date, CaseloadSnapshot]:
    """Return the caseloads on each of ``days`` in ``scope``: totals and newly qualified against
    others on every date; on the ``detailed`` dates also the spread and the figures by team and
    by role. Three queries, one a date, and two for the names of the detailed dates' teams and
    roles, whatever the number of posts, people or caseloads."""
    scope = scope or Scope.everything()
    threshold = threshold_setting() if threshold is None else threshold
    stale_days = stale_days_setting() if stale_days is None else stale_days
    days = tuple(sorted(set(days)))
    detailed = set(detailed) & set(days)
    if not days:
        return {}
    qualified = _newly_qualified(days)
    held = _held_on_dates(days, scope, _posts(days, scope))
    counted = {
        day: _count(day, rows, qualified, threshold=threshold, stale_days=stale_days, detail=day in detailed)
        for day, rows in zip(days, held, strict=True)
    }
    team_names: dict[int, str] = {}
    role_names: dict[int, str] = {}
    if detailed:  # a query each, whatever was found, so the count never depends on the data
        teams = (
            Team.objects.all()
            if scope.team_ids is None
            else Team.objects.filter(pk__in=sorted(scope.team_ids))
        )
        team_names = dict(raw_rows(teams.order_by().values_list("pk", "name")))
        role_names = dict(Role.objects.values_list("pk", "name"))
    snapshots = {}
    for day, tally in counted.items():
        total = [a + b for a, b in zip(tally["asye"], tally["others"], strict=True)]
        snapshots[day] = CaseloadSnapshot(
            as_of=day,
            scope=scope,
            threshold=threshold,
            stale_days=stale_days,
            total=_figures(total),
            asye=_figures(tally["asye"]),
            others=_figures(tally["others"]),
            spread=tally["spread"],
            by_team={team: _figures(figures) for team, figures in tally["by_team"].items()},
            by_role={role: _figures(figures) for role, figures in tally["by_role"].items()},
            team_names={team: team_names[team] for team in tally["by_team"]},
            role_names={role: name for role, name in role_names.items() if role in tally["by_role"]},
        )
    return snapshots


def caseloads_on(
    day: dt.date,
    scope: Scope | None = None,
    *,
    threshold: int | None = None,
    stale_days: int | None = None,
) -> CaseloadSnapshot:
    """Return every caseload figure on ``day`` in ``scope``: totals, newly qualified against
    others, the spread, by team and by role. Six queries, whatever the size."""
    return caseloads_on_dates((day,), scope, detailed=(day,), threshold=threshold, stale_days=stale_days)[day]
