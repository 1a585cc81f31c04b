"""The people in each post over the years: holders, vacancies, agency cover, absences, leavers.

Each post is split into slots (a job share is two half slots); a slot has at most one
employee at a time and each worker holds one assignment at a time, so no post is ever
overfilled and no worker passes 1.0 FTE. Every employee assignment that ends before
today is a departure with its ``Leaver`` (fields as ``leavers.rules`` derives them),
except a fixed-term contract made permanent the next day. Vacancies are covered by
agency workers, some of whom accept the permanent post (awaiting transfer first);
maternity and long-term sickness are covered too; temporary posts hold agency workers
for additional capacity or ASYE support, and now and then a fixed-term employee.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from foundation.periods import add_months, financial_year, weekdays_between
from leavers.models import ExitConversation, Leaver
from leavers.rules import completed_years
from scale.recruitment import Recruitment
from scale.structure import HALF, ONE, SOCIAL_WORKER, PlannedPost, ScaleDates
from scale.writer import BulkWriter
from workforce.demo import ETHNICITIES, FIRST_NAMES, LAST_NAMES, SUPPLIERS, UNIVERSITIES, WEEKLY_CHARGE
from workforce.models import (
    Absence,
    AbsenceReason,
    AgencyReason,
    Assignment,
    CfkssStatus,
    Contract,
    Funding,
    Gender,
    StartOrigin,
    Worker,
)

DAY = dt.timedelta(days=1)
TURNOVER = 0.15  # departures per filled post per year
HARD_TO_FILL = 0.08
VACANCY_COVER = 0.7
TRANSFER = 0.15
FIXED_TERM = 0.08

SW_ORIGINS = (
    (StartOrigin.NEWLY_QUALIFIED, 35),
    (StartOrigin.OTHER_LA, 30),
    (StartOrigin.AGENCY, 8),
    (StartOrigin.OTHER_SOCIAL_WORK, 8),
    (StartOrigin.OUTSIDE_ENGLAND, 4),
    (StartOrigin.OTHER_SOCIAL_CARE, 5),
    (StartOrigin.NOT_KNOWN, 10),
)
SENIOR_ORIGINS = (
    (StartOrigin.OTHER_LA, 55),
    (StartOrigin.OTHER_SOCIAL_WORK, 20),
    (StartOrigin.AGENCY, 10),
    (StartOrigin.OUTSIDE_ENGLAND, 5),
    (StartOrigin.NOT_KNOWN, 10),
)
# Years since qualifying when taking up a post of each role: (fewest, most).
QUALIFIED_YEARS = {
    SOCIAL_WORKER: (1, 8),
    "senior-practitioner": (4, 15),
    "advanced-practitioner": (6, 20),
}
LEAVING_CATEGORIES = (
    ("resignation-new-employment", 42),
    ("resignation-other", 15),
    ("resignation-personal", 10),
    ("normal-retirement", 9),
    ("ill-health-retirement", 2),
    ("moved-within-council", 6),
    ("dismissal", 3),
    ("redundancy", 1),
    ("death-in-service", 1),
)
DESTINATIONS = (
    ("another-la", 32),
    ("agency-local", 16),
    ("agency-london", 5),
    ("independent-fostering", 8),
    ("private-voluntary", 12),
    ("leaving-social-work", 12),
    ("not-known", 15),
)
EXIT_REASONS = (
    ("better-pay", 20),
    ("workload", 30),
    ("working-practices", 12),
    ("other-organisations", 10),
    ("caring", 10),
    ("journey", 6),
    ("progression", 12),
    ("career-break", 5),
    ("moving-area", 8),
    ("health", 5),
)
QUOTES = (
    "The caseloads were more than I could manage well, however supportive the team was.",
    "I was offered more money for the same work closer to home.",
    "I needed a role with hours that fit around my children.",
    "I want to try a different kind of organisation before I settle.",
    "The changes to how we record our work took time away from families.",
    "I learned a great deal here and I am grateful to my manager.",
    "The journey every day was wearing me out.",
    "I could not see a route to the next grade in my team.",
)
SHORT_ABSENCES = (
    (AbsenceReason.SIC, 60),
    (AbsenceReason.TRN, 20),
    (AbsenceReason.OTH, 10),
    (AbsenceReason.PUB, 3),
    (AbsenceReason.UNP, 4),
    (AbsenceReason.UNA, 3),
)


def _weighted(rng: random.Random, options: tuple[tuple[object, int], ...]) -> object:
    return rng.choices([value for value, _ in options], [weight for _, weight in options])[0]


@dataclass(frozen=True)
class Keys:
    """Primary keys of the seeded code tables, by code."""

    roles: dict[str, int]
    categories: dict[str, int]
    destinations: dict[str, int]
    reasons: dict[str, int]
    channels: dict[str, int]


@dataclass(slots=True)
class Tenure:
    """An employee's time in one slot, as it was written."""

    worker: int
    service_start: dt.date
    start: dt.date
    end: dt.date | None
    fte: Decimal
    contract: str
    assignment: int


