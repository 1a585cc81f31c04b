"""The leavers stage of ``load_demo``: a leaver for every departure, and exit conversations.

The establishment stage has already ended the departing employees' assignments (an
employee with no assignment active on or after today left on their last one's end
date). This stage records each of them through ``leavers.services`` with categories
that reproduce the 2016 cabinet paper over the 26 months to the last month-end (144
leavers: 60 resignation to new employment, 32 resignation – other, 14 personal /
domestic, 14 normal retirement, the rest spread), and, for the last 14 months, the
exit conversations managers recorded, with the paper's counts of destinations and
reasons, the rest not yet recorded. Deterministic (fixed seed); does nothing when
leavers are already there.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Max, Q
from django.utils.text import slugify

from access.roles import MANAGER
from foundation.dates import long_date
from leavers import services
from leavers.models import Destination, ExitReason, Leaver, LeavingCategory
from leavers.rules import completed_years
from workforce.demo import demo_dates
from workforce.models import EMPLOYEE_CONTRACTS, Team, Worker

TITLE = "Leavers and exit conversations"
SEED = 20160531

RETIREMENTS = ("normal-retirement", "ill-health-retirement")
# The leaving categories of the 144 leavers in the 26-month window (the paper's four, then the rest).
WINDOW_CATEGORIES = {
    "resignation-new-employment": 60,
    "resignation-other": 32,
    "resignation-personal": 14,
    "normal-retirement": 14,
    "ill-health-retirement": 4,
    "moved-within-council": 12,
    "dismissal": 4,
    "redundancy": 3,
    "death-in-service": 1,
}
# Before and after the window: a plausible spread, retirements only after three years.
OTHER_CATEGORIES = [
    ("resignation-new-employment", 40),
    ("resignation-other", 22),
    ("resignation-personal", 10),
    ("moved-within-council", 8),
    ("dismissal", 3),
    ("redundancy", 2),
]


@dataclass(frozen=True)
class Conversation:
    """One kind of exit conversation a manager recorded, and how many leavers had it."""

    count: int
    category: str
    destination: str
    reasons: tuple[str, ...]
    notes: str
    quote: str = ""
    consent: bool = False


# The 14 months' conversations: 10 to agency roles (locally or in London), 4 to other
# authorities, 5 to the private or voluntary sector; 11 citing money, 3 workload, 7
# working practices, 4 other organisations, 3 caring: the paper's counts. The quotes
# are written for the demo county (none is taken from the paper); those without consent
# must never be shown.
CONVERSATIONS = [
    Conversation(
        4,
        "resignation-new-employment",
        "agency-local",
        ("better-pay",),
        "Agency rates locally are far higher.",
    ),
    Conversation(
        1,
        "resignation-new-employment",
        "agency-local",
        ("better-pay",),
        "Asked us not to share what the agency is paying.",
        "Said the agency pay offer was nearly double and did not want that repeated.",
        False,
    ),
    Conversation(
        3,
        "resignation-new-employment",
        "agency-london",
        ("better-pay",),
        "Locum work in London to fund a house move.",
    ),
    Conversation(
        1,
        "resignation-new-employment",
        "agency-local",
        ("progression",),
        "Did not want to complete the progression portfolio.",
        "The step up to senior practitioner meant a portfolio on top of a full caseload; agency work "
        "pays the same without it.",
        True,
    ),
    Conversation(
        1,
        "resignation-other",
        "agency-london",
        ("career-break",),
        "Leaving on good terms; would come back.",
        "I have loved the team, but a year of locum shifts will pay for the travelling I have put off "
        "since university.",
        True,
    ),
    Conversation(
        1,
        "resignation-new-employment",
        "another-la",
        ("other-organisations",),
        "Wants to see how another authority works.",
        "Eight years in one county is long enough to stop seeing how else the work can be done.",
        True,
    ),
    Conversation(
        1, "resignation-new-employment", "another-la", ("other-organisations",), "Moving to a neighbour."
    ),
    Conversation(
        1,
        "resignation-new-employment",
        "another-la",
        ("other-organisations", "working-practices"),
        "Found the move to children in care hard.",
        "Moving from the assessment team into children in care meant court work I never felt ready "
        "for.",
        True,
    ),
    Conversation(
        1,
        "resignation-new-employment",
        "another-la",
        ("other-organisations", "better-pay"),
        "Higher grade and pay elsewhere.",
    ),
    Conversation(
        1,
        "resignation-personal",
        "private-voluntary",
        ("caring", "workload"),
        "Hours were too much alongside the family.",
        "The evening visits and duty weekends were coming out of my own children's time.",
        True,
    ),
    Conversation(
        2, "resignation-new-employment", "private-voluntary", ("better-pay",), "Better package in a charity."
    ),
    Conversation(
        2,
        "resignation-other",
        "private-voluntary",
        ("working-practices",),
        "Unhappy with the new practice model.",
    ),
    Conversation(
        1,
        "resignation-new-employment",
        "independent-fostering",
        ("progression",),
        "Wanted a new opportunity.",
        "Supervising foster carers is a different kind of social work, and I wanted to try it while I "
        "still could.",
        True,
    ),
    Conversation(
        1,
        "resignation-new-employment",
        "independent-fostering",
        ("journey",),
        "Long commute.",
        "The drive across the county to the coastal office took most of my mornings; a job ten minutes "
        "away came up.",
        True,
    ),
    Conversation(
        1,
        "resignation-other",
        "leaving-social-work",
        ("workload", "working-practices"),
        "Needs time away from frontline pressures.",
        "I needed a break from the front line, and there was no part-time or non-case-holding post here "
        "I could move into.",
        True,
    ),
    Conversation(
        2,
        "resignation-other",
        "leaving-social-work",
        ("working-practices",),
        "Frustrated by the changes to recording.",
    ),
    Conversation(
        1,
        "resignation-other",
        "leaving-social-work",
        ("working-practices",),
        "Raised concerns about supervision in the team.",
        "Said her manager never had time for supervision and she felt unsupported.",
        False,
    ),
    Conversation(
        1,
        "resignation-personal",
        "leaving-social-work",
        ("caring",),
        "Four children at home.",
        "With four at home I could not keep up full-time hours, and a job share was not on offer in my "
        "team.",
        True,
    ),
    Conversation(
        1,
        "resignation-personal",
        "leaving-social-work",
        ("caring", "moving-area"),
        "Moving abroad to care for family.",
        "My partner's parents need us nearby now, so we are moving to be with them.",
        True,
    ),
    Conversation(1, "resignation-other", "not-known", ("workload",), "Caseload too high for too long."),
    Conversation(1, "normal-retirement", "retirement", ("moving-area",), "Retiring to the coast."),
    Conversation(1, "normal-retirement", "retirement", ("health",), "Retiring a little early."),
    Conversation(2, "resignation-personal", "not-known", ("moving-area",), "Partner's job is moving."),
    Conversation(1, "resignation-other", "leaving-social-work", ("health",), "Needs a less stressful role."),
    Conversation(
        1,
        "resignation-other",
        "leaving-social-work",
        ("health",),
        "Spoke about a health condition in confidence.",
        "Talked about her diagnosis and asked that it goes no further.",
        False,
    ),
    Conversation(2, "resignation-other", "not-known", ("career-break",), "Taking a year out."),
    Conversation(2, "resignation-new-employment", "not-known", ("moving-area",), "Relocating."),
]


@dataclass(eq=False)
class Departure:
    worker: Worker
    leaving_date: dt.date
    service_years: int
    category: str = ""


def departures(today: dt.date) -> list[Departure]:
    """Return every employee with no assignment active on or after ``today``, oldest first."""
    gone = (
        Worker.objects.filter(assignments__contract__in=EMPLOYEE_CONTRACTS)
        .annotate(
            last=Max("assignments__end"),
            open=Count(
                "assignments", filter=Q(assignments__end__isnull=True) | Q(assignments__end__gte=today)
            ),
        )
        .filter(open=0)
        .order_by("last", "staff_reference")
    )
    return [
        Departure(worker, worker.last, completed_years(worker.service_start or worker.last, worker.last))
        for worker in gone
    ]


def _take(people: list[Departure], count: int, *, need_years: int = 0) -> list[Departure]:
    chosen = [p for p in people if not p.category and p.service_years >= need_years][:count]
    if len(chosen) < count:
        raise RuntimeError("The demo leavers cannot be given the paper's categories.")
    return chosen


def plan_categories(
    window: list[Departure], recent: list[Departure], others: list[Departure], rng: random.Random
) -> None:
    """Give each departure its category: the paper's counts in the window, retirements after 3 years."""
    window = window[:]
    rng.shuffle(window)
    recent_shuffled = [p for p in window if p in recent]
    needed = Counter()
    for kind in CONVERSATIONS:
        needed[kind.category] += kind.count
    remaining = dict(WINDOW_CATEGORIES)
    for code in (*RETIREMENTS, *[c for c in WINDOW_CATEGORIES if c not in RETIREMENTS]):
        years = 3 if code in RETIREMENTS else 0
        for person in _take(recent_shuffled, needed[code], need_years=years):
            person.category = code
        remaining[code] -= needed[code]
        if code in RETIREMENTS:
            for person in _take(window, remaining[code], need_years=3):
                person.category = code
            remaining[code] = 0
    pool = [code for code, count in remaining.items() for _ in range(count)]
    rng.shuffle(pool)
    for person, code in zip([p for p in window if not p.category], pool, strict=True):
        person.category = code
    for person in others:
        if person.service_years >= 3 and rng.random() < 0.15:
            person.category = "normal-retirement"
        else:
            person.category = rng.choices([c for c, _ in OTHER_CATEGORIES], [w for _, w in OTHER_CATEGORIES])[
                0
            ]


