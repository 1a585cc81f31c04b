"""Reads of what the forecast starts from, for one as-at date or several at once (the backtest).

The positions come from ``workforce.selectors.establishment_on_dates``; leavers through
``leavers.selectors``; offers through ``recruitment.selectors.scoped_applications``. Each read is
one grouped query over the span of every as-at date, so the number of queries depends neither
on the number of records nor on the number of dates (fifteen in all).

As known then: for a past as-at date (``as_known=True``, the backtest), only the events the
records could have shown then are counted; see ``docs/forecast.md`` for the rules.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum

from foundation.periods import add_months, previous_quarter_ends, twelve_months_to
from leavers.selectors import leavers_fte_over, leavers_in
from planning import inputs as ev
from planning.engine import quarter_ends
from planning.inputs import CohortStart, ForecastInputs, Offer, Position, Trailing
from planning.models import PipelineCohort
from recruitment.selectors import DaysBetween, scoped_applications
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
# Offers still open but taken to have lapsed: no answer after a quarter; accepted over six months
# ago with no start date still to come.
WAITING_OFFER_DAYS = 91
ACCEPTED_OFFER_DAYS = 183


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
    (role, funding, contract, agency reason, FTE, start, end, carries on, offer accepted on, the
    post's first and last day)."""
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
            "post__active_from",
            "post__active_to",
        )
    )


def _fills(windows: dict[dt.date, tuple[dt.date, dt.date]], scope: Scope) -> dict[dt.date, dict[int, tuple]]:
    """Return {as-at: {role: (hires, FTE)}}: the employees starting in an establishment post in each
    window who were not employed the day before (a hire, not a move between posts or a renewed
    contract, which fill nothing on balance). One query, summed in the database."""
    employees = Assignment.objects.filter(contract__in=EMPLOYEE_CONTRACTS)
    before = employees.filter(worker_id=OuterRef("worker_id"), start__lt=OuterRef("start")).exclude(
        pk=OuterRef("pk")
    )
    sums = {}
    for i, (first, last) in enumerate(windows.values()):
        within = Q(start__gte=first, start__lte=last)
        sums[f"count_{i}"] = Count("pk", filter=within)
        sums[f"fte_{i}"] = Sum("fte", filter=within)
    low = min(first for first, _ in windows.values())
    high = max(last for _, last in windows.values())
    rows = (
        scope.filter_posts(
            employees.filter(post__role__in_scope=True, post__funding=Funding.ESTABLISHMENT), "post"
        )
        .filter(start__gte=low, start__lte=high)
        .alias(
            still_employed=Exists(before.filter(end__isnull=True)),
            last_end=Subquery(before.order_by("-end").values("end")[:1]),
        )
        .alias(days_since_employed=DaysBetween("start", "last_end"))
        .filter(Q(last_end__isnull=True) | Q(days_since_employed__gt=1), still_employed=False)
        .order_by()
        .values("post__role_id")
        .annotate(**sums)
    )
    return {
        day: {row["post__role_id"]: (row[f"count_{i}"], fte(row[f"fte_{i}"])) for row in rows}
        for i, day in enumerate(windows)
    }


def _offer_answers(
    windows: dict[dt.date, tuple[dt.date, dt.date]], scope: Scope
) -> dict[dt.date, tuple[int, int, list[int]]]:
    """Return {as-at: (offers accepted, offers answered, days from offer to start of each start)}
    over each window (offers made in it and answered by its end; starts in it). Two queries,
    counted in the database."""
    applications = scoped_applications(scope).filter(role__in_scope=True, offered_on__isnull=False)
    low = min(first for first, _ in windows.values())
    high = max(last for _, last in windows.values())
    answers = {}
    for i, (first, last) in enumerate(windows.values()):
        made = Q(offered_on__gte=first, offered_on__lte=last)
        answers[f"accepted_{i}"] = Count("pk", filter=made & Q(offer_accepted_on__lte=last))
        answers[f"answered_{i}"] = Count(
            "pk", filter=made & (Q(offer_accepted_on__lte=last) | Q(offer_declined_on__lte=last))
        )
    counted = applications.filter(offered_on__gte=low, offered_on__lte=high).aggregate(**answers)
    # The days from offer to start, counted alike within each window (a few hundred rows).
    starts = {f"starts_{i}": Count("pk", filter=Q(started_on__gte=first, started_on__lte=last))
              for i, (first, last) in enumerate(windows.values())}  # fmt: skip
    days = (
        applications.filter(started_on__gte=low, started_on__lte=high)
        .annotate(days=DaysBetween("started_on", "offered_on"))
        .order_by()
        .values("days")
        .annotate(**starts)
    )
    days = list(days)
    return {
        day: (
            counted[f"accepted_{i}"],
            counted[f"answered_{i}"],
            [row["days"] for row in days for _ in range(row[f"starts_{i}"])],
        )
        for i, day in enumerate(windows)
    }


