"""Fill an empty database with a synthetic workforce of a given size, fast.

``generate`` plans the structure (areas, teams, posts, campaigns), then simulates each
post's people over the years and writes every row with ``bulk_create`` in one
transaction: all or nothing. The services are not used (they validate one row at a
time, far too slowly for a national pool); the data is consistent by construction, and
``tests/test_scale.py`` checks that the product's own rules and selectors agree.

No history rows (django-simple-history) are written: generated records start with an
empty history.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from foundation.periods import financial_year
from leavers.models import Destination, ExitConversation, ExitReason, Leaver, LeavingCategory
from recruitment.models import Application, Campaign, Channel, Interview
from scale.agency import add_agency
from scale.caseloads import write_caseloads
from scale.recruitment import Recruitment
from scale.simulation import Keys, Simulation
from scale.structure import ScaleDates, Structure, plan_structure
from scale.writer import BulkWriter, analyse_after_bulk_load
from workforce import timeline
from workforce.models import Absence, Assignment, Post, Role, ServiceArea, Team, Worker

DEFAULT_SEED = 20260922
STRATEGY_THEMES = (
    ("Refresh the recruitment microsite and targeted online advertising", "Head of Service"),
    ("Agree a market premium for hard-to-fill teams", "HR Business Partner"),
    ("Run a newly qualified social worker academy with protected caseloads", "Principal Social Worker"),
    ("Offer agency workers a route onto permanent contracts", "Workforce Development Manager"),
    ("Introduce flexible and hybrid working patterns", "HR Business Partner"),
    ("Hold stay conversations with staff at risk of leaving", "Service Managers"),
)


class NotEmpty(Exception):
    """The database already holds a workforce; the generator only fills an empty one."""


def existing_records() -> dict[str, int]:
    """Return how many records of each kind the generator would add are already there."""
    counts = {
        "teams": Team.objects.count(),
        "posts": Post.objects.count(),
        "workers": Worker.objects.count(),
        "campaigns": Campaign.objects.count(),
        "leavers": Leaver.objects.count(),
    }
    return {name: count for name, count in counts.items() if count}


def load_keys() -> Keys:
    """Return the keys of the seeded code tables (the migrations seed them)."""
    keys = Keys(
        roles=dict(Role.objects.values_list("code", "pk")),
        categories=dict(LeavingCategory.objects.values_list("code", "pk")),
        destinations=dict(Destination.objects.values_list("code", "pk")),
        reasons=dict(ExitReason.objects.values_list("code", "pk")),
        channels=dict(Channel.objects.values_list("code", "pk")),
    )
    from scale import simulation, structure

    wanted = {
        "roles": {structure.SOCIAL_WORKER, *structure.SENIOR_ROLES},
        "categories": {code for code, _ in simulation.LEAVING_CATEGORIES} | {"end-of-fixed-term"},
        "destinations": {code for code, _ in simulation.DESTINATIONS} | {"retirement"},
        "reasons": {code for code, _ in simulation.EXIT_REASONS},
        "channels": set(
            structure.SW_CHANNELS
            + structure.SENIOR_CHANNELS
            + structure.NQ_CHANNELS
            + structure.PARTNER_CHANNELS
        ),
    }
    missing = [
        f"{table}: {', '.join(sorted(codes - set(getattr(keys, table))))}"
        for table, codes in wanted.items()
        if codes - set(getattr(keys, table))
    ]
    if missing:
        raise LookupError(
            "The seeded codes are missing (run `manage.py migrate` on a fresh database): "
            + "; ".join(missing)
        )
    return keys


@dataclass(frozen=True)
class Generated:
    """What a generation wrote."""

    rows: dict[str, int]
    seconds: float
    teams: int
    areas: int
    posts: int

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _reporting_models() -> tuple[type, type] | None:
    """Return the strategy action and agency budget models, if the reporting app has them."""
    try:
        from reporting.models import AgencyBudget, StrategyAction
    except ImportError:
        return None
    return StrategyAction, AgencyBudget


def generate(
    *,
    posts: int,
    years: int,
    seed: int = DEFAULT_SEED,
    today: dt.date,
    out: Callable[[str], None] = lambda line: None,
    flush_every: int = 20_000,
) -> Generated:
    """Write a consistent workforce of ``posts`` posts with ``years`` of history to ``today``.

    Raises ``NotEmpty`` if the database already holds teams, posts, workers, campaigns or
    leavers. Deterministic: the same arguments write the same rows.
    """
    if posts < 1 or years < 1:
        raise ValueError("--posts and --years must be at least 1.")
    found = existing_records()
    if found:
        shown = ", ".join(f"{count:,} {name}" for name, count in found.items())
        raise NotEmpty(
            f"The database already holds {shown}. generate_scale fills an empty database only: "
            "point DATABASE_URL at a new one and run `manage.py migrate` first."
        )
    keys = load_keys()
    began = time.perf_counter()
    rng = random.Random(seed)
    dates = ScaleDates(today=today, years=years)
    structure = plan_structure(posts=posts, dates=dates, rng=rng)
    temporary = sum(1 for post in structure.posts if post.funding == "temporary")
    out(
        f"Planned {len(structure.areas):,} service areas, {len(structure.teams):,} teams and "
        f"{len(structure.posts):,} posts ({temporary:,} temporary); history from "
        f"{dates.history_start.isoformat()} to {today.isoformat()}."
    )
    reporting = _reporting_models()
    order = [
        ServiceArea,
        Team,
        Post,
        Worker,
        Assignment,
        Absence,
        Leaver,
        ExitConversation,
        ExitConversation.reasons.through,
        Campaign,
        Campaign.roles.through,
        Campaign.channels.through,
        Application,
        Interview,
        *(reporting or ()),
    ]
    with transaction.atomic():
        writer = BulkWriter(order=order, flush_every=flush_every)
        _write_structure(writer, structure, keys)
        out(f"Wrote the structure and {len(structure.all_campaigns()):,} campaigns.")
        recruitment = Recruitment(
            structure=structure, dates=dates, rng=rng, writer=writer, roles=keys.roles, channels=keys.channels
        )
        simulation = Simulation(dates=dates, rng=rng, writer=writer, keys=keys, recruitment=recruitment)
        step = max(1, len(structure.posts) // 10)
        for number, post in enumerate(structure.posts, start=1):
            simulation.post(post)
            if number % step == 0 or number == len(structure.posts):
                queued = sum(len(rows) for rows in writer.buffers.values())
                out(
                    f"  {number:>8,} of {len(structure.posts):,} posts simulated: "
                    f"{sum(writer.written.values()) + queued:>10,} rows, {time.perf_counter() - began:6.1f} s"
                )
        if reporting is not None:
            _write_strategy_and_budgets(writer, rng, dates, simulation.agency_spend, *reporting)
        written = writer.finish()
        written["workforce.Caseload"] = write_caseloads(start=dates.history_start, today=today, seed=seed)
        written.update(add_agency(today=dates.today, rng=random.Random(seed + 18), out=out))
    # Written in bulk, behind the signals: the establishment's changes by day are worked out
    # once at the end.
    rebuilding = time.perf_counter()
    timeline.rebuild()
    out(f"Kept the establishment's changes by day in {time.perf_counter() - rebuilding:.1f} s.")
    analyse_after_bulk_load()
    seconds = time.perf_counter() - began
    return Generated(
        rows=dict(sorted(written.items())),
        seconds=seconds,
        teams=len(structure.teams),
        areas=len(structure.areas),
        posts=len(structure.posts),
    )


def _write_structure(writer: BulkWriter, structure: Structure, keys: Keys) -> None:
    for area in structure.areas:
        area.pk = writer.add(ServiceArea, name=area.name)
    for team in structure.teams:
        team.pk = writer.add(
            Team, name=team.name, service_area_id=team.area.pk, case_holding=team.case_holding
        )
    for post in structure.posts:
        post.pk = writer.add(
            Post,
            reference=post.reference,
            team_id=post.team.pk,
            role_id=keys.roles[post.role],
            fte=post.fte,
            active_from=post.active_from,
            active_to=post.active_to,
            funding=post.funding,
        )
    for campaign in structure.all_campaigns():
        campaign.pk = writer.add(
            Campaign,
            title=campaign.title,
            opens_on=campaign.opens_on,
            closes_on=campaign.closes_on,
            partner_name=campaign.partner_name,
            cost=campaign.cost,
            target_hires=campaign.target_hires,
            newly_qualified_cohort=False,
        )
        for role in campaign.roles:
            writer.add(Campaign.roles.through, campaign_id=campaign.pk, role_id=keys.roles[role])
        for channel in campaign.channels:
            writer.add(Campaign.channels.through, campaign_id=campaign.pk, channel_id=keys.channels[channel])


def _write_strategy_and_budgets(
    writer: BulkWriter,
    rng: random.Random,
    dates: ScaleDates,
    spend: dict[int, float],
    strategy_action: type,
    agency_budget: type,
) -> None:
    """Write the strategy's 24 actions (20 complete, 4 partly) and an agency budget per
    financial year near what was spent (the current year's projected to its end)."""
    for number in range(24):
        title, owner = STRATEGY_THEMES[number % len(STRATEGY_THEMES)]
        writer.add(
            strategy_action,
            title=f"{title} (phase {number // len(STRATEGY_THEMES) + 1})",
            owner=owner,
            due_date=dates.today - dt.timedelta(days=rng.randint(-180, 700)),
            status="complete" if number < 20 else "partial",
        )
    first_year = financial_year(dates.history_start)[0].year
    for year in range(first_year, financial_year(dates.today)[0].year + 1):
        period_start, period_end = financial_year(dt.date(year, 4, 1))
        amount = spend.get(year, 0.0)
        if period_end > dates.today:
            elapsed = (dates.today - period_start).days + 1
            amount = amount * ((period_end - period_start).days + 1) / elapsed
        amount = round(amount * rng.uniform(0.9, 1.12), -3)
        writer.add(
            agency_budget,
            period_start=period_start,
            period_end=period_end,
            amount=Decimal(int(amount)),
            notes="Agency budget agreed at budget setting.",
        )
