"""Reads of recruitment: the funnel over any window and scope, and campaigns with theirs.

INTERFACE CONTRACT: the committee report (reporting/) calls ``recruitment_funnel`` and
reads exactly these dataclasses. Keep the names and fields; add fields if needed.

Which applications a scope covers: an application belongs to the team it is for
(``Application.team``: the hiring team, set from the post when the candidate starts)
and to its role. ``Scope.filter_posts(applications)`` narrows on both; an application
with no team yet counts only in an unnarrowed scope (all teams).

The funnel is a cohort: applications *received* in the window, counted at each stage
they reached *by the window's end*, so the figures for a past window do not move as
later applications progress. Each read is a fixed number of queries (seven), whatever
the number of applications.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from foundation import measures
from recruitment.models import Application, Campaign, DeclineReason
from workforce.models import Funding, Post, Role
from workforce.scopes import Scope
from workforce.selectors import posts_on, raw_rows, sql_rows

PENNY = Decimal("0.01")
ROW = Value(1)  # counted for each row: COUNT(1)
STAGE_FIELDS = {
    "shortlisted": "shortlisted_on",
    "interviewed": "interviewed_on",
    "offered": "offered_on",
    "accepted": "offer_accepted_on",
    "started": "started_on",
}


def stage_reached(*, by: dt.date | None = None, prefix: str = "") -> dict[str, Q]:
    """Return, per stage, a ``Q`` for applications that reached it (by ``by``, or ever).

    ``prefix`` leads from the queried model to the application (``"applications__"``).
    """
    if by is None:
        return {stage: Q(**{f"{prefix}{name}__isnull": False}) for stage, name in STAGE_FIELDS.items()}
    return {stage: Q(**{f"{prefix}{name}__lte": by}) for stage, name in STAGE_FIELDS.items()}


def cost_per_start(cost: Decimal, starts: int) -> Decimal | None:
    """Return the cost of each start to the penny, or None when nobody started."""
    return measures.cost_per(cost, starts)


@dataclass(frozen=True)
class FunnelRow:
    """One role's funnel (or the total, with ``role_id`` None). Counts of applications
    received in the window that reached each stage. Newly qualified applicants are NOT in
    these counts: they are counted apart in ``Funnel.newly_qualified``."""

    role_id: int | None
    role_name: str
    received: int
    shortlisted: int
    interviewed: int
    offered: int
    accepted: int
    started: int
    internal_received: int
    internal_interviewed: int
    internal_offered: int
    median_days_to_offer: Decimal | None
    median_days_to_start: Decimal | None

    @property
    def internal_offer_share(self) -> Decimal | None:
        """Return the % of offers made to internal candidates (None if no offers)."""
        from foundation.measures import percentage

        return percentage(self.internal_offered, self.offered)

    @property
    def internal_share(self) -> Decimal | None:
        """Return the % of applications from internal candidates."""
        from foundation.measures import percentage

        return percentage(self.internal_received, self.received)

    @property
    def internal_interview_share(self) -> Decimal | None:
        """Return the % of the candidates interviewed who were internal (None if nobody was)."""
        return measures.percentage(self.internal_interviewed, self.interviewed)

    @property
    def conversions(self) -> list[tuple[str, Decimal | None]]:
        """Return the conversion % from each stage to the next, as (label, rate)."""
        from foundation.measures import percentage

        return [
            ("Received to interviewed", percentage(self.interviewed, self.received)),
            ("Interviewed to offered", percentage(self.offered, self.interviewed)),
            ("Offered to accepted", percentage(self.accepted, self.offered)),
            ("Accepted to started", percentage(self.started, self.accepted)),
        ]


@dataclass(frozen=True)
class CohortRow:
    """A newly qualified cohort campaign's applications received in the window."""

    campaign_id: int
    title: str
    starts_on: dt.date | None
    target_hires: int | None
    received: int
    offered: int
    accepted: int
    started: int


NOT_RECORDED = "not-recorded"


@dataclass(frozen=True)
class DeclineRow:
    """Offers declined, and offers withdrawn, for one reason. ``reason_id`` None: offers
    declined or withdrawn before reasons were kept, shown as "not recorded"."""

    reason_id: int | None
    code: str
    name: str
    declined: int
    withdrawn: int
    retired: bool = False

    @property
    def total(self) -> int:
        return self.declined + self.withdrawn


