"""Three years of the demonstration county's establishment, planned in memory first.

A deterministic random walk of people leaving, posts standing vacant, agency cover and new
starters, from a fixed seed. The departures are planned so that the leavers stage can
reproduce the 2016 cabinet paper: exactly 144 employees leave in the 26 months to the last
month-end, 86 of them in the last 14 months; 56 of the 144 had under three years' service and
23 under one year. A departure is an employee whose last assignment has ended.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from foundation.periods import add_months, month_end
from workforce.demo.county import (
    BANDS,
    FIRST_NAMES,
    HALF,
    LAST_NAMES,
    ONE,
    POSTS_ACTIVE_FROM,
    SEED,
    SERVICE_AREAS,
)
from workforce.models import (
    AbsenceReason,
    AgencyReason,
    Contract,
    Funding,
    StartOrigin,
)


@dataclass
class PlannedWorker:
    reference: str
    first_name: str
    last_name: str
    service_start: dt.date | None = None  # None: an initial holder, fixed when needed
    date_qualified: dt.date | None = None
    origin: int | None = None
    agency: bool = False
    pk: int | None = None


@dataclass
class Tenure:
    worker: PlannedWorker
    post_reference: str
    start: dt.date
    end: dt.date | None
    fte: Decimal
    contract: str
    agency_reason: str = ""


@dataclass
class PlannedPost:
    reference: str
    team: str
    role: str
    fte: Decimal
    funding: str
    active_from: dt.date
    holder: Tenure | None = None
    tenures: list[Tenure] = field(default_factory=list)


@dataclass(frozen=True)
class DemoDates:
    """The dates the demonstration is built around."""

    today: dt.date
    history_start: dt.date
    window_end: dt.date  # the last month-end before today

    @property
    def window_26_start(self) -> dt.date:
        return add_months(self.window_end.replace(day=1), -25)

    @property
    def window_14_start(self) -> dt.date:
        return add_months(self.window_end.replace(day=1), -13)


def demo_dates(today: dt.date) -> DemoDates:
    """Return the demonstration's dates for ``today``."""
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    return DemoDates(
        today=today,
        history_start=add_months(today.replace(day=1), -36),
        window_end=month_end(last_month_end.year, last_month_end.month),
    )


