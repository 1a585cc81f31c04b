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

``caseloads_on`` gives every figure at one date in two queries whatever the number of posts;
``caseloads_on_dates`` the headline figures at several dates in two queries a date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db.models import OuterRef, Subquery

from foundation import measures
from foundation.periods import add_months
from workforce.models import Assignment, Caseload, OrgRole, Post, Role, Team
from workforce.scopes import Scope
from workforce.selectors.base import ZERO, fte, raw_rows

ASYE = "asye"
OTHERS = "others"


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

    def __add__(self, other: CaseloadFigures) -> CaseloadFigures:
        return CaseloadFigures(
            cases=self.cases + other.cases,
            fte=self.fte + other.fte,
            holders=self.holders + other.holders,
            not_known=self.not_known + other.not_known,
            not_known_fte=self.not_known_fte + other.not_known_fte,
            above_threshold=self.above_threshold + other.above_threshold,
        )

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


class _Held(NamedTuple):
    """One assignment on the date, as ``_held_rows`` reads it."""

    worker_id: int
    post_id: int
    team_id: int
    service_area_id: int
    case_holding_team: bool
    role_id: int
    org_role: int
    fte: object  # as the database gives it
    cases: int | None
    date_qualified: object


def _held_rows(day: dt.date, scope: Scope, stale_days: int) -> list[_Held]:
    """Return every assignment on ``day`` in a children's social work role of the workers who
    hold one in ``scope``, with the worker's caseload then: one query. A worker's posts
    outside the scope come too, to find their main post."""
    held = Assignment.objects.active_on(day).filter(
        post__in=Post.objects.active_on(day), post__role__in_scope=True
    )
    if _narrowed(scope):
        held = held.filter(worker__in=scope.filter_posts(held, "post").values("worker_id"))
    rows = raw_rows(
        held.order_by()
        .annotate(cases=latest_cases(day, stale_days=stale_days))
        .values_list(
            "worker_id",
            "post_id",
            "post__team_id",
            "post__team__service_area_id",
            "post__team__case_holding",
            "post__role_id",
            "post__role__org_role",
            "fte",
            "cases",
            "worker__date_qualified",
        )
    )
    return [_Held(*row) for row in rows]


def _narrowed(scope: Scope) -> bool:
    return (
        scope.team_ids is not None
        or scope.service_area_id is not None
        or scope.case_holding_only
        or scope.role_id is not None
    )


def _in_scope(scope: Scope, post: _Held) -> bool:
    """Return whether ``post`` is in ``scope`` (``Scope.filter_posts``, on a row already read)."""
    return (
        (not scope.case_holding_only or bool(post.case_holding_team))
        and (scope.service_area_id is None or post.service_area_id == scope.service_area_id)
        and (scope.team_ids is None or post.team_id in scope.team_ids)
        and (scope.role_id is None or post.role_id == scope.role_id)
    )


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def case_holders_on(
    day: dt.date, scope: Scope | None = None, *, stale_days: int | None = None
) -> list[CaseHolder]:
    """Return the case holders on ``day`` whose main post is in ``scope``: one query."""
    scope = scope or Scope.everything()
    stale_days = stale_days_setting() if stale_days is None else stale_days
    by_worker: dict[int, list[_Held]] = defaultdict(list)
    for row in _held_rows(day, scope, stale_days):
        by_worker[row.worker_id].append(row)
    asye_after = add_months(day, -12)
    holders = []
    for worker_id, posts in by_worker.items():
        cases = posts[0].cases
        case_post = any(post.org_role == OrgRole.CASE_HOLDER and post.case_holding_team for post in posts)
        if not case_post and not cases:
            continue
        # The main post: the larger FTE, then the post created first.
        main = posts[0] if len(posts) == 1 else min(posts, key=lambda post: (-fte(post.fte), post.post_id))
        if not _in_scope(scope, main):
            continue
        qualified = _as_date(posts[0].date_qualified)
        holders.append(
            CaseHolder(
                worker_id=worker_id,
                team_id=main.team_id,
                role_id=main.role_id,
                fte=sum((fte(post.fte) for post in posts), ZERO),
                cases=None if cases is None else int(cases),
                asye=qualified is not None and asye_after < qualified <= day,
            )
        )
    return holders


def _figures(holder: CaseHolder, threshold: int) -> CaseloadFigures:
    if holder.cases is None:
        return CaseloadFigures(not_known=1, not_known_fte=holder.fte)
    return CaseloadFigures(
        cases=holder.cases,
        fte=holder.fte,
        holders=1,
        above_threshold=1 if holder.cases > threshold else 0,
    )


def caseloads_on(
    day: dt.date,
    scope: Scope | None = None,
    *,
    threshold: int | None = None,
    stale_days: int | None = None,
) -> CaseloadSnapshot:
    """Return every caseload figure on ``day`` in ``scope``: totals, newly qualified against
    others, the spread, by team and by role. Three queries at most, whatever the size."""
    scope = scope or Scope.everything()
    threshold = threshold_setting() if threshold is None else threshold
    stale_days = stale_days_setting() if stale_days is None else stale_days
    total = CaseloadFigures()
    groups = {ASYE: CaseloadFigures(), OTHERS: CaseloadFigures()}
    spread = {key: 0 for key, _, _, _ in measures.CASELOAD_BANDS}
    by_team: dict[int, CaseloadFigures] = defaultdict(CaseloadFigures)
    by_role: dict[int, CaseloadFigures] = defaultdict(CaseloadFigures)
    for holder in case_holders_on(day, scope, stale_days=stale_days):
        figures = _figures(holder, threshold)
        total += figures
        groups[ASYE if holder.asye else OTHERS] += figures
        by_team[holder.team_id] += figures
        by_role[holder.role_id] += figures
        if holder.cases is not None:
            spread[measures.caseload_band(holder.cases)] += 1
    team_names = dict(Team.objects.filter(pk__in=list(by_team)).values_list("pk", "name")) if by_team else {}
    role_names = dict(Role.objects.values_list("pk", "name"))
    return CaseloadSnapshot(
        as_of=day,
        scope=scope,
        threshold=threshold,
        stale_days=stale_days,
        total=total,
        asye=groups[ASYE],
        others=groups[OTHERS],
        spread=spread,
        by_team=dict(by_team),
        by_role=dict(by_role),
        team_names=team_names,
        role_names={pk: name for pk, name in role_names.items() if pk in by_role},
    )
