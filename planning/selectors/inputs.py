"""Reads of what the forecast starts from, for one as-at date or several at once (the backtest).

The positions come from ``workforce.selectors.establishment_on_dates``; leavers through
``leavers.selectors``; offers through ``recruitment.selectors.scoped_applications``. Each read is
one grouped query over the span of every as-at date, so the number of queries depends neither
on the number of records nor on the number of dates (thirteen in all).

As known then: for a past as-at date (``as_known=True``, the backtest), only the events the
records could have shown then are counted; see ``docs/forecast.md`` for the rules.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum

from foundation.periods import add_months, twelve_months_to
from leavers.selectors import leavers_fte_over, leavers_in
from planning import inputs as ev
from planning.engine import quarter_ends
from planning.inputs import CohortStart, ForecastInputs, Offer, Position, Trailing
from planning.models import PipelineCohort
from recruitment.selectors import scoped_applications
from workforce.models import (
    EMPLOYEE_CONTRACTS,
    AgencyReason,
    Assignment,
    Contract,
    Funding,
    OrgRole,
    Post,
    Role,
)
from workforce.scopes import Scope
from workforce.selectors import establishment_on_dates, fte

ZERO = Decimal("0")
ONE_DAY = dt.timedelta(days=1)
# How far ahead the records show an event, for a forecast as known at a past date (the backtest).
EMPLOYEE_NOTICE_DAYS = 30  # a leaver's notice: a month
AGENCY_NOTICE_DAYS = 28  # an agency assignment's notice: four weeks (DfE's agency rules)
POSTS_AGREED_MONTHS = 3  # posts are agreed (and recorded) a quarter before they start or end


def team_in_scope(scope: Scope, team: object) -> bool:
    """Return whether ``team`` (with ``pk``, ``service_area_id``, ``case_holding``) is in ``scope``."""
    if scope.team_ids is not None and team.pk not in scope.team_ids:
        return False
    if scope.service_area_id is not None and team.service_area_id != scope.service_area_id:
        return False
    return not (scope.case_holding_only and not team.case_holding)


def covers_every_team(scope: Scope) -> bool:
    """Return whether ``scope`` is not narrowed to some teams or a service area (the whole council,
    or its case-holding teams): where records with no team (cohorts, levers) are counted."""
    return scope.team_ids is None and scope.service_area_id is None


def _active_on(day: dt.date) -> Q:
    return (
        Q(start__lte=day, post__active_from__lte=day)
        & (Q(end__isnull=True) | Q(end__gte=day))
        & (Q(post__active_to__isnull=True) | Q(post__active_to__gte=day))
    )


def _temporary_parts(origins: tuple[dt.date, ...], scope: Scope) -> dict[tuple[dt.date, int], tuple]:
    """Return {(as-at, role): (employee FTE, agency FTE)} in temporary posts. One query."""
    sums = {}
    for i, day in enumerate(origins):
        sums[f"employees_{i}"] = Sum("fte", filter=_active_on(day) & Q(contract__in=EMPLOYEE_CONTRACTS))
        sums[f"agency_{i}"] = Sum("fte", filter=_active_on(day) & Q(contract=Contract.AGENCY))
    rows = (
        scope.filter_posts(
            Assignment.objects.filter(post__role__in_scope=True, post__funding=Funding.TEMPORARY), "post"
        )
        .filter(Q(end__isnull=True) | Q(end__gte=origins[0]), start__lte=origins[-1])
        .order_by()
        .values("post__role_id")
        .annotate(**sums)
    )
    parts = {}
    for row in rows:
        for i, day in enumerate(origins):
            parts[day, row["post__role_id"]] = (fte(row[f"employees_{i}"]), fte(row[f"agency_{i}"]))
    return parts


def _post_events(low: dt.date, high: dt.date, scope: Scope) -> list[tuple]:
    """Return (role, funding, FTE, active from, active to) of posts starting or ending in the span."""
    return list(
        scope.filter_posts(Post.objects.filter(role__in_scope=True))
        .filter(Q(active_from__gt=low, active_from__lte=high) | Q(active_to__gte=low, active_to__lt=high))
        .order_by()
        .values_list("role_id", "funding", "fte", "active_from", "active_to")
    )


def _assignment_events(low: dt.date, high: dt.date, scope: Scope) -> list[tuple]:
    """Return the assignments starting or ending in the span with what the forecast needs of them:
    (role, funding, contract, agency reason, FTE, start, end, carries on, offer accepted on)."""
    carries_on = Exists(
        Assignment.objects.filter(worker_id=OuterRef("worker_id"), contract__in=EMPLOYEE_CONTRACTS)
        .exclude(pk=OuterRef("pk"))
        .filter(Q(end__isnull=True) | Q(end__gt=OuterRef("end")))
    )
    return list(
        scope.filter_posts(Assignment.objects.filter(post__role__in_scope=True), "post")
        .filter(contract__in=(*EMPLOYEE_CONTRACTS, Contract.AGENCY))
        .filter(Q(start__gt=low, start__lte=high) | Q(end__gte=low, end__lt=high))
        .annotate(carries_on=carries_on)
        .order_by()
        .values_list(
            "post__role_id",
            "post__funding",
            "contract",
            "agency_reason",
            "fte",
            "start",
            "end",
            "carries_on",
            "application__offer_accepted_on",
        )
    )


def _fills(low: dt.date, high: dt.date, scope: Scope) -> list[tuple[int, dt.date, int]]:
    """Return (role, start, days the post stood vacant before it) of each employee starting in a
    wholly vacant establishment post from ``low`` to ``high``. One query."""
    employees = Assignment.objects.filter(contract__in=EMPLOYEE_CONTRACTS)
    previous_end = Subquery(
        employees.filter(post_id=OuterRef("post_id"), end__lt=OuterRef("start"))
        .order_by("-end")
        .values("end")[:1]
    )
    shared = Exists(
        employees.filter(post_id=OuterRef("post_id"), start__lt=OuterRef("start")).filter(
            Q(end__isnull=True) | Q(end__gte=OuterRef("start"))
        )
    )
    rows = (
        scope.filter_posts(
            employees.filter(post__role__in_scope=True, post__funding=Funding.ESTABLISHMENT), "post"
        )
        .filter(start__gte=low, start__lte=high)
        .annotate(previous_end=previous_end, shared=shared)
        .filter(shared=False)
        .order_by()
        .values_list("post__role_id", "start", "previous_end", "post__active_from")
    )
    fills = []
    for role_id, start, previous, active_from in rows:
        vacant_from = previous + ONE_DAY if previous is not None else active_from
        fills.append((role_id, start, max(0, (start - vacant_from).days)))
    return fills


def _offers(low: dt.date, high: dt.date, scope: Scope) -> list[tuple]:
    """Return the offers made by ``high`` that were open at ``low`` or made in the year to
    ``high``: (role, offered, accepted, declined, withdrawn, started, agreed start). One query."""
    return list(
        scoped_applications(scope)
        .filter(role__in_scope=True, offered_on__isnull=False, offered_on__lte=high)
        .filter(
            Q(offered_on__gte=low)
            | (
                (Q(started_on__isnull=True) | Q(started_on__gt=low))
                & (Q(offer_declined_on__isnull=True) | Q(offer_declined_on__gt=low))
                & (Q(offer_withdrawn_on__isnull=True) | Q(offer_withdrawn_on__gt=low))
            )
        )
        .order_by()
        .values_list(
            "role_id",
            "offered_on",
            "offer_accepted_on",
            "offer_declined_on",
            "offer_withdrawn_on",
            "started_on",
            "start_planned_on",
        )
    )


def _by(day: dt.date | None, on: dt.date) -> bool:
    return day is not None and day <= on


def _offers_at(rows: list[tuple], day: dt.date) -> tuple[tuple[Offer, ...], int, int, list[int]]:
    """Return the offers open on ``day`` and, over the 12 months to it, the offers accepted and
    answered and the days from offer to start of those who started."""
    window_start, _ = twelve_months_to(day)
    open_offers: Counter = Counter()
    accepted = answered = 0
    to_start = []
    for role_id, offered, accepted_on, declined, withdrawn, started, planned in rows:
        if offered > day:
            continue
        if window_start <= offered:
            if _by(accepted_on, day) or _by(declined, day):
                answered += 1
                accepted += _by(accepted_on, day)
        if started is not None and window_start <= started <= day:
            to_start.append((started - offered).days)
        if _by(declined, day) or _by(withdrawn, day) or _by(started, day):
            continue
        open_offers[role_id, _by(accepted_on, day), offered, planned] += 1
    offers = tuple(
        Offer(role_id=role, accepted=is_accepted, offered_on=offered, start_planned_on=planned, count=count)
        for (role, is_accepted, offered, planned), count in sorted(open_offers.items(), key=str)
    )
    return offers, accepted, answered, to_start


def _events_at(
    day: dt.date, last: dt.date, posts: list[tuple], assignments: list[tuple], as_known: bool
) -> tuple[ev.Event, ...]:
    """Return the events of the posts and assignments that fall after ``day`` up to ``last``,
    only those the records showed on ``day`` if ``as_known``."""
    events = []
    post_horizon = add_months(day, POSTS_AGREED_MONTHS)
    for role_id, funding, post_fte, active_from, active_to in posts:
        kind = ev.POSTS if funding == Funding.ESTABLISHMENT else ev.TEMPORARY_POSTS
        if day < active_from <= last and (not as_known or active_from <= post_horizon):
            events.append(ev.Event(role_id, active_from, kind, post_fte))
        if active_to is not None and day <= active_to < last:
            known = active_to <= post_horizon or (funding == Funding.TEMPORARY and active_from <= day)
            if not as_known or known:
                events.append(ev.Event(role_id, active_to + ONE_DAY, kind, -post_fte))
    for role_id, funding, contract, reason, amount, start, end, carries_on, accepted_on in assignments:
        establishment = funding == Funding.ESTABLISHMENT
        if contract == Contract.AGENCY:
            if establishment and reason == AgencyReason.VACANCY:
                continue  # agency cover follows the vacancies
            kind = ev.AGENCY_OTHER if establishment else ev.AGENCY_TEMPORARY
            if day < start <= last and not as_known:
                events.append(ev.Event(role_id, start, kind, amount))
            if end is not None and day <= end < last:
                if not as_known or (end - day).days <= AGENCY_NOTICE_DAYS:
                    events.append(ev.Event(role_id, end + ONE_DAY, kind, -amount))
            continue
        # An employee: a start the records hold is counted once, as its accepted offer if there was one.
        if day < start <= last and not as_known and not _by(accepted_on, day):
            events.append(ev.Event(role_id, start, ev.HIRE if establishment else ev.START_TEMPORARY, amount))
        if end is not None and day <= end < last:
            fixed_term = contract == Contract.FIXED_TERM and start <= day
            if not as_known or fixed_term or (end - day).days <= EMPLOYEE_NOTICE_DAYS:
                if carries_on:
                    kind = ev.MOVE_OUT if establishment else ev.MOVE_OUT_TEMPORARY
                else:
                    kind = ev.LEAVING if establishment else ev.LEAVING_TEMPORARY
                events.append(ev.Event(role_id, end + ONE_DAY, kind, amount))
    return tuple(events)


def _cohorts_at(
    day: dt.date,
    last: dt.date,
    cohorts: list[PipelineCohort],
    scope: Scope,
    default_role: int | None,
    as_known: bool,
) -> tuple[CohortStart, ...]:
    starts = []
    for cohort in cohorts:
        if not day < cohort.expected_on <= last or (as_known and cohort.known_from > day):
            continue
        role_id = cohort.role_id or default_role
        if role_id is None or (scope.role_id is not None and role_id != scope.role_id):
            continue
        teams = list(cohort.teams.all())
        if teams:
            share = Decimal(sum(team_in_scope(scope, team) for team in teams)) / Decimal(len(teams))
        else:
            share = Decimal(covers_every_team(scope))
        if share:
            starts.append(
                CohortStart(cohort.pk, cohort.name, role_id, cohort.expected_on, cohort.headcount * share)
            )
    return tuple(starts)


def forecast_inputs(
    *, origins: Sequence[dt.date], quarters: int, scope: Scope | None = None, as_known: bool = False
) -> dict[dt.date, ForecastInputs]:
    """Return what the forecast from each of ``origins`` over ``quarters`` quarter-ends starts from.

    ``as_known``: count only the events the records showed on each as-at date (the backtest);
    otherwise every event the records hold now. Thirteen queries whatever the number of dates
    or records (three for the establishment, fewer for the whole council).
    """
    scope = scope or Scope.everything()
    origins = tuple(sorted(set(origins)))
    ends = {day: quarter_ends(day, quarters) for day in origins}
    low, high = origins[0], max(days[-1] for days in ends.values())
    year_before = twelve_months_to(low)[0]

    snapshots = establishment_on_dates(origins, scope)  # 1-3
    temporary = _temporary_parts(origins, scope)  # 4
    posts = _post_events(low, high, scope)  # 5
    assignments = _assignment_events(low, high, scope)  # 6
    offers = _offers(year_before, origins[-1], scope)  # 7
    fills = _fills(year_before, origins[-1], scope)  # 8
    # 9. Leavers by role over the 12 months to each as-at date.
    windows = {day: twelve_months_to(day) for day in origins}
    sums = {}
    for i, (first, last) in enumerate(windows.values()):
        in_window = Q(leaving_date__gte=first, leaving_date__lte=last)
        sums[f"fte_{i}"] = Sum("fte_at_leaving", filter=in_window)
        sums[f"count_{i}"] = Count("pk", filter=in_window)
    leavers = list(
        leavers_in(start=year_before, end=origins[-1], scope=scope)
        .order_by()
        .values("role_id")
        .annotate(**sums)
    )
    # 10-11. Cohorts expected in the span, with their teams.
    cohorts = list(
        PipelineCohort.objects.filter(expected_on__gt=low, expected_on__lte=high).prefetch_related("teams")
    )
    # 12. The roles the measures count.
    roles = list(
        Role.objects.filter(in_scope=True).order_by("order", "name").values_list("pk", "name", "org_role")
    )
    role_names = {pk: name for pk, name, _ in roles}
    default_role = next((pk for pk, _, org_role in roles if org_role == OrgRole.CASE_HOLDER), None)
    # 13. Leavers recorded in each quarter-end's turnover window, up to the as-at date.
    turnover_windows = {
        (day, end): (twelve_months_to(end)[0], day)
        for day in origins
        for end in ends[day]
        if twelve_months_to(end)[0] <= day
    }
    recorded = leavers_fte_over(turnover_windows, scope=scope)

    made = {}
    for i, day in enumerate(origins):
        snapshot = snapshots[day]
        positions = {}
        for role_id, figures in snapshot.by_role.items():
            employees, agency = temporary.get((day, role_id), (ZERO, ZERO))
            positions[role_id] = Position(
                role_id=role_id,
                establishment=figures.establishment_fte,
                in_post=figures.in_post_fte,
                in_post_headcount=figures.in_post_headcount,
                in_post_temporary=employees,
                agency=figures.agency_fte,
                agency_cover=figures.agency_covering_vacancies_fte,
                agency_temporary=agency,
                vacancy=figures.vacancy_fte,
            )
        first, _ = windows[day]
        days_to_fill: dict[int, list[int]] = defaultdict(list)
        for role_id, start, days in fills:
            if first <= start <= day:
                days_to_fill[role_id].append(days)
        open_offers, accepted, answered, to_start = _offers_at(offers, day)
        trailing = Trailing(
            leavers_fte={row["role_id"]: fte(row[f"fte_{i}"]) for row in leavers if row[f"count_{i}"]},
            leavers_count={row["role_id"]: row[f"count_{i}"] for row in leavers if row[f"count_{i}"]},
            days_to_fill=dict(days_to_fill),
            offers_accepted=accepted,
            offers_answered=answered,
            days_offer_to_start=to_start,
        )
        last = ends[day][-1]
        made[day] = ForecastInputs(
            as_of=day,
            quarter_ends=ends[day],
            positions=positions,
            events=_events_at(day, last, posts, assignments, as_known),
            offers=open_offers,
            cohorts=_cohorts_at(day, last, cohorts, scope, default_role, as_known),
            trailing=trailing,
            role_names=role_names,
            default_role_id=default_role,
            leavers_before={end: recorded[day, end] for end in ends[day] if (day, end) in recorded},
        )
    return made
