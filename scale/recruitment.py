"""Applications for the generated starts: about ten per start, through their stages in order.

Each starter's own application runs back from the start (received, shortlisted,
interviewed, offered, accepted, started) and is linked to the assignment the start
made, as ``recruitment.services.record_existing_start`` would link it. Around it, other
candidates in the same campaign stop at each stage: never shortlisted, shortlisted (some
did not attend the interview), interviewed and not appointed, offered and declined, or
accepted and then withdrawn (each with a coded reason). Vacancies still open today have
applications in progress, sometimes an accepted offer with a start agreed for later.
Every date is on or before today and follows the order ``recruitment.rules`` checks.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from recruitment.demo_plan import ReasonPicker, Stages
from recruitment.models import Application, Interview, InterviewOutcome
from scale.structure import SOCIAL_WORKER, PlannedCampaign, PlannedPost, ScaleDates, Structure, campaign_on
from scale.writer import BulkWriter
from workforce.demo import FIRST_NAMES, LAST_NAMES
from workforce.models import StartOrigin

PAY_GRADES = {
    SOCIAL_WORKER: "KR10",
    "senior-practitioner": "KR11",
    "advanced-practitioner": "KR12",
    "team-manager": "KR13",
    "service-manager": "KR15",
    "head-of-service": "KR17",
}
PANELS = {
    SOCIAL_WORKER: "Team manager and HR adviser",
    "senior-practitioner": "Team manager, senior practitioner and HR adviser",
    "team-manager": "Service manager, practice lead and HR adviser",
}
# How far the other candidates for a start get.
REACH = (
    ("received", 40),
    ("shortlisted", 20),
    ("interviewed", 24),
    ("declined", 8),
    ("withdrawn", 4),
    ("offered", 4),
)
REASON_SEED = 1515
ORDER = ("received", "shortlisted", "interviewed", "offered", "declined", "withdrawn", "accepted")


class Recruitment:
    """Write the applications and interviews of a generated workforce."""

    def __init__(
        self,
        *,
        structure: Structure,
        dates: ScaleDates,
        rng: random.Random,
        writer: BulkWriter,
        roles: dict[str, int],
        channels: dict[str, int],
    ) -> None:
        self.structure = structure
        self.dates = dates
        self.today = dates.today
        self.rng = rng
        self.writer = writer
        self.roles = roles
        self.channels = channels
        self.number = 0
        # Declines and withdrawals carry a reason drawn from a stream of their own, so the
        # generated workforce is otherwise what it was before reasons were kept.
        self.reasons = ReasonPicker(REASON_SEED)

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def campaign(self, post: PlannedPost, kind: str, day: dt.date) -> PlannedCampaign | None:
        """Return the campaign of the post's service area an application received on ``day`` came through."""
        area = post.team.area.index
        partner = self.structure.partners.get(area)
        if (
            kind != "nq"
            and partner is not None
            and partner.opens_on <= day
            and post.role in partner.roles
            and self.rng.random() < 0.15
        ):
            return partner
        return campaign_on(self.structure, self.dates, area, kind, day)

    # --- stage dates ------------------------------------------------------------------------
    def forward(self, received: dt.date, reach: str) -> Stages:
        """Return stages from ``received`` up to ``reach``, stopping short where a date would pass today."""
        rng = self.rng
        wanted = ORDER.index(reach)
        stages = Stages(received=received)
        if wanted == 0:
            return stages
        shortlisted = received + self.days(4, 12)
        if shortlisted > self.today:
            return stages
        stages.shortlisted = shortlisted
        interview = shortlisted + self.days(5, 14)
        if wanted == 1:
            if rng.random() < 0.15 and interview <= self.today:
                stages.interviews = [(interview, InterviewOutcome.DID_NOT_ATTEND)]
            return stages
        if interview > self.today:
            return stages
        if wanted == 2:
            outcome = InterviewOutcome.NOT_APPOINTABLE if rng.random() < 0.7 else InterviewOutcome.APPOINTABLE
            stages.interviews = [(interview, outcome)]
            return stages
        stages.interviews = [(interview, InterviewOutcome.APPOINTABLE)]
        offered = interview + self.days(2, 9)
        if offered > self.today:
            stages.interviews = [(interview, InterviewOutcome.PENDING)]
            return stages
        stages.offered = offered
        response = offered + self.days(1, 10)
        if reach == "offered" or response > self.today:
            return stages
        if reach == "declined":
            stages.declined = response
            return stages
        stages.accepted = response
        if reach == "withdrawn":
            withdrawn = response + self.days(5, 30)
            if withdrawn <= self.today:
                stages.withdrawn = withdrawn
        return stages

    def back(self, start: dt.date, accepted: dt.date | None) -> Stages:
        """Return the stages of the application that led to a start on ``start``."""
        accepted = accepted or start - self.days(21, 60)
        offered = accepted - self.days(1, 7)
        interview = offered - self.days(3, 12)
        shortlisted = interview - self.days(5, 12)
        received = shortlisted - self.days(7, 25)
        return Stages(
            received=received,
            shortlisted=shortlisted,
            interviews=[(interview, InterviewOutcome.APPOINTABLE)],
            offered=offered,
            accepted=accepted,
            planned_start=start,
        )

    # --- writing ----------------------------------------------------------------------------
    def write(
        self,
        *,
        campaign: PlannedCampaign,
        post: PlannedPost,
        stages: Stages,
        newly_qualified: bool,
        internal: bool = False,
        **fields: object,
    ) -> int:
        rng = self.rng
        self.number += 1
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first}.{last}.{self.number}".lower().replace("'", "")
        if internal:
            source = self.channels["internal"]
        else:
            source = self.channels[rng.choice([code for code in campaign.channels if code != "internal"])]
        offer: dict[str, object] = {}
        if stages.offered:
            offer["salary_point"] = f"{PAY_GRADES[post.role]} point {rng.randint(1, 4)}"
            if post.role in (SOCIAL_WORKER, "senior-practitioner") and rng.random() < 0.4:
                offer["market_premium"] = Decimal(rng.choice((1500, 2000, 3000)))
        application = self.writer.add(
            Application,
            campaign_id=campaign.pk,
            role_id=self.roles[post.role],
            team_id=post.team.pk,
            first_name=first,
            last_name=last,
            email=f"{local}@example.org",
            phone=f"07700 9{self.number % 100000:05d}",
            internal=internal,
            newly_qualified=newly_qualified,
            source_id=source,
            received_on=stages.received,
            shortlisted_on=stages.shortlisted,
            interviewed_on=stages.interviewed,
            offered_on=stages.offered,
            offer_accepted_on=stages.accepted,
            offer_declined_on=stages.declined,
            offer_withdrawn_on=stages.withdrawn,
            decline_reason_id=getattr(self.reasons.reason_for(stages, internal=internal), "pk", None),
            start_planned_on=stages.planned_start,
            **offer,
            **fields,
        )
        panel = PANELS.get(post.role, "Head of service and HR adviser")
        for day, outcome in stages.interviews:
            self.writer.add(Interview, application_id=application, held_on=day, panel=panel, outcome=outcome)
        return application

    def started(
        self,
        *,
        post: PlannedPost,
        start: dt.date,
        worker: int,
        assignment: int,
        origin: int,
        accepted: dt.date | None,
    ) -> None:
        """Write the application that brought in the starter of ``assignment``, and the others."""
        newly_qualified = origin == StartOrigin.NEWLY_QUALIFIED
        kind = "nq" if newly_qualified else ("sw" if post.role == SOCIAL_WORKER else "senior")
        stages = self.back(start, accepted)
        campaign = self.campaign(post, kind, stages.received)
        if campaign is None:
            return
        self.write(
            campaign=campaign,
            post=post,
            stages=stages,
            newly_qualified=newly_qualified,
            worker_id=worker,
            start_origin=origin,
            started_on=start,
            assignment_id=assignment,
        )
        for _ in range(max(0, round(self.rng.gauss(9, 3)))):
            self.other(post, kind, campaign, around=stages.received)

    def other(self, post: PlannedPost, kind: str, campaign: PlannedCampaign, *, around: dt.date) -> None:
        """Write another candidate's application to ``campaign`` received near ``around``."""
        rng = self.rng
        latest = min(campaign.closes_on or self.today, self.today)
        received = around + dt.timedelta(days=rng.randint(-40, 40))
        received = min(max(received, campaign.opens_on), latest)
        internal_share = 0.1 if post.role == SOCIAL_WORKER else 0.45
        self.write(
            campaign=campaign,
            post=post,
            stages=self.forward(received, str(_pick(rng, REACH))),
            newly_qualified=kind == "nq",
            internal=kind != "nq" and rng.random() < internal_share,
        )

    def open_vacancy(self, *, post: PlannedPost, since: dt.date) -> None:
        """Write the applications in progress for a post vacant since ``since`` and still vacant."""
        rng = self.rng
        kind = "sw" if post.role == SOCIAL_WORKER else "senior"
        campaign = self.campaign(post, kind, self.today)
        if campaign is None:
            return
        earliest = max(since, campaign.opens_on)
        if (self.today - since).days > 60 and rng.random() < 0.4:
            received = earliest + dt.timedelta(days=rng.randint(0, max(0, (self.today - earliest).days - 60)))
            stages = self.forward(received, "accepted")
            if stages.accepted is not None:
                stages.planned_start = self.today + self.days(14, 90)
            self.write(campaign=campaign, post=post, stages=stages, newly_qualified=False)
        span = max(0, (self.today - earliest).days)
        for _ in range(rng.randint(3, 10)):
            self.other(post, kind, campaign, around=earliest + dt.timedelta(days=rng.randint(0, span)))


def _pick(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _ in options], [weight for _, weight in options])[0]
