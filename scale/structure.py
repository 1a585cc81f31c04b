"""The shape of a generated workforce: service areas, teams of about twelve posts, and campaigns.

Planned in memory from the seed before anything is written; the people who hold the
posts are simulated post by post afterwards (``scale.simulation``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from foundation.periods import add_months, month_end
from workforce.models import Funding

ONE = Decimal("1.0")
HALF = Decimal("0.5")
TEAMS_PER_AREA = 6
AREA_KINDS = (
    "Front Door and Assessment",
    "Child Protection",
    "Children in Care",
    "Disabled Children",
    "Care Leavers",
)
# Role codes as seeded by ``workforce/migrations/0002_seed_roles.py``.
SOCIAL_WORKER = "social-worker"
SENIOR_ROLES = (
    "senior-practitioner",
    "advanced-practitioner",
    "team-manager",
    "service-manager",
    "head-of-service",
)
SW_CHANNELS = ("targeted-online", "social-media", "search", "website")
SENIOR_CHANNELS = ("targeted-online", "search", "internal", "website")
NQ_CHANNELS = ("university", "frontline", "apprenticeship")
PARTNER_CHANNELS = ("partner",)
PARTNER_ROLES = (SOCIAL_WORKER, "senior-practitioner", "team-manager")
CAMPAIGN_MONTHS = {"sw": 6, "senior": 6, "nq": 12}


@dataclass(frozen=True)
class ScaleDates:
    """The dates a generated history runs over: ``years`` back from the first of this month."""

    today: dt.date
    years: int

    @property
    def history_start(self) -> dt.date:
        return add_months(self.today.replace(day=1), -12 * self.years)

    @property
    def campaigns_from(self) -> dt.date:
        """Campaigns start a year before the history, so every starter in it has one."""
        return add_months(self.history_start, -12)


@dataclass(slots=True)
class PlannedArea:
    index: int
    name: str
    pk: int = 0


@dataclass(slots=True)
class PlannedTeam:
    index: int
    name: str
    area: PlannedArea
    case_holding: bool
    pk: int = 0


@dataclass(slots=True)
class PlannedPost:
    reference: str
    team: PlannedTeam
    role: str
    fte: Decimal
    funding: str
    active_from: dt.date
    active_to: dt.date | None = None
    pk: int = 0


@dataclass(slots=True)
class PlannedCampaign:
    title: str
    kind: str  # "sw", "senior", "nq" or "partner"
    roles: tuple[str, ...]
    channels: tuple[str, ...]
    opens_on: dt.date
    closes_on: dt.date | None
    cost: Decimal
    target_hires: int | None
    partner_name: str = ""
    pk: int = 0


@dataclass
class Structure:
    areas: list[PlannedArea] = field(default_factory=list)
    teams: list[PlannedTeam] = field(default_factory=list)
    posts: list[PlannedPost] = field(default_factory=list)
    # (area index, kind) -> campaigns of consecutive windows from ``ScaleDates.campaigns_from``
    campaigns: dict[tuple[int, str], list[PlannedCampaign]] = field(default_factory=dict)
    partners: dict[int, PlannedCampaign] = field(default_factory=dict)  # area index -> rolling campaign

    def all_campaigns(self) -> list[PlannedCampaign]:
        found = [c for key in sorted(self.campaigns) for c in self.campaigns[key]]
        return found + [self.partners[index] for index in sorted(self.partners)]


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _team_roles(team_index: int) -> list[tuple[str, Decimal]]:
    """Return a team's posts: a manager, senior and advanced practitioners, eight social workers."""
    roles = [("team-manager", ONE), ("senior-practitioner", ONE), ("senior-practitioner", ONE)]
    if team_index % 2 == 0:
        roles.append(("advanced-practitioner", ONE))
    roles += [(SOCIAL_WORKER, ONE)] * 7
    roles.append((SOCIAL_WORKER, HALF if team_index % 2 else ONE))
    return roles


