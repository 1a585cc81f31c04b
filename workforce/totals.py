"""The totals E, S, A and V over any set of posts on a date, in one grouped query.

The establishment page shows these over exactly the posts its filters select. Summing
the per-post annotations of ``workforce.selectors.posts_on`` would evaluate correlated
subqueries for every post (the employee FTE twice, as the vacancy repeats it); here the
assignments active on the date are grouped by post once and joined to the posts, as
the hand-written SQL of the benchmark computes V. The posts and the assignments active
on the date are selected by the ORM (one source for those rules); only the sums are
written here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from workforce.models import EMPLOYEE_CONTRACTS, Assignment, Contract, Funding, Post
from workforce.selectors import fte


@dataclass(frozen=True)
class PostTotals:
    """E, S, A and V (FTE, to four places) over a set of posts on one date."""

    establishment_fte: Decimal  # E: the FTE of the establishment-funded posts
    in_post_fte: Decimal  # S: employees (permanent and fixed-term) holding the posts
    agency_fte: Decimal  # A: agency workers in the posts
    vacancy_fte: Decimal  # V: per establishment post, max(0, post FTE - employee FTE)
    posts: int = 0  # how many posts


def post_totals(posts: QuerySet[Post], day: dt.date) -> PostTotals:
    """Return E, S, A, V and the number of ``posts`` (any filtered posts) on ``day``. One query.

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
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        e, s, a, v, count = cursor.fetchone()
    return PostTotals(
        establishment_fte=fte(e), in_post_fte=fte(s), agency_fte=fte(a), vacancy_fte=fte(v), posts=count
    )