def _open_offers(origins: tuple[dt.date, ...], scope: Scope) -> list[tuple]:
    """Return the offers that may be open (not lapsed) on one of ``origins``: (role, offered,
    accepted, declined, withdrawn, started, agreed start). One query."""
    low, high = origins[0], origins[-1]

    def still(field: str) -> Q:
        return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": low})

    recent = (
        Q(offered_on__gte=low - dt.timedelta(days=WAITING_OFFER_DAYS))
        | Q(offer_accepted_on__gte=low - dt.timedelta(days=ACCEPTED_OFFER_DAYS))
        | Q(start_planned_on__gt=low)
    )
    return list(
        scoped_applications(scope)
        .filter(role__in_scope=True, offered_on__isnull=False, offered_on__lte=high)
        .filter(still("started_on"), still("offer_declined_on"), still("offer_withdrawn_on"), recent)
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


def _offers_at(rows: list[tuple], day: dt.date) -> tuple[Offer, ...]:
    """Return the offers open on ``day``: made by then, not answered by declining, withdrawn or
    started, and not lapsed (``WAITING_OFFER_DAYS``, ``ACCEPTED_OFFER_DAYS``)."""
    open_offers: Counter = Counter()
    for role_id, offered, accepted_on, declined, withdrawn, started, planned in rows:
        if offered > day or _by(declined, day) or _by(withdrawn, day) or _by(started, day):
            continue
        accepted_by = _by(accepted_on, day)
        if accepted_by:
            to_come = planned is not None and planned > day
            if not to_come and (day - accepted_on).days > ACCEPTED_OFFER_DAYS:
                continue  # accepted long ago with no start to come: lapsed
        elif (day - offered).days > WAITING_OFFER_DAYS:
            continue  # no answer for months: lapsed
        open_offers[role_id, accepted_by, offered, planned] += 1
    return tuple(
        Offer(role_id=role, accepted=is_accepted, offered_on=offered, start_planned_on=planned, count=count)
        for (role, is_accepted, offered, planned), count in sorted(open_offers.items(), key=str)
    )


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
    for row in assignments:
        role_id, funding, contract, reason, amount, start, end, carries_on, accepted_on, opens, closes = row
        if funding == Funding.TEMPORARY:
            events += _temporary_events(day, last, post_horizon, row, as_known)
            continue
        if contract == Contract.AGENCY:
            if reason == AgencyReason.VACANCY:
                continue  # agency cover follows the vacancies
            if day < start <= last and not as_known:
                events.append(ev.Event(role_id, start, ev.AGENCY_OTHER, amount))
            if end is not None and day <= end < last:
                if not as_known or (end - day).days <= AGENCY_NOTICE_DAYS:
                    events.append(ev.Event(role_id, end + ONE_DAY, ev.AGENCY_OTHER, -amount))
            continue
        # An employee: a start the records hold is counted once, as its accepted offer if there was one.
        if day < start <= last and not as_known and not _by(accepted_on, day):
            events.append(ev.Event(role_id, start, ev.HIRE, amount))
        if (
            end is not None
            and day <= end < last
            and (not as_known or _notice_given(contract, start, end, day))
        ):
            events.append(ev.Event(role_id, end + ONE_DAY, ev.MOVE_OUT if carries_on else ev.LEAVING, amount))
    return tuple(events)


def _notice_given(contract: str, start: dt.date, end: dt.date, day: dt.date) -> bool:
    """Return whether an employee's end was known on ``day``: a fixed term's from its start, or notice."""
    return (contract == Contract.FIXED_TERM and start <= day) or (end - day).days <= EMPLOYEE_NOTICE_DAYS


def _temporary_events(
    day: dt.date, last: dt.date, post_horizon: dt.date, row: tuple, as_known: bool
) -> list[ev.Event]:
    """Return the events of an assignment in a temporary post. The capacity stays filled while the
    post lasts (whoever holds it): holders change the figures only as the post starts or ends; an
    employee leaving it before then is a leaver, replaced."""
    role_id, _, contract, _, amount, start, end, carries_on, _, opens, closes = row
    agency = contract == Contract.AGENCY
    events = []
    if day < start <= last and start == opens and not as_known:
        events.append(ev.Event(role_id, start, ev.AGENCY_TEMPORARY if agency else ev.START_TEMPORARY, amount))
    if end is None or not day <= end < last:
        return events
    if end == closes and (not as_known or end <= post_horizon or opens <= day):
        kind, change = (ev.AGENCY_TEMPORARY, -amount) if agency else (ev.CAPACITY_ENDS, amount)
        events.append(ev.Event(role_id, end + ONE_DAY, kind, change))
    if not agency and (not as_known or _notice_given(contract, start, end, day)):
        kind = ev.MOVE_OUT_TEMPORARY if carries_on else ev.LEAVING_TEMPORARY
        events.append(ev.Event(role_id, end + ONE_DAY, kind, amount))
    return events


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
    otherwise every event the records hold now. Fifteen queries whatever the number of dates
    or records (three of them for the establishment, fewer for the whole council).
    """
    scope = scope or Scope.everything()
    origins = tuple(sorted(set(origins)))
    ends = {day: quarter_ends(day, quarters) for day in origins}
    low, high = origins[0], max(days[-1] for days in ends.values())
    year_before = twelve_months_to(low)[0]

    # The vacancies through each as-at date's year: on it and the four quarter-ends before it.
    samples = {day: (day, *previous_quarter_ends(day - ONE_DAY, 4)) for day in origins}
    snapshots = establishment_on_dates(sorted({d for days in samples.values() for d in days}), scope)  # 1-3
    temporary = _temporary_parts(origins, scope)  # 4
    posts = _post_events(low, high, scope)  # 5
    assignments = _assignment_events(low, high, scope)  # 6
    offers = _open_offers(origins, scope)  # 7
    windows = {day: twelve_months_to(day) for day in origins}
    fills = _fills(windows, scope)  # 8
    answers = _offer_answers(windows, scope)  # 9-10
    # 11. Leavers by role over the 12 months to each as-at date.
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
    # 12-13. Cohorts expected in the span, with their teams.
    cohorts = list(
        PipelineCohort.objects.filter(expected_on__gt=low, expected_on__lte=high).prefetch_related("teams")
    )
    # 14. The roles the measures count.
    roles = list(
        Role.objects.filter(in_scope=True).order_by("order", "name").values_list("pk", "name", "org_role")
    )
    role_names = {pk: name for pk, name, _ in roles}
    default_role = next((pk for pk, _, org_role in roles if org_role == OrgRole.CASE_HOLDER), None)
    # 15. Leavers recorded in each quarter-end's turnover window, up to the as-at date.
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
        vacancy_mean: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for sample in samples[day]:
            for role_id, figures in snapshots[sample].by_role.items():
                vacancy_mean[role_id] += figures.vacancy_fte / len(samples[day])
        accepted, answered, to_start = answers[day]
        trailing = Trailing(
            leavers_fte={row["role_id"]: fte(row[f"fte_{i}"]) for row in leavers if row[f"count_{i}"]},
            leavers_count={row["role_id"]: row[f"count_{i}"] for row in leavers if row[f"count_{i}"]},
            fills_count={role: count for role, (count, _) in fills[day].items() if count},
            fills_fte={role: amount for role, (count, amount) in fills[day].items() if count},
            vacancy_mean={role_id: fte(value) for role_id, value in vacancy_mean.items()},
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
            offers=_offers_at(offers, day),
            cohorts=_cohorts_at(day, last, cohorts, scope, default_role, as_known),
            trailing=trailing,
            role_names=role_names,
            default_role_id=default_role,
            leavers_before={end: recorded[day, end] for end in ends[day] if (day, end) in recorded},
        )
    return made