class Simulation:
    """Simulate every post of a generated workforce and write its people through ``writer``."""

    def __init__(
        self,
        *,
        dates: ScaleDates,
        rng: random.Random,
        writer: BulkWriter,
        keys: Keys,
        recruitment: Recruitment,
    ) -> None:
        self.dates = dates
        self.today = dates.today
        self.rng = rng
        self.writer = writer
        self.keys = keys
        self.recruitment = recruitment
        self.workers = 0
        self.agency_spend: dict[int, float] = defaultdict(float)  # financial year start -> £
        self.reason_pks = [(keys.reasons[code], weight) for code, weight in EXIT_REASONS]

    # --- helpers -------------------------------------------------------------------------------
    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def new_worker(
        self,
        *,
        role: str,
        starts: dt.date,
        agency: bool = False,
        service_start: dt.date | None = None,
        origin: int | None = None,
    ) -> int:
        """Write a new worker taking up a ``role`` post on ``starts``; return its key."""
        rng = self.rng
        self.workers += 1
        number = self.workers
        if origin == StartOrigin.NEWLY_QUALIFIED:
            qualified = starts - self.days(40, 200)
        else:
            low, high = QUALIFIED_YEARS.get(role, (8, 25))
            qualified = starts - self.days(low * 365 + 30, high * 365 + 30)
        institution = rng.choice(UNIVERSITIES)
        cfkss = None
        if rng.random() < 0.6:
            cfkss = (
                CfkssStatus.FRONTLINE_PRACTITIONER
                if role in (SOCIAL_WORKER, "senior-practitioner")
                else CfkssStatus.PRACTICE_SUPERVISOR
            )
        return self.writer.add(
            Worker,
            staff_reference=f"{'AG' if agency else 'W'}{number:07d}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            swe_number=f"SW{number:010d}",
            date_qualified=qualified,
            service_start=service_start,
            start_origin=origin,
            birth_date=qualified - self.days(22 * 365, 35 * 365),
            gender=rng.choice((Gender.FEMALE,) * 4 + (Gender.MALE,)),
            ethnicity=_weighted(rng, tuple(ETHNICITIES)),
            qualification_level=rng.choice(("1", "1", "2")),
            qualifying_institution=institution,
            cfkss_status=cfkss,
            frontline_graduate=institution == "Frontline",
            step_up_graduate=False,
        )

    def origin_for(self, role: str) -> int:
        return _weighted(self.rng, SW_ORIGINS if role == SOCIAL_WORKER else SENIOR_ORIGINS)

    def agency(
        self,
        post: PlannedPost,
        worker: int,
        start: dt.date,
        end: dt.date | None,
        reason: str,
        fte: Decimal,
    ) -> int:
        """Write an agency assignment and count its charge in the financial years it spans."""
        charge = WEEKLY_CHARGE[post.role] + self.rng.randint(-150, 250)
        last = min(end or self.today, self.today)
        day = start
        while day <= last:
            first, year_end = financial_year(day)
            upto = min(last, year_end)
            self.agency_spend[first.year] += charge * ((upto - day).days + 1) / 7
            day = upto + DAY
        return self.writer.add(
            Assignment,
            worker_id=worker,
            post_id=post.pk,
            start=start,
            end=end,
            fte=fte,
            contract=Contract.AGENCY,
            agency_supplier=self.rng.choice(SUPPLIERS),
            weekly_charge=Decimal(charge),
            agency_reason=reason,
        )

    # --- employees ------------------------------------------------------------------------------
    def employee(
        self,
        post: PlannedPost,
        *,
        worker: int,
        service_start: dt.date,
        start: dt.date,
        end: dt.date | None,
        fte: Decimal,
        contract: str,
    ) -> Tenure:
        """Write an employee assignment with the absences (and their cover) during it."""
        assignment = self.writer.add(
            Assignment, worker_id=worker, post_id=post.pk, start=start, end=end, fte=fte, contract=contract
        )
        self.absences(post, worker, start, end, fte)
        return Tenure(worker, service_start, start, end, fte, contract, assignment)

    def absences(
        self, post: PlannedPost, worker: int, start: dt.date, end: dt.date | None, fte: Decimal
    ) -> None:
        rng = self.rng
        first = max(start, self.dates.history_start)
        last = min(end or self.today, self.today)
        span = (last - first).days
        if span < 30:
            return
        years = span / 365

        def capped(day: dt.date) -> dt.date:
            return min(day, end) if end is not None else day

        def absence(reason: str, begins: dt.date, ends: dt.date) -> None:
            self.writer.add(
                Absence,
                worker_id=worker,
                reason=reason,
                start=begins,
                end=ends,
                working_days_lost=Decimal(weekdays_between(begins, ends)),
            )

        if span > 120 and rng.random() < 0.045 * years:
            leave = self.between(first + dt.timedelta(days=30), last - dt.timedelta(days=60))
            back = capped(leave + self.days(180, 330))
            absence(AbsenceReason.MAT, leave, back)
            if rng.random() < 0.7 and leave + dt.timedelta(days=7) <= back:
                cover = self.new_worker(role=post.role, starts=leave, agency=True)
                self.agency(post, cover, leave + dt.timedelta(days=7), back, AgencyReason.MATERNITY, fte)
        elif span > 80 and rng.random() < 0.03 * years:
            leave = self.between(first + dt.timedelta(days=30), last - dt.timedelta(days=40))
            back = capped(leave + self.days(40, 150))
            absence(AbsenceReason.SIC, leave, back)
            if rng.random() < 0.5 and leave + dt.timedelta(days=14) <= back:
                cover = self.new_worker(role=post.role, starts=leave, agency=True)
                self.agency(post, cover, leave + dt.timedelta(days=14), back, AgencyReason.SICKNESS, fte)
        for _ in range(sum(rng.randint(0, 2) for _ in range(max(1, round(years))))):
            begins = self.between(first, last - dt.timedelta(days=10))
            absence(_weighted(rng, SHORT_ABSENCES), begins, capped(begins + self.days(0, 9)))

    def leaver(self, post: PlannedPost, tenure: Tenure, category: str) -> None:
        """Write the leaver for ``tenure`` ending, as ``leavers.rules`` would derive it, and
        for most of them the exit conversation."""
        rng = self.rng
        day = tenure.end
        leaver = self.writer.add(
            Leaver,
            worker_id=tenure.worker,
            leaving_date=day,
            category_id=self.keys.categories[category],
            fte_at_leaving=tenure.fte,
            service_start=tenure.service_start,
            service_days=(day - tenure.service_start).days,
            service_years=completed_years(tenure.service_start, day),
            team_id=post.team.pk,
            role_id=self.keys.roles[post.role],
            post_id=post.pk,
            contract=tenure.contract,
        )
        if category == "death-in-service" or rng.random() > 0.7:
            return
        if category in ("normal-retirement", "ill-health-retirement"):
            destination = "retirement" if rng.random() < 0.85 else "not-known"
        elif category == "moved-within-council":
            destination = "leaving-social-work"
        else:
            destination = _weighted(rng, DESTINATIONS)
        quote = rng.choice(QUOTES) if rng.random() < 0.15 else ""
        conversation = self.writer.add(
            ExitConversation,
            leaver_id=leaver,
            held_on=max(tenure.service_start, day - self.days(0, 14)),
            destination_id=self.keys.destinations[destination],
            notes="Held by the team manager in the leaver's last fortnight." if rng.random() < 0.5 else "",
            quote=quote,
            quote_consent=bool(quote) and rng.random() < 0.8,
        )
        chosen: list[int] = []
        for _ in range(rng.randint(1, 3)):
            reason = _weighted(rng, tuple(self.reason_pks))
            if reason not in chosen:
                chosen.append(reason)
                self.writer.add(
                    ExitConversation.reasons.through, exitconversation_id=conversation, exitreason_id=reason
                )

    # --- posts ----------------------------------------------------------------------------------
    def post(self, post: PlannedPost) -> None:
        """Simulate ``post`` from before the history to today."""
        if post.funding == Funding.TEMPORARY:
            self.temporary_post(post)
            return
        if post.fte == ONE and self.rng.random() < 0.06:
            slots = [HALF, HALF]  # a job share
        else:
            slots = [post.fte]
        for fte in slots:
            self.establishment_slot(post, fte)

    def _hold(
        self,
        post: PlannedPost,
        *,
        worker: int,
        service_start: dt.date,
        start: dt.date,
        fte: Decimal,
        contract: str,
    ) -> tuple[Tenure, str | None]:
        """Write one holder's assignment from ``start``; return it and the leaving category if
        it ended before today (None if still held, or ended by becoming permanent)."""
        rng = self.rng
        fixed_end = None
        if contract == Contract.FIXED_TERM:
            fixed_end = add_months(start, rng.choice((12, 18, 24))) - DAY
        drawn_from = max(start, self.dates.history_start)
        leave = drawn_from + dt.timedelta(days=int(rng.expovariate(TURNOVER) * 365))
        category = None
        if fixed_end is not None and leave >= fixed_end:
            leave, category = fixed_end, "end-of-fixed-term"
        if post.active_to is not None and leave >= post.active_to:
            leave, category = post.active_to, "redundancy"
        if leave >= self.today:
            ends = [day for day in (fixed_end, post.active_to) if day is not None]
            end = min(ends) if ends else None
            tenure = self.employee(
                post,
                worker=worker,
                service_start=service_start,
                start=start,
                end=end,
                fte=fte,
                contract=contract,
            )
            return tenure, None
        tenure = self.employee(
            post,
            worker=worker,
            service_start=service_start,
            start=start,
            end=leave,
            fte=fte,
            contract=contract,
        )
        return tenure, category or _weighted(rng, LEAVING_CATEGORIES)

    def establishment_slot(self, post: PlannedPost, fte: Decimal) -> None:
        rng, today, history_start = self.rng, self.today, self.dates.history_start
        holder_fte = fte
        if fte == ONE and rng.random() < 0.12:
            holder_fte = rng.choice((Decimal("0.8"), Decimal("0.6")))

        vacant_since: dt.date | None = None
        if post.active_from < history_start and rng.random() < 0.9:
            start = max(post.active_from, history_start - self.days(30, 20 * 365))
            worker = self.new_worker(
                role=post.role, starts=start, service_start=start, origin=self.origin_for(post.role)
            )
            tenure, category = self._hold(
                post,
                worker=worker,
                service_start=start,
                start=start,
                fte=holder_fte,
                contract=Contract.PERMANENT,
            )
        else:
            tenure, category = None, None
            vacant_since = max(post.active_from, history_start - self.days(0, 150))
            if post.active_from >= history_start:
                vacant_since = post.active_from

        while True:
            if tenure is not None:
                if tenure.end is None or tenure.end >= today:
                    return  # still held today
                if (
                    category == "end-of-fixed-term"
                    and rng.random() < 0.4
                    and (post.active_to is None or tenure.end < post.active_to)
                ):
                    # Made permanent the next day: one continuous employment, not a leaver.
                    tenure, category = self._hold(
                        post,
                        worker=tenure.worker,
                        service_start=tenure.service_start,
                        start=tenure.end + DAY,
                        fte=tenure.fte,
                        contract=Contract.PERMANENT,
                    )
                    continue
                self.leaver(post, tenure, category)
                vacant_since = tenure.end + DAY
                tenure = None
                if post.active_to is not None and vacant_since > post.active_to:
                    return
            tenure, category = self.vacancy(post, fte, holder_fte, vacant_since)
            if tenure is None:
                return

    def vacancy(
        self, post: PlannedPost, fte: Decimal, holder_fte: Decimal, since: dt.date
    ) -> tuple[Tenure | None, str | None]:
        """Simulate a vacancy from ``since``: its agency cover, and the starter who fills it (if
        one has by today); return the starter's tenure and leaving category."""
        rng, today = self.rng, self.today
        limit = today if post.active_to is None else min(today, post.active_to)
        start = None if rng.random() < HARD_TO_FILL else since + self.days(30, 270)
        if start is not None and start > limit:
            start = None
        cover_until = start - DAY if start is not None else post.active_to
        transfer: tuple[int, dt.date] | None = None
        if rng.random() < VACANCY_COVER:
            cover_from = since + self.days(1, 21)
            if cover_from <= today and (cover_until is None or cover_from <= cover_until):
                if start is not None and rng.random() < TRANSFER and (start - cover_from).days > 30:
                    # The agency worker accepts the permanent post: awaiting transfer until the start.
                    accepted = max(cover_from + DAY, start - self.days(20, 50))
                    worker = self.new_worker(
                        role=post.role,
                        starts=cover_from,
                        agency=True,
                        service_start=start,
                        origin=StartOrigin.AGENCY,
                    )
                    self.agency(post, worker, cover_from, accepted - DAY, AgencyReason.VACANCY, fte)
                    self.agency(post, worker, accepted, start - DAY, AgencyReason.AWAITING_TRANSFER, fte)
                    transfer = (worker, accepted)
                else:
                    worker = self.new_worker(role=post.role, starts=cover_from, agency=True)
                    self.agency(post, worker, cover_from, cover_until, AgencyReason.VACANCY, fte)
        if start is None:
            if (post.active_to is None or post.active_to >= today) and (today - since).days > 20:
                self.recruitment.open_vacancy(post=post, since=since)
            return None, None

        if transfer is not None:
            worker, accepted = transfer
            origin = StartOrigin.AGENCY
        else:
            origin = self.origin_for(post.role)
            accepted = None
            worker = self.new_worker(role=post.role, starts=start, service_start=start, origin=origin)
        contract = Contract.FIXED_TERM if rng.random() < FIXED_TERM else Contract.PERMANENT
        tenure, category = self._hold(
            post, worker=worker, service_start=start, start=start, fte=holder_fte, contract=contract
        )
        self.recruitment.started(
            post=post,
            start=start,
            worker=worker,
            assignment=tenure.assignment,
            origin=origin,
            accepted=accepted,
        )
        return tenure, category

    def temporary_post(self, post: PlannedPost) -> None:
        """Simulate a temporary post: agency cover for extra capacity or ASYE support in
        spells, and now and then a fixed-term employee."""
        rng, today = self.rng, self.today
        reason = AgencyReason.ASYE_SUPPORT if rng.random() < 0.25 else AgencyReason.ADDITIONAL_CAPACITY
        day = post.active_from
        while day < today and (post.active_to is None or day <= post.active_to):
            if rng.random() < 0.2:
                end = day + self.days(180, 540)
                if post.active_to is not None:
                    end = min(end, post.active_to)
                origin = self.origin_for(post.role)
                worker = self.new_worker(role=post.role, starts=day, service_start=day, origin=origin)
                tenure = self.employee(
                    post,
                    worker=worker,
                    service_start=day,
                    start=day,
                    end=end,
                    fte=post.fte,
                    contract=Contract.FIXED_TERM,
                )
                if end < today:
                    self.leaver(post, tenure, "end-of-fixed-term")
            else:
                end = day + self.days(90, 270)
                if end >= today - dt.timedelta(days=14):
                    end = None
                if post.active_to is not None and (end is None or end > post.active_to):
                    end = post.active_to
                worker = self.new_worker(role=post.role, starts=day, agency=True)
                self.agency(post, worker, day, end, reason, post.fte)
            if end is None or end >= today:
                return
            day = end + DAY + self.days(0, 30)
