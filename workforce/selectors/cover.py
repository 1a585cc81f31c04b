"""Agency workers covering vacancies on a date: the people behind the establishment's cover FTE."""

from __future__ import annotations

import datetime as dt

from workforce.models import AgencyReason, Assignment, Contract, Funding, Post
from workforce.scopes import Scope


def agency_covering_vacancies_headcount(day: dt.date, scope: Scope | None = None) -> int:
    """Return how many people are agency workers covering vacancies on ``day`` in ``scope``: one query.

    They are the agency assignments for a vacancy in an establishment post, in a children's
    social work role, whose FTE ``establishment_on`` sums as ``agency_covering_vacancies_fte``;
    a person covering two vacancies counts once.
    """
    scope = scope or Scope.everything()
    covering = scope.filter_posts(
        Assignment.objects.active_on(day).filter(post__in=Post.objects.active_on(day)), "post"
    ).filter(
        post__role__in_scope=True,
        contract=Contract.AGENCY,
        agency_reason=AgencyReason.VACANCY,
        post__funding=Funding.ESTABLISHMENT,
    )
    return covering.values("worker").distinct().count()