def _team_manager(team: Team, cache: dict[int, Any]) -> Any:
    """Return the demo manager of ``team`` (no password: they exist to have recorded things)."""
    if team.pk not in cache:
        User = get_user_model()
        user, made = User.objects.get_or_create(
            username=f"manager-{slugify(team.name)}",
            defaults={"first_name": "Manager", "last_name": team.name},
        )
        if made:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=MANAGER))
        team.managers.add(user)
        cache[team.pk] = user
    return cache[team.pk]


def build(*, today: dt.date, stdout: Any = None) -> bool:
    """Record the demonstration leavers and exit conversations; return False if already there."""
    if Leaver.objects.exists():
        return False
    rng = random.Random(SEED)
    dates = demo_dates(today)
    everyone = departures(today)
    window = [p for p in everyone if dates.window_26_start <= p.leaving_date <= dates.window_end]
    recent = [p for p in window if p.leaving_date >= dates.window_14_start]
    others = [p for p in everyone if p not in window]
    plan_categories(window, recent, others, rng)

    categories = {c.code: c for c in LeavingCategory.objects.all()}
    leavers: dict[int, Leaver] = {}
    for person in everyone:
        leavers[person.worker.pk] = services.record_leaver(
            worker=person.worker, leaving_date=person.leaving_date, category=categories[person.category]
        )

    destinations = {d.code: d for d in Destination.objects.all()}
    reasons = {r.code: r for r in ExitReason.objects.all()}
    managers: dict[int, Any] = {}
    candidates = recent[:]
    rng.shuffle(candidates)
    taken: set[int] = set()
    for kind in CONVERSATIONS:
        chosen = [p for p in candidates if p.category == kind.category and p.worker.pk not in taken][
            : kind.count
        ]
        for person in chosen:
            taken.add(person.worker.pk)
            leaver = leavers[person.worker.pk]
            held_on = max(leaver.leaving_date - dt.timedelta(days=rng.randint(2, 25)), leaver.service_start)
            services.record_exit_conversation(
                leaver=leaver,
                held_on=min(held_on, today),
                destination=destinations[kind.destination],
                reasons=[reasons[code] for code in kind.reasons],
                notes=kind.notes,
                quote=kind.quote,
                quote_consent=kind.consent,
                user=_team_manager(leaver.team, managers),
            )
    if stdout is not None:
        stdout.write(
            f"  {len(everyone)} leavers, {len(window)} in the 26 months to {long_date(dates.window_end)}; "
            f"{len(taken)} exit conversations recorded of {len(recent)} in the last 14 months."
        )
    return True
