"""What the forecast starts from, as plain data: each role's position on the as-at date, the
events the records already hold, offers and cohorts, and what happened over the last year.

``planning.selectors`` reads these from the database; ``planning.engine`` projects them.
Nothing here reads the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")

# The kinds of event the records hold (an FTE each; "in" a quarter when it first shows at its end).
POSTS = "posts"  # an establishment post starting (+FTE) or ending (-FTE)
TEMPORARY_POSTS = "temporary_posts"  # a temporary post starting or ending (shown, not counted in E)
HIRE = "hire"  # an employee starting in an establishment post (already recorded as an assignment)
START_TEMPORARY = "start_temporary"  # employees starting in a temporary post as it starts
CAPACITY_ENDS = "capacity_ends"  # employees in a temporary post as it ends
LEAVING = "leaving"  # an employee leaving an establishment post (notice given, fixed term ending)
LEAVING_TEMPORARY = "leaving_temporary"  # an employee leaving a temporary post (replaced while it lasts)
MOVE_OUT = "move_out"  # an employee's assignment ending where they carry on in another post
MOVE_OUT_TEMPORARY = "move_out_temporary"  # the same from a temporary post (replaced while it lasts)
AGENCY_OTHER = "agency_other"  # agency in establishment posts not covering a vacancy: +start, -end
AGENCY_TEMPORARY = "agency_temporary"  # agency in temporary posts as they start (+) or end (-)

EVENT_LABELS = {
    POSTS: "Establishment posts starting (+) or ending (-)",
    TEMPORARY_POSTS: "Temporary posts starting (+) or ending (-)",
    HIRE: "Employees starting (recorded)",
    START_TEMPORARY: "Employees in temporary posts as they start",
    CAPACITY_ENDS: "Employees in temporary posts as they end",
    LEAVING: "Employees leaving (notice given, fixed terms ending)",
    LEAVING_TEMPORARY: "Employees leaving temporary posts (replaced while the posts last)",
    MOVE_OUT: "Employees moving to another post",
    MOVE_OUT_TEMPORARY: "Employees moving from temporary posts (replaced while the posts last)",
    AGENCY_OTHER: "Agency not covering vacancies: engaged (+) or ending (-)",
    AGENCY_TEMPORARY: "Agency in temporary posts as they start (+) or end (-)",
}


@dataclass(frozen=True)
class Position:
    """One role's figures on the as-at date (FTE), as ``establishment_on_dates`` gives them, with
    the parts the forecast moves separately."""

    role_id: int
    establishment: Decimal = ZERO  # E
    in_post: Decimal = ZERO  # S
    in_post_headcount: int = 0
    in_post_temporary: Decimal = ZERO  # the part of S in temporary posts
    agency: Decimal = ZERO  # A
    agency_cover: Decimal = ZERO  # agency covering vacancies in establishment posts
    agency_temporary: Decimal = ZERO  # the part of A in temporary posts
    vacancy: Decimal = ZERO  # V


@dataclass(frozen=True)
class Event:
    """A change the records already hold, in FTE, on the first day it shows."""

    role_id: int
    day: dt.date
    kind: str
    fte: Decimal


@dataclass(frozen=True)
class Offer:
    """Offers made and not yet started on the as-at date, alike in role and dates."""

    role_id: int
    accepted: bool  # accepted; otherwise still waiting for an answer
    offered_on: dt.date
    start_planned_on: dt.date | None
    count: int = 1


@dataclass(frozen=True)
class CohortStart:
    """A pipeline cohort's people expected to start in the scope (a share of its headcount when
    it joins several teams, some outside the scope)."""

    cohort_id: int
    name: str
    role_id: int
    expected_on: dt.date
    people: Decimal


@dataclass(frozen=True)
class Trailing:
    """What happened in the 12 months to the as-at date, which the expected flows follow."""

    leavers_fte: dict[int, Decimal] = field(default_factory=dict)  # by role
    leavers_count: dict[int, int] = field(default_factory=dict)
    fills_count: dict[int, int] = field(default_factory=dict)  # by role: hires into vacancies
    fills_fte: dict[int, Decimal] = field(default_factory=dict)  # by role: FTE hired into vacancies
    vacancy_mean: dict[int, Decimal] = field(default_factory=dict)  # by role: mean vacancy FTE in the year
    offers_accepted: int = 0  # of the offers answered in the 12 months
    offers_answered: int = 0
    days_offer_to_start: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ForecastInputs:
    """Everything the forecast for one as-at date and scope starts from."""

    as_of: dt.date
    quarter_ends: tuple[dt.date, ...]
    positions: dict[int, Position]
    events: tuple[Event, ...]
    offers: tuple[Offer, ...]
    cohorts: tuple[CohortStart, ...]
    trailing: Trailing
    role_names: dict[int, str]
    default_role_id: int | None  # for cohorts with no role: the case-holding social worker role
    # Leavers (FTE) already recorded in each quarter-end's 12-month turnover window, up to the as-at.
    leavers_before: dict[dt.date, Decimal] = field(default_factory=dict)
