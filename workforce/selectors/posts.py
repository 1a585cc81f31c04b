"""Every post on a date with its employee, agency and vacancy FTE, and the totals of a list."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from jobs.cache import built_once, records_version
from workforce.models import (
    EMPLOYEE_CONTRACTS,
    Assignment,
    Contract,
    Funding,
    Post,
)
from workforce.scopes import Scope
from workforce.selectors.base import FTE_OUTPUT, ZERO, fte, sql_rows


def _assignment_fte_on(day: dt.date, contract_filter: Q) -> Coalesce:
    """Return an expression: the FTE of matching assignments active on ``day`` in the outer post."""
    total = (
        Assignment.objects.active_on(day)
        .filter(contract_filter, post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(total=Sum("fte"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=FTE_OUTPUT), Value(ZERO), output_field=FTE_OUTPUT)


def annotate_post_figures(queryset: QuerySet[Post], day: dt.date) -> QuerySet[Post]:
    """Return ``queryset`` with each post's employee, agency and vacancy FTE on ``day``.

    The annotations are ``employee_fte``, ``agency_fte`` and ``vacancy_fte``.
    """
    return queryset.annotate(
        employee_fte=_assignment_fte_on(day, Q(contract__in=EMPLOYEE_CONTRACTS)),
        agency_fte=_assignment_fte_on(day, Q(contract=Contract.AGENCY)),
    ).annotate(
        vacancy_fte=Case(
            When(
                funding=Funding.ESTABLISHMENT,
                then=Greatest(F("fte") - F("employee_fte"), Value(ZERO), output_field=FTE_OUTPUT),
            ),
            default=Value(ZERO),
            output_field=FTE_OUTPUT,
        )
    )


def posts_on(day: dt.date, scope: Scope | None = None, *, with_holders: bool = True) -> QuerySet[Post]:
    """Return the posts active on ``day`` in ``scope``, each annotated with its figures.

    Annotations: ``employee_fte``, ``agency_fte`` and ``vacancy_fte`` (establishment
    posts only: max(0, post FTE - employee FTE); an agency-covered vacancy is still a
    vacancy). With ``with_holders`` each post also carries ``current_assignments``,
    the assignments active on ``day`` with their workers and each worker's caseload then
    (``cases``, ``workforce.selectors.caseloads``), in one extra query.
    """
    scope = scope or Scope.everything()
    queryset = scope.filter_posts(Post.objects.active_on(day)).select_related("team__service_area", "role")
    queryset = annotate_post_figures(queryset, day)
    if with_holders:
        # Imported here: the caseloads read the establishment's dates, which read these posts.
        from workforce.selectors.caseloads import latest_cases

        queryset = queryset.prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.active_on(day)
                .select_related("worker")
                .annotate(cases=latest_cases(day))  # each holder's caseload then (None: not known)
                .order_by("contract", "start"),
                to_attr="current_assignments",
            )
        )
    return queryset


@dataclass(frozen=True)
class PostTotals:
    """E, S, A and V (FTE, to four places) over a set of posts on one date."""

    establishment_fte: Decimal  # E: the FTE of the establishment-funded posts
    in_post_fte: Decimal  # S: employees (permanent and fixed-term) holding the posts
    agency_fte: Decimal  # A: agency workers in the posts
    vacancy_fte: Decimal  # V: per establishment post, max(0, post FTE - employee FTE)
    posts: int = 0  # how many posts


# The posts the establishment page's "vacant only" and "agency-covered only" choose (as
# ``vacancy_fte > 0`` and ``agency_fte > 0`` of ``annotate_post_figures`` do), over the sums
# per post that ``post_totals`` works out anyway. The %s is the establishment funding.
ONLY = {
    "vacant": "per_post.funding = %s AND per_post.fte > COALESCE(per_post.employee, 0)",
    "agency": "COALESCE(per_post.agency, 0) > 0",
}


def post_totals(posts: QuerySet[Post], day: dt.date, *, only: tuple[str, ...] = ()) -> PostTotals:
    """Return E, S, A, V and the number of ``posts`` (any filtered posts) on ``day``. One query.

    ``only`` ("vacant", "agency", or both) counts only the posts with a vacancy, or with
    agency cover, on ``day``: the same as filtering ``posts`` on the annotations first, but
    worked out in the same pass rather than by a subquery for each post (at 40,000 posts,
    70 ms rather than 330 ms on PostgreSQL).

    For the establishment page, over exactly the posts its filters select: summing
    ``posts_on``'s per-post annotations would evaluate correlated subqueries for every post
    (the employee FTE twice, as the vacancy repeats it). The posts and the assignments
    active on the day are selected by the ORM; only the sums are written by hand.

    The figures are those of summing ``posts_on(day)``'s per-post ``fte`` (establishment
    funding only), ``employee_fte``, ``agency_fte`` and ``vacancy_fte``: the posts (as
    filtered) are joined to their assignments active on ``day`` and grouped by post once.
    """
    posts_sql, posts_params = posts.order_by().values("id", "fte", "funding").query.sql_with_params()
    held_sql, held_params = (
        Assignment.objects.active_on(day)
        .order_by()
        .values("post_id", "fte", "contract")
        .query.sql_with_params()
    )
    employee_contracts = ", ".join(["%s"] * len(EMPLOYEE_CONTRACTS))
    employee = "COALESCE(per_post.employee, 0)"
    sql = f"""
        SELECT SUM(CASE WHEN per_post.funding = %s THEN per_post.fte ELSE 0 END),
               SUM({employee}),
               SUM(COALESCE(per_post.agency, 0)),
               SUM(CASE WHEN per_post.funding = %s AND per_post.fte > {employee}
                        THEN per_post.fte - {employee} ELSE 0 END),
               COUNT(*)
          FROM (SELECT p.id, p.fte, p.funding,
                       SUM(CASE WHEN a.contract IN ({employee_contracts}) THEN a.fte END) AS employee,
                       SUM(CASE WHEN a.contract = %s THEN a.fte END) AS agency
                  FROM ({posts_sql}) p
                  LEFT JOIN ({held_sql}) a ON a.post_id = p.id
                 GROUP BY p.id, p.fte, p.funding) per_post
    """
    establishment = Funding.ESTABLISHMENT.value
    params = [
        establishment,
        establishment,
        *(contract.value for contract in EMPLOYEE_CONTRACTS),
        Contract.AGENCY.value,
        *posts_params,
        *held_params,
    ]
    if only:
        sql += " WHERE " + " AND ".join(ONLY[kind] for kind in only)
        params += [establishment for kind in only if kind == "vacant"]
    ((e, s, a, v, count),) = sql_rows(sql, params)
    return PostTotals(
        establishment_fte=fte(e), in_post_fte=fte(s), agency_fte=fte(a), vacancy_fte=fte(v), posts=count
    )


KEEP_TOTALS_SECONDS = 60 * 60


def workforce_version() -> str:
    """Return the version of the workforce's records (``jobs.cache.records_version``): one query."""
    return records_version(["workforce"])


def kept_post_totals(
    posts: QuerySet[Post], day: dt.date, *, only: tuple[str, ...] = (), version: str | None = None
) -> PostTotals:
    """Return ``post_totals(posts, day, only=only)``, kept in the shared cache while the
    workforce's records are unchanged: keyed on the posts' query itself (its SQL and its
    values: the filters and the teams the user may see), the day, ``only`` and the version
    of the workforce's records (``version``, read if not given: one cheap query).

    At 40,000 posts the totals take about 55 ms of PostgreSQL's time, half the
    establishment page's, and the same few filters are asked for again and again."""
    sql, params = posts.order_by().values("id", "fte", "funding").query.sql_with_params()
    version = version or workforce_version()
    text = repr((sql, [str(param) for param in params], day.isoformat(), only, version))
    key = "post-totals:" + hashlib.sha256(text.encode()).hexdigest()
    return built_once(key, lambda: post_totals(posts, day, only=only), timeout=KEEP_TOTALS_SECONDS)