@dataclass(frozen=True)
class Funnel:
    start: dt.date
    end: dt.date
    scope: Scope
    rows: list[FunnelRow]  # one per role, in role order
    total: FunnelRow  # all roles, newly qualified excluded
    newly_qualified: FunnelRow  # newly qualified applicants, all roles
    campaign_cost: Decimal  # cost of campaigns running in the window
    starts: int  # all starts in the window, newly qualified included
    cost_per_start: Decimal | None
    cohorts: list[CohortRow] = field(default_factory=list)  # newly qualified cohorts in the window
    # Offers to the applications received in the window (newly qualified included) declined or
    # withdrawn by its end, by reason: every current reason, retired ones used, then "not recorded".
    declines: list[DeclineRow] = field(default_factory=list)

    @property
    def declines_total(self) -> DeclineRow:
        """Return the offers declined and withdrawn, all reasons together."""
        return DeclineRow(
            reason_id=None,
            code="total",
            name="All offers declined or withdrawn",
            declined=sum(row.declined for row in self.declines),
            withdrawn=sum(row.withdrawn for row in self.declines),
        )


COUNT_FIELDS = (
    "received",
    "shortlisted",
    "interviewed",
    "offered",
    "accepted",
    "started",
    "internal_received",
    "internal_interviewed",
    "internal_offered",
)


def _counts(end: dt.date) -> dict[str, Count]:
    """Return the funnel's counts as aggregates, one per name in ``COUNT_FIELDS``.

    They count rows (``COUNT(1)``) rather than ids, so that PostgreSQL can read them from
    the application_funnel_covering index alone (the id is not in it)."""
    reached = stage_reached(by=end)
    counts = {"received": Count(ROW)}
    counts.update({stage: Count(ROW, filter=condition) for stage, condition in reached.items()})
    internal = Q(internal=True)
    counts["internal_received"] = Count(ROW, filter=internal)
    counts["internal_interviewed"] = Count(ROW, filter=internal & reached["interviewed"])
    counts["internal_offered"] = Count(ROW, filter=internal & reached["offered"])
    return counts


def _counts_per_role(
    in_window: QuerySet[Application], end: dt.date
) -> dict[tuple[int, bool], dict[str, int]]:
    """Return the counts (``COUNT_FIELDS``) of ``in_window`` by (role id, newly qualified).

    One query, grouped twice: by day received, role and newly qualified first, the order of
    the application_funnel_covering index, so SQLite groups the window's tens of thousands
    of applications as it reads them instead of sorting them all; then the few hundred
    rows of that by role. The sums are the counts a single grouping gives.
    """
    per_day = (
        in_window.order_by().values("received_on", "role_id", "newly_qualified").annotate(**_counts(end))
    )
    try:
        sql, params = per_day.query.sql_with_params()
    except EmptyResultSet:  # e.g. a scope of no teams: nothing to ask the database
        return {}
    sums = ", ".join(f"SUM({name})" for name in COUNT_FIELDS)
    rows = sql_rows(f"SELECT role_id, newly_qualified, {sums} FROM ({sql}) per_day GROUP BY 1, 2", params)
    return {
        (role_id, bool(newly_qualified)): dict(zip(COUNT_FIELDS, map(int, counts), strict=True))
        for role_id, newly_qualified, *counts in rows
    }


