"""Reads for why a rate moved: the establishment on two dates, every post and assignment that
changed between them, and the rates without the posts added since a date.

Seven to nine queries whatever the number of records: the establishment on both dates
(``establishment_on_dates``), the changed assignments, the changed posts, what did not change
in those posts, and ``post_totals`` on each date without the posts added since the date asked.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, Sum

from foundation import measures
from planning import movement
from planning.movement import AssignmentChange, Movement, PostChange, Totals, WithoutPosts
from workforce.models import EMPLOYEE_CONTRACTS, Assignment, Contract, Funding, Post
from workforce.scopes import Scope
from workforce.selectors import establishment_on_dates, post_totals, posts_on
from workforce.selectors.dates import FTE_UNITS


def _units(value: Decimal | float | None) -> int:
    return int((Decimal(str(value or 0)) * FTE_UNITS).to_integral_value())


def _active(day: dt.date, prefix: str = "") -> Q:
    """Return a ``Q``: the record (an assignment, ``prefix`` "post__" reaching its post; or a post)
    is active on ``day``."""
    if prefix:
        own = Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))
    else:
        own = Q()
    return (
        own
        & Q(**{f"{prefix}active_from__lte": day})
        & (Q(**{f"{prefix}active_to__isnull": True}) | Q(**{f"{prefix}active_to__gte": day}))
    )


def _is_active(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return start <= day and (end is None or end >= day)


def _totals(figures: object) -> Totals:
    return Totals(
        vacancy=_units(figures.vacancy_fte),
        in_post=_units(figures.in_post_fte),
        agency=_units(figures.agency_fte),
    )


def rate_movement(
    *, start: dt.date, end: dt.date, scope: Scope | None = None, without_since: dt.date | None = None
) -> Movement:
    """Return why the vacancy and agency rates moved from ``start`` to ``end`` in ``scope`` and,
    with ``without_since``, the rates without the establishment posts added after that date."""
    if end <= start:
        raise ValueError("The second date must be after the first.")
    scope = scope or Scope.everything()
    snapshots = establishment_on_dates([start, end], scope)  # 1-3
    in_scope = scope.filter_posts(Assignment.objects.filter(post__role__in_scope=True), "post")
    employees = in_scope.filter(contract__in=EMPLOYEE_CONTRACTS)

    def employed_on(day: dt.date) -> Exists:
        return Exists(employees.filter(worker_id=OuterRef("worker_id")).filter(_active(day, "post__")))

    steady = _active(start, "post__") & _active(end, "post__")
    # 4. Assignments active on one date and not the other (none of a post active on neither).
    changed = list(
        in_scope.filter(contract__in=(*EMPLOYEE_CONTRACTS, Contract.AGENCY))
        .filter(Q(end__isnull=True) | Q(end__gte=start), start__lte=end)
        .exclude(steady)
        .annotate(employed_before=employed_on(start), employed_after=employed_on(end))
        .order_by()
        .values_list(
            "post_id",
            "worker_id",
            "contract",
            "fte",
            "start",
            "end",
            "post__active_from",
            "post__active_to",
            "post__fte",
            "post__funding",
            "employed_before",
            "employed_after",
        )
    )
    # 5. Posts active on one date and not the other.
    posts_in_scope = scope.filter_posts(Post.objects.filter(role__in_scope=True))
    changed_posts = posts_in_scope.filter(
        Q(active_to__isnull=True) | Q(active_to__gte=start), active_from__lte=end
    ).exclude(_active(start) & _active(end))
    post_rows = {
        pk: (post_fte, funding, active_from, active_to)
        for pk, post_fte, funding, active_from, active_to in changed_posts.order_by().values_list(
            "pk", "fte", "funding", "active_from", "active_to"
        )
    }
    changes: dict[int, list[AssignmentChange]] = defaultdict(list)
    for row in changed:
        post_id, worker_id, contract, amount, a_start, a_end, p_from, p_to, p_fte, funding, was, is_ = row
        before = _is_active(a_start, a_end, start) and _is_active(p_from, p_to, start)
        after = _is_active(a_start, a_end, end) and _is_active(p_from, p_to, end)
        if before == after:
            continue  # active on neither date: came and went between them
        post_rows.setdefault(post_id, (p_fte, funding, p_from, p_to))
        if contract == Contract.AGENCY:
            cause = movement.AGENCY
        elif was and is_:
            cause = movement.FTE_CHANGES
        elif was:
            cause = movement.LEAVERS
        else:
            cause = movement.STARTERS
        changes[post_id].append(
            AssignmentChange(cause, worker_id, contract != Contract.AGENCY, _units(amount), before, after)
        )
    # 6. What stayed in the changed posts: assignments active on both dates.
    steady_rows = []
    if post_rows:
        steady_rows = (
            in_scope.filter(contract__in=(*EMPLOYEE_CONTRACTS, Contract.AGENCY))
            .filter(steady)
            .filter(Q(post__in=changed_posts.values("pk")) | Q(post_id__in=sorted(changes)))
            .order_by()
            .values("post_id")
            .annotate(
                employees=Sum("fte", filter=Q(contract__in=EMPLOYEE_CONTRACTS)),
                agency=Sum("fte", filter=Q(contract=Contract.AGENCY)),
            )
        )
    steady_by_post = {
        row["post_id"]: (_units(row["employees"]), _units(row["agency"])) for row in steady_rows
    }
    posts = []
    for post_id, (post_fte, funding, active_from, active_to) in sorted(post_rows.items()):
        steady_employees, steady_agency = steady_by_post.get(post_id, (0, 0))
        posts.append(
            PostChange(
                units=_units(post_fte),
                establishment=funding == Funding.ESTABLISHMENT,
                before=_is_active(active_from, active_to, start),
                after=_is_active(active_from, active_to, end),
                steady_employees=steady_employees,
                steady_agency=steady_agency,
                changes=tuple(changes.get(post_id, ())),
            )
        )
    without = _without(start, end, scope, without_since, snapshots) if without_since else None  # 7-8
    return movement.decompose(
        start=start,
        end=end,
        scope_label=scope.label,
        before=_totals(snapshots[start].total),
        after=_totals(snapshots[end].total),
        posts=posts,
        without=without,
    )


def _without(
    start: dt.date, end: dt.date, scope: Scope, since: dt.date, snapshots: dict[dt.date, Any]
) -> WithoutPosts:
    """Return the rates on both dates without the establishment posts added after ``since``
    (``post_totals`` of the older posts: one query, two if ``since`` is before the first date)."""

    def older(day: dt.date) -> Any:
        posts = posts_on(day, scope, with_holders=False).filter(role__in_scope=True, active_from__lte=since)
        return post_totals(posts, day)

    everything = snapshots[end].total
    after = older(end)
    # Every post active on the first date was there by then: none added after ``since`` if it is later.
    before = older(start) if since < start else snapshots[start].total
    vacancy_before = measures.vacancy_rate(before.vacancy_fte, before.in_post_fte)
    vacancy_after = measures.vacancy_rate(after.vacancy_fte, after.in_post_fte)
    change = None if vacancy_before is None or vacancy_after is None else vacancy_after - vacancy_before
    return WithoutPosts(
        since=since,
        posts_fte=everything.establishment_fte - after.establishment_fte,
        vacancy_fte=everything.vacancy_fte - after.vacancy_fte,
        vacancy_rate_before=vacancy_before,
        vacancy_rate=vacancy_after,
        agency_rate=measures.agency_rate(after.agency_fte, after.in_post_fte),
        change=change,
    )