class EstablishmentSimulation:
    """Plan three years of a county's establishment, in memory, from a fixed seed."""

    def __init__(self, dates: DemoDates, seed: int = SEED) -> None:
        self.dates = dates
        self.rng = random.Random(seed)
        self.posts: dict[str, PlannedPost] = {}
        self.tenures: list[Tenure] = []
        self.workers: list[PlannedWorker] = []
        self.absences: list[tuple[PlannedWorker, str, dt.date, dt.date]] = []
        self._counter = 0

    # --- people -------------------------------------------------------------------
    def new_worker(self, *, agency: bool = False) -> PlannedWorker:
        self._counter += 1
        prefix = "AG" if agency else "E"
        worker = PlannedWorker(
            reference=f"{prefix}{self._counter:05d}",
            first_name=self.rng.choice(FIRST_NAMES),
            last_name=self.rng.choice(LAST_NAMES),
            agency=agency,
        )
        self.workers.append(worker)
        return worker

    def days_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    # --- structure ----------------------------------------------------------------
    def plan_posts(self) -> None:
        number = 0

        def add(team: str, role: str, fte: Decimal, funding: str, active_from: dt.date) -> None:
            nonlocal number
            number += 1
            reference = f"CSC-{number:04d}" if funding == Funding.ESTABLISHMENT else f"TMP-{number:04d}"
            self.posts[reference] = PlannedPost(reference, team, role, fte, funding, active_from)

        add(SERVICE_AREAS[4][1][4][0], "head-of-service", ONE, Funding.ESTABLISHMENT, POSTS_ACTIVE_FROM)
        for area_index, (_, teams) in enumerate(SERVICE_AREAS):
            add(teams[0][0], "service-manager", ONE, Funding.ESTABLISHMENT, POSTS_ACTIVE_FROM)
            for team_index, (team, _) in enumerate(teams):
                add(team, "team-manager", ONE, Funding.ESTABLISHMENT, POSTS_ACTIVE_FROM)
                for _ in range(2):
                    add(team, "senior-practitioner", ONE, Funding.ESTABLISHMENT, POSTS_ACTIVE_FROM)
                if (area_index + team_index) % 2 == 0:
                    add(team, "advanced-practitioner", ONE, Funding.ESTABLISHMENT, POSTS_ACTIVE_FROM)
                for slot in range(8):
                    fte = HALF if slot == 7 and team_index % 2 else ONE
                    add(team, "social-worker", fte, Funding.ESTABLISHMENT, POSTS_ACTIVE_FROM)
        # Temporary capacity approved during the last eighteen months: additional
        # capacity in busy teams, and ASYE support for the newly qualified.
        busy = [teams[i][0] for _, teams in SERVICE_AREAS for i in (0, 1)]
        for index in range(20):
            approved = self.days_between(add_months(self.dates.today, -18), add_months(self.dates.today, -3))
            add(busy[index % len(busy)], "social-worker", ONE, Funding.TEMPORARY, approved)
        for index in range(6):
            approved = self.days_between(add_months(self.dates.today, -14), add_months(self.dates.today, -4))
            add(busy[(index * 3) % len(busy)], "social-worker", ONE, Funding.TEMPORARY, approved)

    # --- history ------------------------------------------------------------------
    def _departure_plan(self) -> list[tuple[dt.date, str, bool]]:
        d = self.dates
        in_window = ["<1"] * 23 + ["1-3"] * 33 + ["3+"] * 88
        self.rng.shuffle(in_window)
        dates = [
            self.days_between(d.window_26_start, d.window_14_start - dt.timedelta(days=1)) for _ in range(58)
        ] + [self.days_between(d.window_14_start, d.window_end) for _ in range(86)]
        dates.sort()
        plan = [(day, band, True) for day, band in zip(dates, in_window, strict=True)]
        for _ in range(30):
            day = self.days_between(
                d.history_start + dt.timedelta(days=20), d.window_26_start - dt.timedelta(days=1)
            )
            plan.append((day, self.rng.choice(["1-3", "3+", "3+"]), False))
        if d.today - d.window_end > dt.timedelta(days=3):
            for _ in range(2):
                day = self.days_between(d.window_end + dt.timedelta(days=1), d.today - dt.timedelta(days=1))
                plan.append((day, "3+", False))
        plan.sort(key=lambda item: item[0])
        return plan

    def _start_holder(self, post: PlannedPost, start: dt.date, worker: PlannedWorker, contract: str) -> None:
        fte = post.fte
        if post.fte == ONE and self.rng.random() < 0.12:
            fte = self.rng.choice([Decimal("0.8"), Decimal("0.6")])
        end = None
        if contract == Contract.FIXED_TERM:
            end = add_months(start, 24) - dt.timedelta(days=1)
        tenure = Tenure(worker, post.reference, start, end, fte, contract)
        post.holder = tenure
        post.tenures.append(tenure)
        self.tenures.append(tenure)

    def _fits(self, tenure: Tenure, day: dt.date, band: str) -> bool:
        low, high = BANDS[band]
        start = tenure.worker.service_start
        if start is None:  # an initial holder: any service from the history start back
            return high > (day - self.dates.history_start).days
        return low <= (day - start).days <= high

    def _qualified_before(self, start: dt.date, role: str) -> dt.date:
        years = {"social-worker": (0, 8), "senior-practitioner": (4, 15), "advanced-practitioner": (6, 20)}
        low, high = years.get(role, (8, 25))
        return start - dt.timedelta(days=self.rng.randint(low * 365 + 30, high * 365 + 30))

    def simulate(self) -> None:
        d = self.dates
        establishment = [p for p in self.posts.values() if p.funding == Funding.ESTABLISHMENT]
        pending: list[tuple[dt.date, PlannedPost, PlannedWorker | None]] = []

        for post in establishment:
            if self.rng.random() < 0.9:
                self._start_holder(post, POSTS_ACTIVE_FROM, self.new_worker(), Contract.PERMANENT)
            else:
                start = self.days_between(
                    d.history_start + dt.timedelta(days=30), add_months(d.history_start, 14)
                )
                pending.append((start, post, None))

        plan = self._departure_plan()
        index = 0
        while index < len(plan):
            day, band, counted = plan[index]
            self._start_pending(pending, up_to=day)
            candidates = [
                post
                for post in establishment
                if post.holder
                and post.holder.start < day
                and post.holder.end is None
                and self._fits(post.holder, day, band)
            ]
            if not candidates:
                # Swap this band with a later counted departure's and try again.
                later = next(
                    (j for j in range(index + 1, len(plan)) if plan[j][2] == counted and plan[j][1] != band),
                    None,
                )
                if later is None:
                    raise RuntimeError(f"The demo plan cannot place a departure on {day}.")
                plan[index], plan[later] = (day, plan[later][1], counted), (plan[later][0], band, counted)
                continue
            post = self.rng.choice(candidates)
            holder = post.holder
            if holder.worker.service_start is None:
                low, high = BANDS[band]
                low = max(low, (day - d.history_start).days + 1)
                holder.worker.service_start = day - dt.timedelta(days=self.rng.randint(low, high))
            holder.end = day
            post.holder = None
            self._plan_refill(post, day, pending)
            index += 1
        self._start_pending(pending, up_to=d.today)

        for post in establishment:
            for tenure in post.tenures:
                if tenure.worker.service_start is None:
                    tenure.worker.service_start = self.days_between(dt.date(1995, 1, 1), POSTS_ACTIVE_FROM)
                if tenure.start == POSTS_ACTIVE_FROM:
                    tenure.start = max(tenure.worker.service_start, POSTS_ACTIVE_FROM)
                if tenure.worker.date_qualified is None:
                    tenure.worker.date_qualified = self._qualified_before(
                        tenure.worker.service_start, post.role
                    )
        self._plan_absences_and_cover()
        self._plan_temporary_posts()

    def _plan_refill(self, post: PlannedPost, last_day: dt.date, pending: list) -> None:
        d = self.dates
        if self.rng.random() < 0.05:
            start = None  # hard to fill: still vacant today
        else:
            start = last_day + dt.timedelta(days=self.rng.randint(30, 140))
        cover_until = (start - dt.timedelta(days=1)) if start else None
        transfer = None
        if self.rng.random() < 0.65:
            cover_from = last_day + dt.timedelta(days=self.rng.randint(1, 21))
            if cover_until is None or cover_from < cover_until:
                agency_worker = self.new_worker(agency=True)
                if start and start <= d.today + dt.timedelta(days=60) and self.rng.random() < 0.2:
                    # The agency worker accepted the permanent post: awaiting transfer until then.
                    offer_day = max(cover_from, start - dt.timedelta(days=self.rng.randint(20, 50)))
                    if offer_day > cover_from:
                        self._agency(
                            post,
                            agency_worker,
                            cover_from,
                            offer_day - dt.timedelta(days=1),
                            AgencyReason.VACANCY,
                        )
                        self._agency(
                            post, agency_worker, offer_day, cover_until, AgencyReason.AWAITING_TRANSFER
                        )
                        transfer = agency_worker
                if transfer is None:
                    self._agency(post, agency_worker, cover_from, cover_until, AgencyReason.VACANCY)
        if start is not None:
            pending.append((start, post, transfer))

    def _start_pending(self, pending: list, *, up_to: dt.date) -> None:
        pending.sort(key=lambda item: item[0])
        while pending and pending[0][0] <= up_to:
            start, post, transfer = pending.pop(0)
            if start > self.dates.today + dt.timedelta(days=0):
                return
            if transfer is not None:
                worker = transfer
                worker.agency = False
                origin = StartOrigin.AGENCY
            else:
                worker = self.new_worker()
                weights = (
                    [
                        (StartOrigin.NEWLY_QUALIFIED, 45),
                        (StartOrigin.OTHER_LA, 30),
                        (StartOrigin.AGENCY, 10),
                        (StartOrigin.OTHER_SOCIAL_WORK, 8),
                        (StartOrigin.NOT_KNOWN, 7),
                    ]
                    if post.role == "social-worker"
                    else [
                        (StartOrigin.OTHER_LA, 60),
                        (StartOrigin.AGENCY, 15),
                        (StartOrigin.OTHER_SOCIAL_WORK, 25),
                    ]
                )
                origin = self.rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]
                if origin == StartOrigin.NEWLY_QUALIFIED:
                    worker.date_qualified = start - dt.timedelta(days=self.rng.randint(40, 200))
            worker.service_start = start
            worker.origin = origin
            contract = Contract.PERMANENT
            if add_months(start, 24) > self.dates.today and self.rng.random() < 0.08:
                contract = Contract.FIXED_TERM
            self._start_holder(post, start, worker, contract)

    def _agency(
        self, post: PlannedPost, worker: PlannedWorker, start: dt.date, end: dt.date | None, reason: str
    ) -> None:
        today = self.dates.today
        if end is not None and end > today + dt.timedelta(days=120):
            end = None
        tenure = Tenure(
            worker, post.reference, start, end, ONE if post.fte == ONE else post.fte, Contract.AGENCY, reason
        )
        if worker.date_qualified is None:
            worker.date_qualified = self._qualified_before(start, post.role)
        post.tenures.append(tenure)
        self.tenures.append(tenure)

    def _plan_absences_and_cover(self) -> None:
        d = self.dates
        for tenure in [t for t in self.tenures if t.contract != Contract.AGENCY]:
            start = max(tenure.start, d.history_start)
            end = min(tenure.end or d.today, d.today)
            if (end - start).days < 120:
                continue
            post = self.posts[tenure.post_reference]
            roll = self.rng.random()
            if roll < 0.10:
                leave_start = self.days_between(start + dt.timedelta(days=30), end - dt.timedelta(days=60))
                leave_end = leave_start + dt.timedelta(days=self.rng.randint(180, 330))
                if tenure.end is not None:
                    leave_end = min(leave_end, tenure.end)
                self.absences.append((tenure.worker, AbsenceReason.MAT, leave_start, leave_end))
                if self.rng.random() < 0.75:
                    self._agency(
                        post,
                        self.new_worker(agency=True),
                        leave_start + dt.timedelta(days=7),
                        leave_end,
                        AgencyReason.MATERNITY,
                    )
            elif roll < 0.15:
                leave_start = self.days_between(start + dt.timedelta(days=30), end - dt.timedelta(days=40))
                leave_end = leave_start + dt.timedelta(days=self.rng.randint(40, 150))
                if tenure.end is not None:
                    leave_end = min(leave_end, tenure.end)
                self.absences.append((tenure.worker, AbsenceReason.SIC, leave_start, leave_end))
                if self.rng.random() < 0.5:
                    self._agency(
                        post,
                        self.new_worker(agency=True),
                        leave_start + dt.timedelta(days=14),
                        leave_end,
                        AgencyReason.SICKNESS,
                    )
            # Short absences: a couple a year of sickness, training or other leave.
            years = max(1, (end - start).days // 365)
            for _ in range(self.rng.randint(0, 2 * years)):
                reason = self.rng.choices(
                    [
                        AbsenceReason.SIC,
                        AbsenceReason.TRN,
                        AbsenceReason.OTH,
                        AbsenceReason.PUB,
                        AbsenceReason.UNP,
                        AbsenceReason.UNA,
                    ],
                    [60, 20, 10, 3, 4, 3],
                )[0]
                first = self.days_between(start, end - dt.timedelta(days=10))
                self.absences.append(
                    (tenure.worker, reason, first, first + dt.timedelta(days=self.rng.randint(0, 9)))
                )

    def _plan_temporary_posts(self) -> None:
        asye = 0
        for post in self.posts.values():
            if post.funding != Funding.TEMPORARY:
                continue
            reason = AgencyReason.ADDITIONAL_CAPACITY
            if post.reference.startswith("TMP") and asye < 6 and int(post.reference[-4:]) % 5 == 0:
                reason, asye = AgencyReason.ASYE_SUPPORT, asye + 1
            start = post.active_from
            while start < self.dates.today:
                end = start + dt.timedelta(days=self.rng.randint(90, 270))
                if end >= self.dates.today - dt.timedelta(days=14):
                    end = None
                self._agency(post, self.new_worker(agency=True), start, end, reason)
                if end is None:
                    break
                start = end + dt.timedelta(days=1)