class DaysBetween(Func):
    """The number of days from the date ``earlier`` to the date ``later``, an integer."""

    output_field = IntegerField()

    def __init__(self, later: str, earlier: str) -> None:
        super().__init__(F(later), F(earlier))

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL (the other database the product runs on): one date minus another is
        # the integer number of days between them.
        later, earlier = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"({later[0]} - {earlier[0]})", (*later[1], *earlier[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite keeps dates as ISO text: the difference of their Julian day numbers.
        later, earlier = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"CAST(julianday({later[0]}) - julianday({earlier[0]}) AS INTEGER)", (*later[1], *earlier[1])


def _days_to_offer_and_start(
    in_window: QuerySet[Application], end: dt.date
) -> tuple[dict[tuple[int, bool], list[int]], dict[tuple[int, bool], list[int]]]:
    """Return the days from application to offer and to start, by (role id, newly
    qualified), of the applications in ``in_window`` offered or started by ``end``.

    One query. The database works out the days and counts the applications alike in
    role and days (a few thousand rows rather than every offer and start, and no dates
    to convert): the lists hold each number of days as many times as it was counted."""
    to_offer: dict[tuple[int, bool], list[int]] = defaultdict(list)
    to_start: dict[tuple[int, bool], list[int]] = defaultdict(list)
    rows = raw_rows(
        in_window.filter(Q(offered_on__lte=end) | Q(started_on__lte=end))
        .order_by()
        .values_list(
            "role_id",
            "newly_qualified",
            Case(When(offered_on__lte=end, then=DaysBetween("offered_on", "received_on"))),
            Case(When(started_on__lte=end, then=DaysBetween("started_on", "received_on"))),
        )
        .annotate(applications=Count(ROW))
    )
    for role_id, newly_qualified, days_to_offer, days_to_start, applications in rows:
        key = (role_id, bool(newly_qualified))
        if days_to_offer is not None:
            to_offer[key].extend([days_to_offer] * applications)
        if days_to_start is not None:
            to_start[key].extend([days_to_start] * applications)
    return to_offer, to_start


def _row(role_id: int | None, name: str, counts: dict[str, int], days: tuple[list, list]) -> FunnelRow:
    return FunnelRow(
        role_id=role_id,
        role_name=name,
        **{key: counts.get(key, 0) for key in COUNT_FIELDS},
        median_days_to_offer=measures.median(days[0]),
        median_days_to_start=measures.median(days[1]),
    )


def _declines(in_window: QuerySet[Application], end: dt.date) -> list[DeclineRow]:
    """Return the offers in ``in_window`` declined or withdrawn by ``end``, by reason.

    One query: the applications' counts grouped by reason, joined (UNION ALL) with every
    current reason at nought, so that reasons nobody gave still have their row. An offer
    declined and later withdrawn counts once, as withdrawn (as ``Application.stage`` says).
    """
    withdrawn = Q(offer_withdrawn_on__lte=end)
    declined = Q(offer_declined_on__lte=end) & (
        Q(offer_withdrawn_on__isnull=True) | Q(offer_withdrawn_on__gt=end)
    )
    reason = ("decline_reason_id", "decline_reason__code", "decline_reason__name", "decline_reason__order")
    # The first condition is the application_declines index's own, so the database reads
    # only that (small, partial) index.
    answered = Q(offer_declined_on__isnull=False) | Q(offer_withdrawn_on__isnull=False)
    counted = (
        in_window.filter(answered)
        .filter(withdrawn | declined)
        .order_by()
        .values_list(*reason, "decline_reason__active")
        .annotate(declined=Count(ROW, filter=declined), withdrawn=Count(ROW, filter=withdrawn))
    )
    current = (
        DeclineReason.objects.active()
        .order_by()
        .values_list("pk", "code", "name", "order", "active", Value(0), Value(0))
    )
    reasons: dict[int | None, tuple] = {}  # id: (order, name, code, active)
    declines: dict[int | None, int] = defaultdict(int)
    withdrawals: dict[int | None, int] = defaultdict(int)
    for reason_id, code, name, order, active, n_declined, n_withdrawn in raw_rows(
        counted.union(current, all=True)
    ):
        reasons[reason_id] = (order, name, code, bool(active))
        declines[reason_id] += int(n_declined)
        withdrawals[reason_id] += int(n_withdrawn)
    reasons.pop(None, None)
    rows = [
        DeclineRow(reason_id, code, name, declines[reason_id], withdrawals[reason_id], retired=not active)
        for reason_id, (_, name, code, active) in sorted(reasons.items(), key=lambda item: item[1][:2])
    ]
    rows.append(DeclineRow(None, NOT_RECORDED, "Not recorded", declines[None], withdrawals[None]))
    return rows


def _is_narrowed(scope: Scope) -> bool:
    return bool(
        scope.case_holding_only
        or scope.service_area_id is not None
        or scope.team_ids is not None
        or scope.role_id is not None
    )


def scoped_applications(scope: Scope | None = None) -> QuerySet[Application]:
    """Return the applications in ``scope`` (by the team they are for and their role)."""
    return (scope or Scope.everything()).filter_posts(Application.objects.all())


def recruitment_funnel(
    *, start: dt.date, end: dt.date, scope: Scope | None = None, campaign: Campaign | None = None
) -> Funnel:
    """Return the recruitment funnel for applications received from ``start`` to ``end``.

    Rows are the roles with an application in the window or a campaign running in it
    (one role if the scope names one). ``campaign_cost`` is the cost of the campaigns
    running in the window; in a scope narrowed to some teams or a role, only those with
    an application in scope received in the window (a campaign's cost is not split).
    ``campaign`` narrows everything to one campaign. Seven queries.
    """
    scope = scope or Scope.everything()
    applications = scoped_applications(scope)
    campaigns = Campaign.objects.running_between(start, end)
    if campaign is not None:
        applications = applications.filter(campaign=campaign)
        campaigns = campaigns.filter(pk=campaign.pk)
    in_window = applications.filter(received_on__gte=start, received_on__lte=end)

    # 1. Counts per role, newly qualified apart (the roles' names come with query 3).
    grouped = _counts_per_role(in_window, end)

    # 2. Days from application to offer and to start, for the medians.
    to_offer, to_start = _days_to_offer_and_start(in_window, end)

    # 3. The rows' roles: those with applications in the window (not newly qualified) and
    # those the campaigns running in it recruit for (rows even with no applications). The
    # campaigns are asked about only for roles without applications (a correlated EXISTS
    # after the list), rather than listing every running campaign's roles first.
    targeted = Q(Exists(campaigns.filter(newly_qualified_cohort=False, roles=OuterRef("pk"))))
    if scope.role_id is not None:
        targeted &= Q(pk=scope.role_id)
    applied = Q(pk__in=[role_id for role_id, newly_qualified in grouped if not newly_qualified])
    names = {
        role["pk"]: (role["order"], role["name"])
        for role in Role.objects.filter(applied | targeted).values("pk", "order", "name")
    }

    rows = []
    for role_id, (_, name) in sorted(names.items(), key=lambda item: (item[1][0], item[1][1])):
        key = (role_id, False)
        rows.append(_row(role_id, name, grouped.get(key, {}), (to_offer[key], to_start[key])))

    def combined(newly_qualified: bool, name: str) -> FunnelRow:
        keys = [key for key in grouped if key[1] == newly_qualified]
        counts = {f: sum(grouped[key][f] for key in keys) for f in COUNT_FIELDS}
        days = (
            [d for key, values in to_offer.items() if key[1] == newly_qualified for d in values],
            [d for key, values in to_start.items() if key[1] == newly_qualified for d in values],
        )
        return _row(None, name, counts, days)

    # 4. The cost of the campaigns running in the window.
    if _is_narrowed(scope):
        campaigns = campaigns.filter(pk__in=in_window.values("campaign_id"))
    cost = campaigns.aggregate(total=Sum("cost"))["total"] or Decimal("0")

    # 5. Every start in the window, newly qualified included.
    starts = applications.filter(started_on__gte=start, started_on__lte=end).count()

    # 6. Newly qualified cohorts with applications in the window (found through the few
    # cohort campaigns' ids rather than joining every application in the window).
    reached = stage_reached(by=end)
    cohort_campaigns = Campaign.objects.filter(newly_qualified_cohort=True).values("pk")
    cohorts = [
        CohortRow(
            campaign_id=row["campaign_id"],
            title=row["campaign__title"],
            starts_on=row["campaign__cohort_starts_on"],
            target_hires=row["campaign__target_hires"],
            received=row["received"],
            offered=row["offered"],
            accepted=row["accepted"],
            started=row["started"],
        )
        for row in in_window.filter(campaign_id__in=cohort_campaigns, newly_qualified=True)
        .order_by("campaign__opens_on", "campaign_id")
        .values("campaign_id", "campaign__title", "campaign__cohort_starts_on", "campaign__target_hires")
        .annotate(
            received=Count("pk"),
            offered=Count("pk", filter=reached["offered"]),
            accepted=Count("pk", filter=reached["accepted"]),
            started=Count("pk", filter=reached["started"]),
        )
    ]

    # 7. Offers declined or withdrawn, by reason.
    declines = _declines(in_window, end)

    return Funnel(
        start=start,
        end=end,
        scope=scope,
        rows=rows,
        total=combined(False, "All roles"),
        newly_qualified=combined(True, "Newly qualified"),
        campaign_cost=Decimal(cost).quantize(PENNY),
        starts=starts,
        cost_per_start=cost_per_start(Decimal(cost), starts),
        cohorts=cohorts,
        declines=declines,
    )


def _count_per_campaign(applications: QuerySet[Application], condition: Q) -> Coalesce:
    """Return an expression: how many of ``applications`` in the outer campaign meet ``condition``."""
    counted = (
        applications.filter(condition, campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def campaigns_with_funnel(scope: Scope | None = None, queryset: QuerySet | None = None) -> QuerySet[Campaign]:
    """Return campaigns, each annotated with its funnel to date within ``scope``.

    Annotations: ``received``, ``shortlisted``, ``interviewed``, ``offered``, ``accepted``,
    ``started`` (applications in the campaign, in scope, that reached each stage).
    Roles and channels are prefetched. In a narrowed scope only campaigns with an
    application in it are returned.

    Each count is a subquery of the campaign's own applications, so a page of campaigns
    (sliced from the queryset) counts the applications of that page only.
    """
    scope = scope or Scope.everything()
    queryset = queryset if queryset is not None else Campaign.objects.all()
    in_scope = scoped_applications(scope)
    if _is_narrowed(scope):
        queryset = queryset.filter(pk__in=in_scope.values("campaign_id"))
    counts = {"received": _count_per_campaign(in_scope, Q())}
    counts.update(
        {stage: _count_per_campaign(in_scope, condition) for stage, condition in stage_reached().items()}
    )
    return queryset.annotate(**counts).prefetch_related("roles", "channels")


def vacant_posts_for(*, role: Role, on: dt.date) -> QuerySet[Post]:
    """Return the establishment posts of ``role`` with a vacancy on ``on``, most vacant first."""
    return (
        posts_on(on, Scope.everything().with_role(role.pk), with_holders=False)
        .filter(funding=Funding.ESTABLISHMENT, vacancy_fte__gt=0)
        .order_by("-vacancy_fte", "team__name", "reference")
    )
