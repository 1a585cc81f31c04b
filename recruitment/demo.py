"""Demonstration recruitment: three years of campaigns that reproduce the 2016 cabinet paper.

Built on the demonstration establishment (``workforce.demo``), after the leavers stage:

- Campaigns every six months from the history start: experienced social workers
  (targeted online advertising, social media, search), senior practitioners and
  managers, a recruitment partner (Connect 2 Staff), a rolling university / Frontline /
  apprenticeship route for newly qualified social workers each year, and the
  campaigns open today.
- Every starter the establishment already has (a worker with a census start origin
  whose service started in the history) gets the application that brought them in,
  linked to their existing assignment as its start (``record_existing_start``). An
  agency worker who transferred to a permanent post accepted on the day their cover
  became "awaiting transfer"; those still waiting have an accepted offer.
- The twelve months to ``demo_dates(today).window_end`` reproduce the paper's table
  exactly: social workers 114 received / 35 interviewed / 26 offered (newly qualified
  apart), senior practitioners 66 / 47 / 23 and team managers 52 / 27 / 16, most senior
  practitioner and team manager offers internal. Made-up applications fill in around
  the linked starters so that each count is exact.
- Internal candidates who accept are moved by ``start_candidate`` into posts that
  stand vacant until today (their old post then falls vacant); other accepted offers
  either start later (an agreed date after today) or were withdrawn.
- A newly qualified cohort: 46 accepted offers in the window for a cohort starting the
  first Monday of the September after today (there are not 46 vacant posts today; the
  cohort is started with the admin's "start in vacant posts" action when it arrives).

- Every offer declined or withdrawn carries a coded reason (``demo_plan.ReasonPicker``).

Every record is written through ``recruitment.services``. Deterministic (fixed seed).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import F, prefetch_related_objects

from foundation.periods import add_months, month_end, twelve_months_to
from recruitment import services
from recruitment.demo_plan import (
    COHORT_ACCEPTED,
    COHORT_FUNNEL,
    EXPERIENCED,
    FEEDER_ROLES,
    LEAD,
    ONE_DAY,
    PANELS,
    PAPER,
    PAY_GRADES,
    SEED,
    ReasonPicker,
    Stages,
    first_monday_of_september_after,
    vacant_until_today,
)
from recruitment.models import Application, Campaign, Channel, Interview, InterviewOutcome
from workforce.demo import FIRST_NAMES, LAST_NAMES, demo_dates
from workforce.models import (
    AgencyReason,
    Assignment,
    Funding,
    Post,
    Role,
    StartOrigin,
)


class RecruitmentDemo:
    """Build the demonstration campaigns and applications for ``today``."""

    def __init__(self, today: dt.date, seed: int = SEED) -> None:
        self.today = today
        self.dates = demo_dates(today)
        self.window = twelve_months_to(self.dates.window_end)
        self.rng = random.Random(seed)
        self.reasons = ReasonPicker(seed + 1)  # its own stream: the other figures stay as they were
        self.roles = {role.code: role for role in Role.objects.all()}
        self.channels = {channel.code: channel for channel in Channel.objects.all()}
        self.campaigns: list[Campaign] = []
        self.routes: dict[int, tuple[tuple[str, ...], bool]] = {}  # campaign: roles, newly qualified
        self.linked: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # in the window, per role
        self.teams_by_role: dict[str, list[int]] = defaultdict(list)
        for team_id, code in (
            Post.objects.filter(funding=Funding.ESTABLISHMENT)
            .order_by("team__name", "role__order")
            .values_list("team_id", "role__code")
            .distinct()
        ):
            self.teams_by_role[code].append(team_id)
        self.used_workers: set[int] = set()  # linked or moved: not to be used again
        self.vacant: dict[str, list[tuple[dt.date, Post]]] = {}
        self.feeders: dict[str, list[Assignment]] = {}  # open assignments internal candidates hold
        self._number = 0

    # --- helpers ----------------------------------------------------------------------
    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def campaign_for(self, role_code: str, day: dt.date, *, newly_qualified: bool) -> Campaign:
        """Return the campaign an application for ``role_code`` received on ``day`` came through."""
        fits = [
            c
            for c in self.campaigns
            if c.opens_on <= day
            and (c.closes_on is None or c.closes_on >= day)
            and role_code in self.routes[c.pk][0]
            and self.routes[c.pk][1] == newly_qualified
            and not c.newly_qualified_cohort
        ]
        partner = [c for c in fits if c.partner_name]
        if partner and self.rng.random() < 0.2:
            return partner[0]
        return next(c for c in fits if not c.partner_name)

    # --- campaigns --------------------------------------------------------------------
    def add_campaign(
        self,
        title: str,
        roles: tuple[str, ...],
        opens_on: dt.date,
        closes_on: dt.date | None,
        channels: tuple[str, ...],
        cost: int,
        *,
        target: int | None = None,
        partner: str = "",
        newly_qualified_route: bool = False,
        cohort_starts_on: dt.date | None = None,
    ) -> Campaign:
        campaign = services.save_campaign(
            campaign=Campaign(
                title=title,
                opens_on=opens_on,
                closes_on=closes_on,
                partner_name=partner,
                cost=Decimal(cost),
                target_hires=target,
                newly_qualified_cohort=cohort_starts_on is not None,
                cohort_starts_on=cohort_starts_on,
            ),
            roles=[self.roles[code] for code in roles],
            channels=[self.channels[code] for code in channels],
        )
        # Kept on the instance for the thousand applications to come: no query per application.
        prefetch_related_objects([campaign], "roles", "channels")
        self.routes[campaign.pk] = (roles, newly_qualified_route)
        self.campaigns.append(campaign)
        return campaign

    def build_campaigns(self) -> None:
        window_end = self.dates.window_end
        first_month = window_end.replace(day=1)
        for back in range(5, -2, -1):  # six halves of the history, then the current one
            opens = add_months(first_month, -6 * back - 5)
            last = add_months(first_month, -6 * back)
            closes = month_end(last.year, last.month)
            span = f"{opens:%B %Y} to {closes:%B %Y}"
            self.add_campaign(
                f"Experienced social workers, {span}",
                ("social-worker",),
                opens,
                closes,
                ("targeted-online", "social-media", "search", "website"),
                self.rng.randint(9, 14) * 1000,
                target=12,
            )
            self.add_campaign(
                f"Senior practitioners and managers, {span}",
                EXPERIENCED,
                opens,
                closes,
                ("targeted-online", "search", "internal", "website"),
                self.rng.randint(6, 9) * 1000,
                target=8,
            )
        partner_opens = add_months(self.window[0], 4)
        self.add_campaign(
            "Connect 2 Staff: experienced social workers and team managers",
            ("social-worker", "senior-practitioner", "team-manager"),
            partner_opens,
            None,
            ("partner",),
            24000,
            target=10,
            partner="Connect 2 Staff",
        )
        for back in range(2, -2, -1):
            opens = add_months(self.window[0], -12 * back)
            closes_month = add_months(self.dates.window_end.replace(day=1), -12 * back)
            closes = month_end(closes_month.year, closes_month.month)
            if closes < self.dates.history_start:
                continue
            self.add_campaign(
                f"Newly qualified social workers {opens:%Y}/{closes:%y} (university partnerships and ASYE)",
                ("social-worker",),
                max(opens, self.dates.history_start),
                closes,
                ("university", "frontline", "apprenticeship"),
                4000,
                newly_qualified_route=True,
            )
        self.cohort_starts = first_monday_of_september_after(self.today)
        self.cohort = self.add_campaign(
            f"Newly qualified cohort, September {self.cohort_starts.year}",
            ("social-worker",),
            max(self.window[0], window_end - dt.timedelta(days=150)),
            window_end - dt.timedelta(days=20),
            ("university", "frontline", "apprenticeship", "social-media"),
            15000,
            target=COHORT_ACCEPTED,
            cohort_starts_on=self.cohort_starts,
        )

    # --- applications -----------------------------------------------------------------
    def candidate(self) -> dict[str, str]:
        self._number += 1
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        local = f"{first}.{last}.{self._number}".lower().replace("'", "")
        return {
            "first_name": first,
            "last_name": last,
            "email": f"{local}@example.org",
            "phone": f"07700 900{self._number % 1000:03d}",
        }

    def save(
        self,
        *,
        role_code: str,
        stages: Stages,
        campaign: Campaign | None = None,
        newly_qualified: bool = False,
        internal: bool = False,
        **fields: Any,
    ) -> Application:
        campaign = campaign or self.campaign_for(role_code, stages.received, newly_qualified=newly_qualified)
        if "first_name" not in fields:
            fields.update(self.candidate())
        if (
            "team_id" not in fields
            and "team" not in fields
            and not newly_qualified
            and self.teams_by_role[role_code]
        ):
            fields["team_id"] = self.rng.choice(self.teams_by_role[role_code])
        channels = [c for c in campaign.channels.all() if c.code != "internal"]
        source = self.channels["internal"] if internal else self.rng.choice(channels)
        offer: dict[str, Any] = {}
        if stages.offered:
            offer = {
                "salary_point": f"{PAY_GRADES.get(role_code, 'KR10')} point {self.rng.randint(1, 4)}",
                "market_premium": Decimal(self.rng.choice([1500, 2000, 3000]))
                if role_code in ("social-worker", "senior-practitioner") and self.rng.random() < 0.4
                else None,
            }
        application = Application(
            campaign=campaign,
            role=self.roles[role_code],
            internal=internal,
            newly_qualified=newly_qualified,
            source=source,
            received_on=stages.received,
            shortlisted_on=stages.shortlisted,
            offered_on=stages.offered,
            offer_accepted_on=stages.accepted,
            offer_declined_on=stages.declined,
            offer_withdrawn_on=stages.withdrawn,
            decline_reason=self.reasons.reason_for(stages, internal=internal),
            start_planned_on=stages.planned_start,
            **offer,
            **fields,
        )
        interviews = [
            Interview(
                held_on=day, outcome=outcome, panel=PANELS.get(role_code, "Head of service and HR adviser")
            )
            for day, outcome in stages.interviews
        ]
        return services.save_application(application=application, interviews=interviews)

    def chain_back(self, anchor: dt.date, *, accepted: dt.date | None = None) -> Stages | None:
        """Return stage dates for a start on ``anchor`` (accepted on ``accepted`` if known)."""
        accepted = accepted or anchor - self.days(21, 60)
        offered = accepted - self.days(1, 7)
        interviewed = offered - self.days(3, 12)
        shortlisted = interviewed - self.days(5, 12)
        received = shortlisted - self.days(7, 25)
        if received < self.dates.history_start:
            return None
        return Stages(
            received=received,
            shortlisted=shortlisted,
            interviews=[(interviewed, InterviewOutcome.APPOINTABLE)],
            offered=offered,
            accepted=accepted,
        )

    def chain_forward(self, received: dt.date, reach: str) -> Stages:
        """Return stage dates from ``received`` up to ``reach`` (received, shortlisted,
        interviewed or offered); at most 35 days later."""
        stages = Stages(received=received)
        if reach == "received":
            return stages
        stages.shortlisted = received + self.days(4, 12)
        if reach == "shortlisted":
            missed = stages.shortlisted + self.days(5, 14)
            if self.rng.random() < 0.15 and missed <= self.today:  # invited, did not come
                stages.interviews = [(missed, InterviewOutcome.DID_NOT_ATTEND)]
            return stages
        interviewed = stages.shortlisted + self.days(5, 14)
        if reach == "interviewed":
            outcome = (
                InterviewOutcome.NOT_APPOINTABLE if self.rng.random() < 0.7 else InterviewOutcome.APPOINTABLE
            )
            stages.interviews = [(interviewed, outcome)]
            return stages
        stages.interviews = [(interviewed, InterviewOutcome.APPOINTABLE)]
        stages.offered = interviewed + self.days(2, 9)
        return stages

    def received_between(self, start: dt.date, end: dt.date, reach: str) -> dt.date:
        last = min(end, self.today) - dt.timedelta(days=LEAD[reach])
        return self.day_between(start, max(start, last))

    # --- the starters already in the establishment --------------------------------------
    def room_for(self, code: str, stages: Stages, *, newly_qualified: bool = False) -> bool:
        """Count a linked application in the paper's window; False if its counts leave no room.

        Linked candidates are external, so their offers may not pass the paper's external
        offers (the offers less the internal ones).
        """
        window_start, window_end = self.window
        if newly_qualified or code not in PAPER or not window_start <= stages.received <= window_end:
            return True
        (received, interviewed, offered), (_, _, internal_offers) = PAPER[code]
        reached = (1, int(stages.interviewed <= window_end), int(stages.offered <= window_end))
        after = [have + more for have, more in zip(self.linked[code], reached, strict=True)]
        if after[0] > received or after[1] > interviewed or after[2] > offered - internal_offers:
            return False
        self.linked[code] = after
        return True

    def link_existing_starts(self) -> None:
        """Give each starter in the history the application that brought them, and each agency
        worker awaiting transfer their accepted offer."""
        awaiting = {
            a.worker_id: a
            for a in Assignment.objects.agency()
            .filter(agency_reason=AgencyReason.AWAITING_TRANSFER)
            .select_related("worker", "post__role")
            .order_by("start")
        }
        starts = (
            Assignment.objects.employees()
            .filter(worker__start_origin__isnull=False, start=F("worker__service_start"))
            .filter(start__gte=self.dates.history_start, start__lte=self.today)
            .select_related("worker", "post__role")
            .order_by("start", "pk")
        )
        for assignment in starts:
            worker, code = assignment.worker, assignment.post.role.code
            transfer = awaiting.get(worker.pk)
            accepted = transfer.start if transfer and transfer.end == assignment.start - ONE_DAY else None
            stages = self.chain_back(assignment.start, accepted=accepted)
            if stages is None:
                continue
            newly_qualified = worker.start_origin == StartOrigin.NEWLY_QUALIFIED
            if not self.room_for(code, stages, newly_qualified=newly_qualified):
                continue  # came in another way: the paper's counts leave no room for it
            application = self.save(
                role_code=code,
                stages=stages,
                newly_qualified=newly_qualified,
                first_name=worker.first_name,
                last_name=worker.last_name,
                email=f"{worker.first_name}.{worker.last_name}.{worker.staff_reference}".lower().replace(
                    "'", ""
                )
                + "@example.org",
                worker=worker if transfer else None,
                start_origin=worker.start_origin,
                team_id=assignment.post.team_id,
            )
            services.record_existing_start(application=application, assignment=assignment)
            self.used_workers.add(worker.pk)
        # Agency workers still awaiting their transfer: an accepted offer, the start to come.
        employed = set(Assignment.objects.employees().values_list("worker_id", flat=True))
        for worker_id, cover in awaiting.items():
            if worker_id in employed or worker_id in self.used_workers:
                continue
            stages = self.chain_back(cover.start + self.days(21, 40), accepted=cover.start)
            if stages is None:
                continue
            stages.planned_start = cover.end + ONE_DAY if cover.end else None
            code = cover.post.role.code
            if not self.room_for(code, stages):
                continue
            worker = cover.worker
            self.save(
                role_code=code,
                stages=stages,
                first_name=worker.first_name,
                last_name=worker.last_name,
                worker=worker,
                start_origin=StartOrigin.AGENCY,
                team_id=cover.post.team_id,
            )
            self.used_workers.add(worker_id)

    # --- made-up applications around them -------------------------------------------------
    def internal_candidate(self, role_code: str, by: dt.date) -> Any:
        """Return an employee in a feeder role since a year before ``by``, still in post today."""
        if role_code not in self.feeders:
            self.feeders[role_code] = list(
                Assignment.objects.employees()
                .filter(post__role__code__in=FEEDER_ROLES.get(role_code, ()), end__isnull=True)
                .select_related("worker")
                .order_by("pk")
            )
        since = by - dt.timedelta(days=365)
        candidates = [
            a for a in self.feeders[role_code] if a.start <= since and a.worker_id not in self.used_workers
        ]
        return self.rng.choice(candidates).worker if candidates else None

    def offer_outcome(self, stages: Stages, *, movable: bool, role_code: str) -> tuple[Stages, Post | None]:
        """Decide how an offer ended: accepted (moving into a vacant post or starting after
        today), declined or withdrawn. Return the stages and the post an internal move fills."""
        offered = stages.offered
        answer = offered + self.days(2, 10)
        if answer > self.today:
            return stages, None  # awaiting the answer
        if movable and role_code in self.vacant and self.rng.random() < 0.8:
            for index, (since, post) in enumerate(self.vacant[role_code]):
                start = max(since + self.days(7, 21), answer + self.days(14, 35))
                if start <= self.today:
                    self.vacant[role_code].pop(index)
                    stages.accepted = answer
                    stages.planned_start = start
                    return stages, post
        if offered >= self.today - dt.timedelta(days=75) and self.rng.random() < 0.7:
            stages.accepted = answer
            stages.planned_start = self.today + self.days(10, 60)
            return stages, None
        roll = self.rng.random()
        if roll < 0.55:
            stages.declined = answer
        elif roll < 0.8:
            stages.withdrawn = answer
        else:
            stages.accepted = answer
            stages.withdrawn = answer + self.days(5, 30)
            stages.withdrawn = min(stages.withdrawn, self.today)
        return stages, None

    def fill(
        self,
        role_code: str,
        start: dt.date,
        end: dt.date,
        *,
        received: int,
        interviewed: int,
        offered: int,
        internal: tuple[int, int, int] = (0, 0, 0),
    ) -> None:
        """Add made-up applications received from ``start`` to ``end`` reaching each stage by
        ``end``: exactly ``received``, ``interviewed`` and ``offered``, of whom ``internal``."""
        plan: list[tuple[str, bool]] = []
        int_rec, int_int, int_off = internal
        for reach, total, inside in (
            ("offered", offered, int_off),
            ("interviewed", interviewed - offered, int_int - int_off),
            ("received", received - interviewed, int_rec - int_int),
        ):
            if total < 0 or inside < 0 or inside > total:
                raise ValueError(f"The demo cannot plan {role_code}: {received}/{interviewed}/{offered}.")
            plan += [(reach, index < inside) for index in range(total)]
        for reach, is_internal in plan:
            if reach == "received" and self.rng.random() < 0.45:
                reach = "shortlisted"
            stages = self.chain_forward(self.received_between(start, end, reach), reach)
            worker = self.internal_candidate(role_code, stages.received) if is_internal else None
            post = None
            if stages.offered:
                stages, post = self.offer_outcome(stages, movable=worker is not None, role_code=role_code)
            fields: dict[str, Any] = {}
            if worker is not None:
                fields = {"first_name": worker.first_name, "last_name": worker.last_name, "worker": worker}
            application = self.save(role_code=role_code, stages=stages, internal=is_internal, **fields)
            if post is not None:
                self.used_workers.add(worker.pk)
                services.start_candidate(
                    application=application,
                    post=post,
                    start_date=stages.planned_start,
                    fte=post.fte,
                )

    def newly_qualified_cohort(self) -> None:
        """Add the cohort: 46 accepted offers, all answered in the window, starting in September."""
        campaign = self.cohort
        last = self.dates.window_end - dt.timedelta(days=50)
        counts = COHORT_FUNNEL
        reaches = (
            ["offered"] * counts["offered"]
            + ["interviewed"] * (counts["interviewed"] - counts["offered"])
            + ["received"] * (counts["received"] - counts["interviewed"])
        )
        answers = ["accepted"] * COHORT_ACCEPTED + ["declined"] * 4
        answers += ["withdrawn"] * (counts["offered"] - len(answers))
        for index, reach in enumerate(reaches):
            if reach == "received" and self.rng.random() < 0.5:
                reach = "shortlisted"
            stages = self.chain_forward(self.day_between(campaign.opens_on, last), reach)
            if stages.offered:
                answer = stages.offered + self.days(2, 10)
                kind = answers[index]
                setattr(stages, kind, answer)
                if kind == "accepted":
                    stages.planned_start = self.cohort_starts
            self.save(role_code="social-worker", stages=stages, campaign=campaign, newly_qualified=True)

    def build(self) -> None:
        self.build_campaigns()
        self.vacant = vacant_until_today(self.today)
        self.link_existing_starts()
        window_start, window_end = self.window
        # The paper's window, exactly: made-up applications around the linked ones.
        for code, ((received, interviewed, offered), internal) in PAPER.items():
            have = self.linked[code]
            internal = tuple(
                min(i, t - h)
                for i, t, h in zip(internal, (received, interviewed, offered), have, strict=True)
            )
            self.fill(
                code,
                window_start,
                window_end,
                received=received - have[0],
                interviewed=interviewed - have[1],
                offered=offered - have[2],
                internal=internal,
            )
        self.newly_qualified_cohort()
        # The years before, near the paper's figures, and the weeks since the window.
        for back in (1, 2):
            start, end = (
                add_months(window_start, -12 * back),
                add_months(window_start, -12 * back + 12) - ONE_DAY,
            )
            start = max(start, self.dates.history_start)
            for code, ((received, interviewed, offered), (i_rec, i_int, i_off)) in PAPER.items():
                scale = self.rng.uniform(0.8, 1.1)
                self.fill(
                    code,
                    start,
                    end,
                    received=round(received * scale),
                    interviewed=round(interviewed * scale),
                    offered=round(offered * scale),
                    internal=(round(i_rec * scale), round(i_int * scale), round(i_off * scale)),
                )
        since = window_end + ONE_DAY
        if (self.today - since).days >= 14:
            share = (self.today - since).days / 365
            for code, ((received, _, _), (i_rec, _, _)) in PAPER.items():
                count = max(1, round(received * share))
                self.fill(
                    code,
                    since,
                    self.today,
                    received=count,
                    interviewed=0,
                    offered=0,
                    internal=(round(i_rec * share), 0, 0),
                )


def build_recruitment(today: dt.date, seed: int = SEED) -> bool:
    """Write the demonstration campaigns and applications; return False if they were already there."""
    if Campaign.objects.exists():
        return False
    RecruitmentDemo(today, seed).build()
    return True
