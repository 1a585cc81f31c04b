"""The forecast: each role's establishment carried forward a quarter at a time. Pure functions.

For each role the forecast keeps E, the employees in establishment and in temporary posts,
the agency workers covering vacancies, other agency in establishment posts and agency in
temporary posts, and the net vacancy n (V = max(0, n); n below 0 means more employees than
posts). Each quarter, in this order:

1. the events the records hold that fall in the quarter are applied (posts starting and
   ending, employees leaving with notice or at the end of a fixed term, moves, agency
   engaged or ending for reasons other than covering a vacancy). Temporary posts (approved
   additional capacity) stay filled while they last: their holders change the figures only
   as the posts start or end, and one leaving before then is replaced;
2. leavers are expected at the role's annual turnover: in-post FTE at the start of the
   quarter x turnover / 4 (a part of that in a part-quarter). Those already known to leave
   in the quarter count towards it; only the rest are added;
3. the vacancies open at the start of the quarter are filled at the share
   ``1 - 0.5 ^ (91.25 / median days from vacancy to start)``. Starts the records already
   hold (assignments, accepted offers, offers waiting for an answer at the acceptance rate)
   count towards it: the larger of the two is taken. Pipeline cohorts and a scenario's
   hires come on top;
4. agency cover follows the vacancies: new vacancies are covered, and filled ones released,
   at the share of vacancies covered by agency now. Conversions of agency workers to
   permanent move their FTE from agency to employees and off the vacancies.

The range runs the same forecast twice more with the turnover and the time to fill at the
ends of their intervals (``measures.rate_interval``): fewer vacancies (lower turnover,
faster filling) and more vacancies (higher turnover, slower filling).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from foundation import measures
from foundation.periods import next_quarter_ends, share_of_quarter_after
from planning import inputs as ev
from planning.assumptions import Assumptions, RoleAssumptions
from planning.inputs import ForecastInputs, Offer, Position

ZERO = Decimal("0")
FTE_PLACES = Decimal("0.0001")
HUNDRED = Decimal("100")

CENTRAL, FEWER, MORE = "central", "fewer_vacancies", "more_vacancies"
RUNS = (CENTRAL, FEWER, MORE)

# Scenario levers (``planning.models.LeverKind`` values).
POSTS_LEVER, TURNOVER_LEVER, HIRES_LEVER = "posts", "turnover", "hires"
CONVERSION_LEVER, CAPACITY_LEVER = "conversion", "capacity"


@dataclass(frozen=True)
class Lever:
    """A scenario lever as the forecast reads it (already narrowed to the forecast's scope)."""

    kind: str
    role_id: int | None = None
    fte: Decimal | None = None
    points: Decimal | None = None
    starts_on: dt.date | None = None


@dataclass(frozen=True)
class Figures:
    """The forecast (or the actual figures) at one date."""

    establishment: Decimal  # E
    in_post: Decimal  # S
    agency: Decimal  # A
    vacancy: Decimal  # V
    leavers: Decimal = ZERO  # FTE leaving in the quarter to this date
    starters: Decimal = ZERO  # FTE starting in the quarter to this date
    leavers_12_months: Decimal = ZERO  # L over the 12 months to this date

    @property
    def vacancy_rate(self) -> Decimal | None:
        return measures.vacancy_rate(self.vacancy, self.in_post)

    @property
    def agency_rate(self) -> Decimal | None:
        return measures.agency_rate(self.agency, self.in_post)

    @property
    def permanent_fill_rate(self) -> Decimal | None:
        return measures.permanent_fill_rate(self.establishment, self.vacancy)

    @property
    def turnover_rate(self) -> Decimal | None:
        return measures.turnover_rate(self.leavers_12_months, self.in_post)


MEASURES = (
    "establishment",
    "in_post",
    "agency",
    "vacancy",
    "vacancy_rate",
    "agency_rate",
    "permanent_fill_rate",
    "turnover_rate",
)


@dataclass(frozen=True)
class Quarter:
    """One quarter-end: the central forecast and the two ends of its range."""

    day: dt.date
    central: Figures
    fewer_vacancies: Figures
    more_vacancies: Figures

    def range(self, measure: str) -> tuple[Decimal | None, Decimal | None]:
        """Return the lowest and highest of ``measure`` across the central forecast and its range."""
        values = [
            getattr(figures, measure) for figures in (self.central, self.fewer_vacancies, self.more_vacancies)
        ]
        known = [value for value in values if value is not None]
        if not known:
            return None, None
        return min(known), max(known)


@dataclass(frozen=True)
class Projection:
    as_of: dt.date
    start: Figures  # the records' figures on the as-at date
    quarters: tuple[Quarter, ...]
    by_role: dict[int, tuple[Figures, ...]] = field(default_factory=dict)  # central, per quarter

    def at(self, day: dt.date) -> Quarter:
        return next(quarter for quarter in self.quarters if quarter.day == day)


def quarter_ends(as_of: dt.date, count: int) -> tuple[dt.date, ...]:
    """Return the quarter-ends a forecast from ``as_of`` covers."""
    return tuple(next_quarter_ends(as_of, count))


class Calendar:
    """Which quarter of the forecast a day falls in, and how much of each quarter is forecast."""

    def __init__(self, as_of: dt.date, ends: tuple[dt.date, ...]) -> None:
        self.as_of = as_of
        self.ends = ends
        left, whole = share_of_quarter_after(as_of)
        self.shares = tuple([Decimal(left) / Decimal(whole)] + [Decimal("1")] * (len(ends) - 1))

    def quarter(self, day: dt.date | None) -> int | None:
        """Return the index (0 first) of the quarter ``day`` falls in; a day on or before the
        as-at date falls in the first; None after the last."""
        if day is None or day <= self.as_of:
            return 0
        for index, end in enumerate(self.ends):
            if day <= end:
                return index
        return None


def offer_start_day(offer: Offer, as_of: dt.date, assumptions: Assumptions) -> dt.date:
    """Return the day an offer's candidate is expected to start: the agreed start date if it is
    still to come, else the offer's date plus the median days from offer to start."""
    if offer.start_planned_on is not None and offer.start_planned_on > as_of:
        return offer.start_planned_on
    return offer.offered_on + dt.timedelta(days=int(assumptions.days_offer_to_start))


def _offer_starts(inputs: ForecastInputs, assumptions: Assumptions, calendar: Calendar) -> dict:
    """Return {(role, quarter): FTE} expected to start from offers accepted or waiting for an answer."""
    starts: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for offer in inputs.offers:
        role = assumptions.roles.get(offer.role_id)
        if role is None:
            continue
        quarter = calendar.quarter(offer_start_day(offer, inputs.as_of, assumptions))
        if quarter is None:
            continue
        chance = Decimal("1") if offer.accepted else assumptions.offer_acceptance / HUNDRED
        starts[offer.role_id, quarter] += offer.count * role.starter_fte * chance
    return starts


@dataclass
class _Role:
    """One role's running figures."""

    establishment: Decimal
    in_post: Decimal  # employees in establishment posts
    in_post_temporary: Decimal
    agency_cover: Decimal
    agency_other: Decimal
    agency_temporary: Decimal
    net_vacancy: Decimal  # V = max(0, this)
    capacity_stopped: bool = False

    @classmethod
    def start(cls, position: Position) -> _Role:
        agency_other = position.agency - position.agency_cover - position.agency_temporary
        return cls(
            establishment=position.establishment,
            in_post=position.in_post - position.in_post_temporary,
            in_post_temporary=position.in_post_temporary,
            agency_cover=position.agency_cover,
            agency_other=max(ZERO, agency_other),
            agency_temporary=position.agency_temporary,
            net_vacancy=position.vacancy,
        )

    @property
    def vacancy(self) -> Decimal:
        return max(ZERO, self.net_vacancy)

    def figures(self, leavers: Decimal, starters: Decimal) -> Figures:
        return Figures(
            establishment=self.establishment,
            in_post=self.in_post + self.in_post_temporary,
            agency=self.agency_cover + self.agency_other + self.agency_temporary,
            vacancy=self.vacancy,
            leavers=leavers,
            starters=starters,
        )


def _started(lever_quarter: int | None, quarter: int) -> bool:
    return lever_quarter is not None and lever_quarter <= quarter


def _applies(lever: Lever, role_id: int) -> bool:
    return lever.role_id is None or lever.role_id == role_id


def _project_role(
    role_id: int,
    position: Position,
    assumption: RoleAssumptions,
    events: dict[int, dict[str, Decimal]],
    pipeline: dict[int, Decimal],
    cohorts: dict[int, Decimal],
    levers: tuple[Lever, ...],
    calendar: Calendar,
    run: str,
    z: Decimal,
) -> list[Figures]:
    """Return one role's figures at each quarter-end (see the module's docstring for the steps)."""
    turnover = assumption.turnover
    days_to_fill = assumption.days_to_fill
    if run != CENTRAL:
        low, high = measures.rate_interval(turnover, assumption.leavers_count, z)
        turnover = low if run == FEWER else high
        if days_to_fill is not None:
            quick, slow = measures.rate_interval(days_to_fill, assumption.fills_count, z)
            days_to_fill = quick if run == FEWER else slow
    cover = assumption.cover_share / HUNDRED
    state = _Role.start(position)
    out = []
    for quarter, share in enumerate(calendar.shares):
        known = events.get(quarter, {})

        def get(kind: str, known: dict[str, Decimal] = known) -> Decimal:
            return known.get(kind, ZERO)

        active = [lever for lever in levers if _applies(lever, role_id)]
        starting = [lever for lever in active if calendar.quarter(lever.starts_on) == quarter]
        ongoing = [lever for lever in active if _started(calendar.quarter(lever.starts_on), quarter)]

        in_post_before = state.in_post + state.in_post_temporary
        vacancy_before = state.vacancy
        # 1. What the records hold.
        posts = get(ev.POSTS) + sum((lever.fte for lever in starting if lever.kind == POSTS_LEVER), ZERO)
        known_leaving = get(ev.LEAVING) + (ZERO if state.capacity_stopped else get(ev.LEAVING_TEMPORARY))
        # 2. Leavers at the turnover rate, beyond those known.
        rate = max(
            ZERO, turnover + sum((lever.points for lever in ongoing if lever.kind == TURNOVER_LEVER), ZERO)
        )
        expected = measures.expected_leavers(in_post_before, rate, share)
        more_leaving = max(ZERO, expected - known_leaving)
        temporary_part = state.in_post_temporary / in_post_before if in_post_before else ZERO
        # 3. Vacancies filled: the larger of the rate and the starts on record, then cohorts and hires.
        filled = measures.share_filled(days_to_fill, measures.QUARTER_DAYS * share) * vacancy_before
        on_record = get(ev.HIRE) + pipeline.get(quarter, ZERO)
        extra = sum((lever.fte * share for lever in ongoing if lever.kind == HIRES_LEVER), ZERO)
        hires = max(filled, on_record) + cohorts.get(quarter, ZERO) + extra
        convert = sum((lever.fte for lever in starting if lever.kind == CONVERSION_LEVER), ZERO)
        convert = min(convert, state.agency_cover + state.agency_other)

        employees_out = get(ev.LEAVING) + get(ev.MOVE_OUT) + more_leaving * (1 - temporary_part)
        state.establishment += posts
        state.in_post += hires - employees_out
        state.net_vacancy += posts - hires + employees_out
        # Temporary posts stay filled while they last: their holders leaving are replaced.
        replaced = ZERO
        if not state.capacity_stopped:
            state.in_post_temporary += get(ev.START_TEMPORARY) - get(ev.CAPACITY_ENDS)
            state.agency_temporary += get(ev.AGENCY_TEMPORARY)
            leaving_temporary = get(ev.LEAVING_TEMPORARY) + get(ev.MOVE_OUT_TEMPORARY)
            replaced = max(ZERO, leaving_temporary - get(ev.CAPACITY_ENDS)) + more_leaving * temporary_part
        state.agency_other += get(ev.AGENCY_OTHER)
        # 4. Agency cover follows the vacancies; conversions move agency to employees.
        state.agency_cover += cover * (state.vacancy - vacancy_before)
        from_cover = min(convert, max(ZERO, state.agency_cover))
        state.agency_cover -= from_cover
        state.agency_other -= convert - from_cover
        state.in_post += convert
        state.net_vacancy -= convert
        if any(lever.kind == CAPACITY_LEVER for lever in starting):
            state.capacity_stopped = True
            state.in_post_temporary = ZERO
            state.agency_temporary = ZERO
        for name in ("in_post_temporary", "agency_cover", "agency_other", "agency_temporary"):
            setattr(state, name, max(ZERO, getattr(state, name)))
        leavers = known_leaving + more_leaving
        starters = hires + convert + replaced + (ZERO if state.capacity_stopped else get(ev.START_TEMPORARY))
        out.append(state.figures(leavers, starters))
    return out


def _total(parts: list[Figures]) -> Figures:
    def add(name: str) -> Decimal:
        return sum((getattr(part, name) for part in parts), ZERO).quantize(FTE_PLACES)

    return Figures(
        establishment=add("establishment"),
        in_post=add("in_post"),
        agency=add("agency"),
        vacancy=add("vacancy"),
        leavers=add("leavers"),
        starters=add("starters"),
    )


def project(inputs: ForecastInputs, assumptions: Assumptions, levers: tuple[Lever, ...] = ()) -> Projection:
    """Return the forecast at each of ``inputs.quarter_ends``, with its range, under ``levers``."""
    calendar = Calendar(inputs.as_of, inputs.quarter_ends)
    events: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for event in inputs.events:
        quarter = calendar.quarter(event.day)
        if quarter is None or event.role_id not in assumptions.roles:
            continue
        bucket = events[event.role_id][quarter]
        bucket[event.kind] = bucket.get(event.kind, ZERO) + event.fte
    pipeline: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for (role_id, quarter), amount in _offer_starts(inputs, assumptions, calendar).items():
        pipeline[role_id][quarter] = amount
    cohorts: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for cohort in inputs.cohorts:
        quarter = calendar.quarter(cohort.expected_on)
        if quarter is not None and cohort.role_id in assumptions.roles:
            cohorts[cohort.role_id][quarter] += cohort.people * assumptions.roles[cohort.role_id].starter_fte

    roles = sorted(set(assumptions.roles) | {lever.role_id for lever in levers if lever.role_id is not None})
    runs: dict[str, list[Figures]] = {}
    leaving: dict[str, list[Decimal]] = {}
    by_role: dict[int, tuple[Figures, ...]] = {}
    for run in RUNS:
        per_role = []
        for role_id in roles:
            position = inputs.positions.get(role_id, Position(role_id=role_id))
            assumption = assumptions.roles.get(role_id) or _no_history(role_id, inputs)
            figures = _project_role(
                role_id,
                position,
                assumption,
                events.get(role_id, {}),
                pipeline.get(role_id, {}),
                cohorts.get(role_id, {}),
                levers,
                calendar,
                run,
                assumptions.z,
            )
            per_role.append(figures)
            if run == CENTRAL:
                by_role[role_id] = tuple(_total([f]) for f in figures)
        runs[run] = [_total([figures[i] for figures in per_role]) for i in range(len(inputs.quarter_ends))]
        # Leavers each quarter, unrounded: the 12-month sums add these, rounding once.
        leaving[run] = [sum((f[i].leavers for f in per_role), ZERO) for i in range(len(inputs.quarter_ends))]

    start = _total([_start_figures(position) for position in inputs.positions.values()])
    start = Figures(
        establishment=start.establishment,
        in_post=start.in_post,
        agency=start.agency,
        vacancy=start.vacancy,
        leavers_12_months=sum(inputs.trailing.leavers_fte.values(), ZERO),
    )
    quarters = []
    for i, day in enumerate(inputs.quarter_ends):
        made = {}
        for run in RUNS:
            figures = runs[run][i]
            # L over the 12 months to the quarter-end: recorded up to the as-at, forecast after it.
            window = [leaving[run][j] for j in range(max(0, i - 3), i + 1)]
            leavers = inputs.leavers_before.get(day, ZERO) + sum(window, ZERO)
            made[run] = Figures(
                establishment=figures.establishment,
                in_post=figures.in_post,
                agency=figures.agency,
                vacancy=figures.vacancy,
                leavers=figures.leavers,
                starters=figures.starters,
                leavers_12_months=leavers.quantize(FTE_PLACES),
            )
        quarters.append(
            Quarter(day=day, central=made[CENTRAL], fewer_vacancies=made[FEWER], more_vacancies=made[MORE])
        )
    return Projection(as_of=inputs.as_of, start=start, quarters=tuple(quarters), by_role=by_role)


def _start_figures(position: Position) -> Figures:
    return Figures(
        establishment=position.establishment,
        in_post=position.in_post,
        agency=position.agency,
        vacancy=position.vacancy,
    )


def _no_history(role_id: int, inputs: ForecastInputs) -> RoleAssumptions:
    """Return assumptions for a role a scenario adds posts to but the records have no figures for:
    no turnover, no fills at the rate (its posts fill only by the scenario's own hires)."""
    return RoleAssumptions(
        role_id=role_id,
        role_name=inputs.role_names.get(role_id, f"Role {role_id}"),
        turnover=ZERO,
        turnover_measured=None,
        leavers_fte=ZERO,
        leavers_count=0,
        days_to_fill=None,
        days_to_fill_measured=None,
        fills_count=0,
        fills_own=False,
        cover_share=ZERO,
        cover_share_measured=ZERO,
        starter_fte=Decimal("1"),
        starter_fte_measured=Decimal("1"),
    )
