"""The forecast as people see it: the base forecast and a scenario's, with the assumptions and the
events the records hold, built once as plain data for the page, the command line and the
committee report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from planning import assumptions as planning_assumptions
from planning import engine
from planning import inputs as ev
from planning.assumptions import Assumptions
from planning.engine import Lever, Projection
from planning.inputs import ForecastInputs
from planning.models import Scenario
from planning.selectors import forecast_inputs, levers_in_scope
from workforce.scopes import Scope

MIN_QUARTERS, MAX_QUARTERS = 4, 8
ZERO = Decimal("0")
OFFERS_ACCEPTED, OFFERS_WAITING, COHORTS = "offers_accepted", "offers_waiting", "cohorts"
KNOWN_ORDER = (
    ev.POSTS,
    ev.TEMPORARY_POSTS,
    OFFERS_ACCEPTED,
    OFFERS_WAITING,
    COHORTS,
    ev.HIRE,
    ev.START_TEMPORARY,
    ev.CAPACITY_ENDS,
    ev.LEAVING,
    ev.LEAVING_TEMPORARY,
    ev.MOVE_OUT,
    ev.MOVE_OUT_TEMPORARY,
    ev.AGENCY_OTHER,
    ev.AGENCY_TEMPORARY,
)
KNOWN_LABELS = {
    **ev.EVENT_LABELS,
    OFFERS_ACCEPTED: "Offers accepted, still to start",
    OFFERS_WAITING: "Offers waiting for an answer (at the acceptance rate)",
    COHORTS: "Trainees and cohorts qualifying or starting",
}


@dataclass(frozen=True)
class KnownRow:
    """One kind of event the forecast starts from: its FTE in each quarter."""

    key: str
    label: str
    by_quarter: tuple[Decimal, ...]


@dataclass(frozen=True)
class Outlook:
    as_of: dt.date
    scope: Scope
    inputs: ForecastInputs
    assumptions: Assumptions
    base: Projection
    scenario: Scenario | None
    levers: tuple[Lever, ...]
    with_scenario: Projection | None
    known: tuple[KnownRow, ...]

    @property
    def quarter_ends(self) -> tuple[dt.date, ...]:
        return self.inputs.quarter_ends


def known_events(inputs: ForecastInputs, assumptions: Assumptions) -> tuple[KnownRow, ...]:
    """Return the events the forecast starts from, by kind and quarter (FTE; offers and cohorts at
    the starter FTE and, for offers waiting, the acceptance rate)."""
    calendar = engine.Calendar(inputs.as_of, inputs.quarter_ends)
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO] * len(inputs.quarter_ends))
    for event in inputs.events:
        quarter = calendar.quarter(event.day)
        if quarter is not None:
            totals[event.kind][quarter] += event.fte
    for offer in inputs.offers:
        role = assumptions.roles.get(offer.role_id)
        quarter = calendar.quarter(engine.offer_start_day(offer, inputs.as_of, assumptions))
        if role is None or quarter is None:
            continue
        if offer.accepted:
            totals[OFFERS_ACCEPTED][quarter] += offer.count * role.starter_fte
        else:
            totals[OFFERS_WAITING][quarter] += (
                offer.count * role.starter_fte * assumptions.offer_acceptance / 100
            )
    for cohort in inputs.cohorts:
        role = assumptions.roles.get(cohort.role_id)
        quarter = calendar.quarter(cohort.expected_on)
        if role is not None and quarter is not None:
            totals[COHORTS][quarter] += cohort.people * role.starter_fte
    return tuple(
        KnownRow(key, KNOWN_LABELS[key], tuple(value.quantize(Decimal("0.01")) for value in totals[key]))
        for key in KNOWN_ORDER
        if key in totals and any(totals[key])
    )


def read_inputs(*, as_of: dt.date, quarters: int = 4, scope: Scope | None = None) -> ForecastInputs:
    """Return what the forecast from ``as_of`` over ``quarters`` quarter-ends in ``scope`` starts from."""
    if not MIN_QUARTERS <= quarters <= MAX_QUARTERS:
        raise ValueError(f"The forecast covers {MIN_QUARTERS} to {MAX_QUARTERS} quarters, not {quarters}.")
    return forecast_inputs(origins=[as_of], quarters=quarters, scope=scope or Scope.everything())[as_of]


def outlook_from(
    inputs: ForecastInputs,
    *,
    scope: Scope,
    assumed: Assumptions | None = None,
    scenario: Scenario | None = None,
    levers: tuple[Lever, ...] | None = None,
    changes: Mapping[str, Decimal | int] | None = None,
) -> Outlook:
    """Return the forecast from ``inputs`` under the assumptions as measured (or ``assumed``) and
    ``changes``, and with a scenario's levers: ``scenario``'s saved ones, or ``levers`` given
    directly (a preview). One query for a saved scenario's levers; none otherwise."""
    assumed = planning_assumptions.with_changes(
        assumed or planning_assumptions.measured(inputs), changes or {}
    )
    if levers is None and scenario is not None:
        levers = levers_in_scope(scenario, scope)
    return Outlook(
        as_of=inputs.as_of,
        scope=scope,
        inputs=inputs,
        assumptions=assumed,
        base=engine.project(inputs, assumed),
        scenario=scenario,
        levers=levers or (),
        with_scenario=engine.project(inputs, assumed, levers) if levers is not None else None,
        known=known_events(inputs, assumed),
    )


def build_outlook(
    *,
    as_of: dt.date,
    quarters: int = 4,
    scope: Scope | None = None,
    scenario: Scenario | None = None,
    levers: tuple[Lever, ...] | None = None,
    changes: Mapping[str, Decimal | int] | None = None,
) -> Outlook:
    """Return the forecast from ``as_of`` over ``quarters`` quarter-ends in ``scope``, and with a
    scenario's levers, with the assumptions as measured and as changed by ``changes``."""
    scope = scope or Scope.everything()
    inputs = read_inputs(as_of=as_of, quarters=quarters, scope=scope)
    return outlook_from(inputs, scope=scope, scenario=scenario, levers=levers, changes=changes)
