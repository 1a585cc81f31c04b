"""The plan behind the demonstration recruitment (``recruitment.demo``): the 2016 paper's
figures it reproduces, the stage dates of one application, and the reasons candidates give
for turning an offer down.

The reasons are drawn from their own random stream, so that giving them changes none of
the other demonstration figures.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Q

from recruitment.models import DeclineReason, InterviewOutcome
from workforce.models import AgencyReason, Assignment, Funding, Post

SEED = 20160531 + 4
ONE_DAY = dt.timedelta(days=1)
EXPERIENCED = (
    "senior-practitioner",
    "advanced-practitioner",
    "team-manager",
    "service-manager",
    "head-of-service",
)
# The paper's table: received, interviewed, offered (newly qualified apart), and how many
# of each were internal candidates (applications, interviews, offers).
PAPER = {
    "social-worker": ((114, 35, 26), (10, 6, 4)),
    "senior-practitioner": ((66, 47, 23), (38, 30, 15)),
    "team-manager": ((52, 27, 16), (28, 17, 11)),
}
# The most days from an application to the stage it reaches, in ``chain_forward``.
LEAD = {"received": 0, "shortlisted": 12, "interviewed": 26, "offered": 35}
COHORT_ACCEPTED = 46
COHORT_FUNNEL = {"received": 118, "interviewed": 64, "offered": 52}
FEEDER_ROLES = {
    "senior-practitioner": ("social-worker",),
    "team-manager": ("senior-practitioner", "advanced-practitioner"),
}
PAY_GRADES = {
    "social-worker": "KR10",
    "senior-practitioner": "KR11",
    "advanced-practitioner": "KR12",
    "team-manager": "KR13",
    "service-manager": "KR15",
    "head-of-service": "KR17",
}
PANELS = {
    "social-worker": "Team manager and HR adviser",
    "senior-practitioner": "Team manager, senior practitioner and HR adviser",
    "team-manager": "Service manager, practice lead and HR adviser",
}


@dataclass
class Stages:
    """The stage dates planned for one application."""

    received: dt.date
    shortlisted: dt.date | None = None
    interviews: list[tuple[dt.date, str]] = field(default_factory=list)
    offered: dt.date | None = None
    accepted: dt.date | None = None
    declined: dt.date | None = None
    withdrawn: dt.date | None = None
    planned_start: dt.date | None = None

    @property
    def interviewed(self) -> dt.date | None:
        held = [day for day, outcome in self.interviews if outcome != InterviewOutcome.DID_NOT_ATTEND]
        return min(held) if held else None


def first_monday_of_september_after(day: dt.date) -> dt.date:
    """Return the first Monday of the first September that begins after ``day``."""
    year = day.year if day < dt.date(day.year, 9, 1) else day.year + 1
    first = dt.date(year, 9, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def vacant_until_today(today: dt.date) -> dict[str, list[tuple[dt.date, Post]]]:
    """Return, per role, the establishment posts with no employee from some day until
    ``today`` (nor later) and no agency worker awaiting transfer into them: (since, post)."""
    last_end = {
        row["post_id"]: row["last"]
        for row in Assignment.objects.employees().order_by().values("post_id").annotate(last=Max("end"))
    }
    open_posts = set(
        Assignment.objects.employees()
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .values_list("post_id", flat=True)
    )
    reserved = set(
        Assignment.objects.agency()
        .filter(agency_reason=AgencyReason.AWAITING_TRANSFER)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .values_list("post_id", flat=True)
    )
    vacant: dict[str, list[tuple[dt.date, Post]]] = defaultdict(list)
    for post in Post.objects.filter(funding=Funding.ESTABLISHMENT).select_related("role").order_by("pk"):
        if post.pk in open_posts or post.pk in reserved:
            continue
        since = last_end[post.pk] + ONE_DAY if last_end.get(post.pk) else post.active_from
        vacant[post.role.code].append((since, post))
    for posts in vacant.values():
        posts.sort(key=lambda item: (item[0], item[1].pk))
    return vacant


# How often each coded reason is given (weights), by how the offer ended and whether the
# candidate already works for the council: external candidates turn offers down mostly
# for pay, another offer or the journey; internal ones rarely for the journey, more often
# for the role itself; a withdrawal is most often the candidate pulling out.
REASON_WEIGHTS = {
    ("declined", False): {
        "salary": 30,
        "accepted-another-offer": 28,
        "location-travel": 20,
        "the-role": 12,
        "other": 10,
    },
    ("declined", True): {"salary": 35, "the-role": 35, "location-travel": 5, "other": 25},
    ("withdrawn", False): {"withdrew": 45, "accepted-another-offer": 30, "salary": 10, "other": 15},
    ("withdrawn", True): {"withdrew": 60, "the-role": 20, "other": 20},
}


class ReasonPicker:
    """Choose a believable reason for each offer declined or withdrawn, from the seeded list."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.reasons = {reason.code: reason for reason in DeclineReason.objects.active()}

    def reason_for(self, stages: Stages, *, internal: bool) -> DeclineReason | None:
        """Return the reason for ``stages``' decline or withdrawal (None if the offer was neither)."""
        if stages.withdrawn:
            kind = "withdrawn"
        elif stages.declined:
            kind = "declined"
        else:
            return None
        weights = {
            code: weight
            for code, weight in REASON_WEIGHTS[(kind, internal)].items()
            if code in self.reasons  # a council may have retired one
        }
        if not weights:
            return next(iter(self.reasons.values()), None)
        code = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        return self.reasons[code]