def plan_structure(*, posts: int, dates: ScaleDates, rng: random.Random) -> Structure:
    """Return areas, teams and exactly ``posts`` posts (about 6% temporary), and the campaigns."""
    structure = Structure()
    history_start, today = dates.history_start, dates.today
    long_ago = history_start - dt.timedelta(days=15 * 365)

    def add_post(team: PlannedTeam, role: str, fte: Decimal, funding: str) -> None:
        number = len(structure.posts) + 1
        if funding == Funding.TEMPORARY:
            active_from = _day_between(rng, history_start - dt.timedelta(days=365), today - dt.timedelta(60))
            active_to = None
            if rng.random() < 0.4:
                active_to = active_from + dt.timedelta(days=rng.randint(180, 900))
            reference = f"TMP-{number:06d}"
        else:
            roll = rng.random()
            active_to = None
            if roll < 0.05:  # approved during the history
                active_from = _day_between(rng, history_start, today - dt.timedelta(days=30))
            else:
                active_from = _day_between(rng, long_ago, history_start - dt.timedelta(days=1))
                if roll > 0.98:  # disestablished during the history
                    active_to = _day_between(
                        rng, history_start + dt.timedelta(days=90), today - dt.timedelta(days=1)
                    )
            reference = f"EST-{number:06d}"
        structure.posts.append(PlannedPost(reference, team, role, fte, funding, active_from, active_to))

    area_index = 0
    while len(structure.posts) < posts:
        kind = AREA_KINDS[area_index % len(AREA_KINDS)]
        area = PlannedArea(area_index, f"{kind} {area_index // len(AREA_KINDS) + 1}")
        structure.areas.append(area)
        area_teams = []
        for team_index in range(TEAMS_PER_AREA):
            team = PlannedTeam(
                len(structure.teams), f"{area.name} Team {team_index + 1}", area, team_index != 5
            )
            structure.teams.append(team)
            area_teams.append(team)
        plan = [(area_teams[0], "service-manager", ONE, Funding.ESTABLISHMENT)]
        if area_index % 4 == 0:
            plan.append((area_teams[0], "head-of-service", ONE, Funding.ESTABLISHMENT))
        for team_index, team in enumerate(area_teams):
            plan += [(team, role, fte, Funding.ESTABLISHMENT) for role, fte in _team_roles(team_index)]
            if rng.random() < 0.55:
                plan.append((team, SOCIAL_WORKER, ONE, Funding.TEMPORARY))
        for team, role, fte, funding in plan:
            if len(structure.posts) >= posts:
                break
            add_post(team, role, fte, funding)
        area_index += 1
    # Drop the teams the last area did not reach.
    used = {post.team.index for post in structure.posts}
    structure.teams = [team for team in structure.teams if team.index in used]
    for index, team in enumerate(structure.teams):
        team.index = index
    used_areas = {team.area.index for team in structure.teams}
    structure.areas = [area for area in structure.areas if area.index in used_areas]

    for area in structure.areas:
        _plan_campaigns(structure, area, dates, rng)
    return structure


def _plan_campaigns(structure: Structure, area: PlannedArea, dates: ScaleDates, rng: random.Random) -> None:
    kinds = {
        "sw": ("Experienced social workers", (SOCIAL_WORKER,), SW_CHANNELS, (3, 9)),
        "senior": ("Senior practitioners and managers", SENIOR_ROLES, SENIOR_CHANNELS, (2, 6)),
        "nq": ("Newly qualified social workers", (SOCIAL_WORKER,), NQ_CHANNELS, (1, 4)),
    }
    for kind, (title, roles, channels, cost) in kinds.items():
        months = CAMPAIGN_MONTHS[kind]
        opens = dates.campaigns_from
        windows = []
        while opens <= dates.today:
            last = add_months(opens, months - 1)
            closes = month_end(last.year, last.month)
            windows.append(
                PlannedCampaign(
                    title=f"{title}, {area.name}, {opens:%B %Y} to {closes:%B %Y}",
                    kind=kind,
                    roles=roles,
                    channels=channels,
                    opens_on=opens,
                    closes_on=closes,
                    cost=Decimal(rng.randint(*cost) * 1000),
                    target_hires=rng.randint(2, 8) if kind != "nq" else None,
                )
            )
            opens = add_months(opens, months)
        structure.campaigns[(area.index, kind)] = windows
    if rng.random() < 0.1:
        opens = _day_between(rng, dates.history_start, dates.today - dt.timedelta(days=200))
        structure.partners[area.index] = PlannedCampaign(
            title=f"Recruitment partner: experienced staff, {area.name}",
            kind="partner",
            roles=PARTNER_ROLES,
            channels=PARTNER_CHANNELS,
            opens_on=opens,
            closes_on=None,
            cost=Decimal(rng.randint(10, 30) * 1000),
            target_hires=rng.randint(3, 10),
            partner_name="Connect 2 Staff",
        )


def campaign_on(
    structure: Structure, dates: ScaleDates, area: int, kind: str, day: dt.date
) -> PlannedCampaign | None:
    """Return the area's campaign of ``kind`` open on ``day`` (None before the first)."""
    windows = structure.campaigns[(area, kind)]
    origin = dates.campaigns_from
    index = ((day.year - origin.year) * 12 + day.month - origin.month) // CAMPAIGN_MONTHS[kind]
    if index < 0:
        return None
    return windows[min(index, len(windows) - 1)]
