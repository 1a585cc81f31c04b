"""The establishment on one date: S, A, E and V by team, service area and role."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import (
    Count,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from foundation import measures
from workforce.models import (
    EMPLOYEE_CONTRACTS,
    AgencyReason,
    Assignment,
    Contract,
    Funding,
    Post,
)
from workforce.scopes import Scope
from workforce.selectors.base import FTE_OUTPUT, ZERO, fte
from workforce.selectors.posts import posts_on


@dataclass(frozen=True)
class Figures:
    """The establishment figures for one group of posts on one date."""

    establishment_fte: Decimal = ZERO  # E
    in_post_fte: Decimal = ZERO  # S
    agency_fte: Decimal = ZERO  # A
    vacancy_fte: Decimal = ZERO  # V
    agency_covering_vacancies_fte: Decimal = ZERO
    in_post_headcount: int = 0
    agency_headcount: int = 0
    posts: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            establishment_fte=self.establishment_fte + other.establishment_fte,
            in_post_fte=self.in_post_fte + other.in_post_fte,
            agency_fte=self.agency_fte + other.agency_fte,
            vacancy_fte=self.vacancy_fte + other.vacancy_fte,
            agency_covering_vacancies_fte=self.agency_covering_vacancies_fte
            + other.agency_covering_vacancies_fte,
            # Headcounts are not additive (a worker may hold two posts); the selector
            # sets them from distinct counts after adding.
            in_post_headcount=self.in_post_headcount + other.in_post_headcount,
            agency_headcount=self.agency_headcount + other.agency_headcount,
            posts=self.posts + other.posts,
        )

    @property
    def vacancy_rate(self) -> Decimal | None:
        return measures.vacancy_rate(self.vacancy_fte, self.in_post_fte)

    @property
    def agency_rate(self) -> Decimal | None:
        return measures.agency_rate(self.agency_fte, self.in_post_fte)

    @property
    def permanent_fill_rate(self) -> Decimal | None:
        return measures.permanent_fill_rate(self.establishment_fte, self.vacancy_fte)

    @property
    def vacancy_agency_cover_rate(self) -> Decimal | None:
        return measures.vacancy_agency_cover_rate(self.agency_covering_vacancies_fte, self.vacancy_fte)


@dataclass(frozen=True)
class EstablishmentSnapshot:
    """The establishment on one date: totals overall and by team, service area and role."""

    as_of: dt.date
    scope: Scope
    total: Figures
    by_team: dict[int, Figures] = field(default_factory=dict)
    by_service_area: dict[int, Figures] = field(default_factory=dict)
    by_role: dict[int, Figures] = field(default_factory=dict)
    agency_fte_by_reason: dict[str, Decimal] = field(default_factory=dict)
    agency_headcount_by_reason: dict[str, int] = field(default_factory=dict)
    team_names: dict[int, str] = field(default_factory=dict)
    service_area_names: dict[int, str] = field(default_factory=dict)
    role_names: dict[int, str] = field(default_factory=dict)


def _distinct_headcounts(assignments: QuerySet, group: str | None) -> dict:
    """Return {group value: (employee headcount, agency headcount)} of distinct workers."""
    counts = {
        "employees": Count("worker", distinct=True, filter=Q(contract__in=EMPLOYEE_CONTRACTS)),
        "agency": Count("worker", distinct=True, filter=Q(contract=Contract.AGENCY)),
    }
    if group is None:
        row = assignments.aggregate(**counts)
        return {None: (row["employees"], row["agency"])}
    return {
        row[group]: (row["employees"], row["agency"])
        for row in assignments.order_by().values(group).annotate(**counts)
    }


def establishment_on(day: dt.date, scope: Scope | None = None) -> EstablishmentSnapshot:
    """Return the establishment on ``day`` in ``scope``: S, A, E, V by team, area and role.

    Counts only roles in scope of the social work measures. Seven queries, whatever
    the number of posts.
    """
    scope = scope or Scope.everything()
    posts = posts_on(day, scope, with_holders=False).filter(role__in_scope=True)

    # 1. FTE figures grouped by team and role; areas, teams and roles roll up from these.
    grouped = (
        posts.order_by()
        .values(
            "team_id",
            "team__name",
            "team__service_area_id",
            "team__service_area__name",
            "role_id",
            "role__name",
        )
        .annotate(
            posts_count=Count("pk"),
            establishment=Coalesce(
                Sum("fte", filter=Q(funding=Funding.ESTABLISHMENT)), Value(ZERO), output_field=FTE_OUTPUT
            ),
            in_post=Sum("employee_fte"),
            agency=Sum("agency_fte"),
            vacancy=Sum("vacancy_fte"),
        )
    )
    # 2. Agency cover of vacancies, and agency by reason, from the assignments side.
    assignments = scope.filter_posts(
        Assignment.objects.active_on(day).filter(post__in=Post.objects.active_on(day)), "post"
    ).filter(post__role__in_scope=True)
    cover_by_group: dict[tuple[int, int], Decimal] = {
        (row["post__team_id"], row["post__role_id"]): row["fte"]
        for row in assignments.agency()
        .filter(agency_reason=AgencyReason.VACANCY, post__funding=Funding.ESTABLISHMENT)
        .order_by()
        .values("post__team_id", "post__role_id")
        .annotate(fte=Sum("fte"))
    }

    by_team: dict[int, Figures] = defaultdict(Figures)
    by_area: dict[int, Figures] = defaultdict(Figures)
    by_role: dict[int, Figures] = defaultdict(Figures)
    total = Figures()
    team_names: dict[int, str] = {}
    area_names: dict[int, str] = {}
    role_names: dict[int, str] = {}
    for row in grouped:
        team_names[row["team_id"]] = row["team__name"]
        area_names[row["team__service_area_id"]] = row["team__service_area__name"]
        role_names[row["role_id"]] = row["role__name"]
        figures = Figures(
            establishment_fte=fte(row["establishment"]),
            in_post_fte=fte(row["in_post"]),
            agency_fte=fte(row["agency"]),
            vacancy_fte=fte(row["vacancy"]),
            agency_covering_vacancies_fte=fte(cover_by_group.get((row["team_id"], row["role_id"]))),
            posts=row["posts_count"],
        )
        by_team[row["team_id"]] += figures
        by_area[row["team__service_area_id"]] += figures
        by_role[row["role_id"]] += figures
        total += figures

    # 3-6. Distinct headcounts overall and by each grouping.
    def with_heads(figures_by: dict, heads: dict) -> dict:
        return {key: _replace_heads(figures, *heads.get(key, (0, 0))) for key, figures in figures_by.items()}

    total = _replace_heads(total, *_distinct_headcounts(assignments, None)[None])
    by_team = with_heads(by_team, _distinct_headcounts(assignments, "post__team_id"))
    by_area = with_heads(by_area, _distinct_headcounts(assignments, "post__team__service_area_id"))
    by_role = with_heads(by_role, _distinct_headcounts(assignments, "post__role_id"))

    # 7. Agency by reason.
    reasons = (
        assignments.agency()
        .order_by()
        .values("agency_reason")
        .annotate(fte=Sum("fte"), heads=Count("worker", distinct=True))
    )
    fte_by_reason = {reason: ZERO for reason in AgencyReason.values}
    heads_by_reason = {reason: 0 for reason in AgencyReason.values}
    for row in reasons:
        fte_by_reason[row["agency_reason"]] = fte(row["fte"])
        heads_by_reason[row["agency_reason"]] = row["heads"]

    return EstablishmentSnapshot(
        as_of=day,
        scope=scope,
        total=total,
        by_team=dict(by_team),
        by_service_area=dict(by_area),
        by_role=dict(by_role),
        agency_fte_by_reason=fte_by_reason,
        agency_headcount_by_reason=heads_by_reason,
        team_names=team_names,
        service_area_names=area_names,
        role_names=role_names,
    )


def _replace_heads(figures: Figures, employees: int, agency: int) -> Figures:
    return replace(figures, in_post_headcount=employees, agency_headcount=agency)
