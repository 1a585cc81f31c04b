"""The forecast's assumptions: each flow rate measured from the last 12 months, and any value
a person gave instead. Pure functions over ``ForecastInputs``.

Every assumption keeps the value it was measured at (and from how many events), so the page
can show both and a person can change any of them.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from foundation import measures
from planning.inputs import ForecastInputs

ONE = Decimal("1")
TWO_DP = Decimal("0.01")
# Roles with fewer vacancies filled than this in the year use the median of every role.
MIN_FILLS = 3
# The ranges: how sure the forecast is of its flow rates (the interval each is taken across).
CONFIDENCE_Z = {50: Decimal("0.6745"), 80: Decimal("1.2816"), 90: Decimal("1.6449"), 95: Decimal("1.9600")}
DEFAULT_CONFIDENCE = 80


@dataclass(frozen=True)
class RoleAssumptions:
    role_id: int
    role_name: str
    turnover: Decimal  # % a year
    turnover_measured: Decimal | None  # None: no one in post to measure it against (all roles' used)
    leavers_fte: Decimal
    leavers_count: int
    days_to_fill: Decimal | None  # median days from vacancy to start; None: no fills expected
    days_to_fill_measured: Decimal | None
    fills_count: int  # hires into vacancies in the year it is measured from (the role's, or every role's)
    fills_own: bool  # measured from the role's own hires (else every role's: too few of its own)
    cover_share: Decimal  # % of vacancies covered by agency, which new vacancies follow
    cover_share_measured: Decimal
    starter_fte: Decimal  # the FTE of each person starting: the role's employees' average now
    starter_fte_measured: Decimal
    fills_fte: Decimal = Decimal("0")  # the FTE those hires filled
    vacancy_mean: Decimal = Decimal("0")  # the vacancy FTE open on average through the year


@dataclass(frozen=True)
class Assumptions:
    roles: dict[int, RoleAssumptions]
    offer_acceptance: Decimal  # % of offers waiting for an answer expected to be accepted
    offer_acceptance_measured: Decimal | None
    offers_answered: int
    days_offer_to_start: Decimal  # median days from offer to start, for offers with no agreed start
    days_offer_to_start_measured: Decimal | None
    starts_counted: int
    confidence: int = DEFAULT_CONFIDENCE  # % interval the ranges are taken across

    @property
    def z(self) -> Decimal:
        return CONFIDENCE_Z[self.confidence]

    def role(self, role_id: int) -> RoleAssumptions:
        return self.roles[role_id]


def _median(values: list[int]) -> Decimal | None:
    if not values:
        return None
    median = Decimal(str(statistics.median(values)))
    return median.quantize(ONE) if median == median.to_integral_value() else median


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    rate = measures.percentage(part, whole)
    return None if rate is None else min(rate, Decimal("100"))


def measured(inputs: ForecastInputs) -> Assumptions:
    """Return the assumptions as measured from the 12 months to the as-at date.

    Turnover by role is the role's leavers (FTE) over its employees in post now (as the
    turnover rate is defined); a role with no one in post takes every role's. The median time
    from vacancy to start allows for the vacancies still open, not only those filled: with a
    constant chance of filling each day, it is ln 2 x 365 x the vacancy FTE open on average
    through the year / the FTE hired into vacancies in it (the role's own if it had at least
    ``MIN_FILLS`` hires, else every role's).
    Agency cover follows the vacancies at the share covered now; starters work the role's
    average FTE now. Offers waiting for an answer are accepted at the share of those answered
    in the year, and start after the median days from offer to start.
    """
    positions = inputs.positions
    trailing = inputs.trailing
    roles = sorted(
        set(positions)
        | set(trailing.leavers_fte)
        | {cohort.role_id for cohort in inputs.cohorts}
        | {event.role_id for event in inputs.events}
        | {offer.role_id for offer in inputs.offers}
    )
    all_leavers = sum(trailing.leavers_fte.values(), Decimal("0"))
    all_in_post = sum((p.in_post for p in positions.values()), Decimal("0"))
    all_turnover = measures.turnover_rate(all_leavers, all_in_post) or Decimal("0")
    all_fills = sum(trailing.fills_count.values())
    all_filled = sum(trailing.fills_fte.values(), Decimal("0"))
    all_vacant = sum(trailing.vacancy_mean.values(), Decimal("0"))
    all_vacancy = sum((p.vacancy for p in positions.values()), Decimal("0"))
    all_cover = _share(sum((p.agency_cover for p in positions.values()), Decimal("0")), all_vacancy)
    all_heads = sum(p.in_post_headcount for p in positions.values())
    all_starter = (all_in_post / all_heads).quantize(TWO_DP, ROUND_HALF_UP) if all_heads else ONE

    result = {}
    for role_id in roles:
        position = positions.get(role_id)
        in_post = position.in_post if position else Decimal("0")
        leavers = trailing.leavers_fte.get(role_id, Decimal("0"))
        turnover = measures.turnover_rate(leavers, in_post)
        own_fills = trailing.fills_count.get(role_id, 0)
        own = own_fills >= MIN_FILLS
        fills = own_fills if own else all_fills
        filled = trailing.fills_fte.get(role_id, Decimal("0")) if own else all_filled
        vacant = trailing.vacancy_mean.get(role_id, Decimal("0")) if own else all_vacant
        days = measures.median_days_to_fill(vacant, filled)
        cover = _share(position.agency_cover, position.vacancy) if position else None
        cover = cover if cover is not None else (all_cover or Decimal("0"))
        heads = position.in_post_headcount if position else 0
        starter = (in_post / heads).quantize(TWO_DP, ROUND_HALF_UP) if heads else all_starter
        result[role_id] = RoleAssumptions(
            role_id=role_id,
            role_name=inputs.role_names.get(role_id, f"Role {role_id}"),
            turnover=turnover if turnover is not None else all_turnover,
            turnover_measured=turnover,
            leavers_fte=leavers,
            leavers_count=trailing.leavers_count.get(role_id, 0),
            days_to_fill=days,
            days_to_fill_measured=days,
            fills_count=fills,
            fills_own=own,
            fills_fte=filled,
            vacancy_mean=vacant,
            cover_share=cover,
            cover_share_measured=cover,
            starter_fte=starter,
            starter_fte_measured=starter,
        )
    acceptance = measures.offer_acceptance_rate(trailing.offers_accepted, trailing.offers_answered)
    offer_days = _median(trailing.days_offer_to_start)
    return Assumptions(
        roles=result,
        offer_acceptance=acceptance if acceptance is not None else Decimal("0"),
        offer_acceptance_measured=acceptance,
        offers_answered=trailing.offers_answered,
        days_offer_to_start=offer_days if offer_days is not None else Decimal("0"),
        days_offer_to_start_measured=offer_days,
        starts_counted=len(trailing.days_offer_to_start),
    )


# What a person may change, by the name the page's form uses ("turnover-3" for role 3's).
ROLE_FIELDS = ("turnover", "days_to_fill", "cover_share", "starter_fte")
GLOBAL_FIELDS = ("offer_acceptance", "days_offer_to_start", "confidence")
LIMITS: dict[str, tuple[Decimal, Decimal]] = {
    "turnover": (Decimal("0"), Decimal("1000")),
    "days_to_fill": (Decimal("0"), Decimal("3650")),
    "cover_share": (Decimal("0"), Decimal("100")),
    "starter_fte": (Decimal("0.01"), Decimal("1")),
    "offer_acceptance": (Decimal("0"), Decimal("100")),
    "days_offer_to_start": (Decimal("0"), Decimal("3650")),
}


def with_changes(assumptions: Assumptions, changes: Mapping[str, Decimal | int]) -> Assumptions:
    """Return ``assumptions`` with the values a person gave: ``{"turnover-3": 18, "confidence": 90}``.
    Names of roles not in the forecast are ignored; values are taken as given (the form checks them)."""
    roles = dict(assumptions.roles)
    top: dict[str, object] = {}
    for name, value in changes.items():
        field_name, _, role = name.partition("-")
        if field_name in ROLE_FIELDS and role.isdigit() and int(role) in roles:
            roles[int(role)] = replace(roles[int(role)], **{field_name: Decimal(value)})
        elif field_name in GLOBAL_FIELDS and not role:
            top[field_name] = int(value) if field_name == "confidence" else Decimal(value)
    return replace(assumptions, roles=roles, **top)
