"""Why a rate moved: the change in the vacancy rate and the agency rate between two dates, split
into its causes so that the parts add up exactly. Pure functions over what
``planning.selectors.movement`` reads.

Between the two dates every post and assignment that changed belongs to one cause:

- posts added and removed: posts active on one date and not the other;
- leavers: employees in post (in the scope) on the first date and not the second;
- starters: employees in post on the second date and not the first;
- FTE changes: employees in post on both dates whose assignments changed (hours changed,
  moves between posts);
- agency workers engaged and released (they move the agency rate only).

The figures on the second date are those of the first with some causes' changes applied: V,
S and A are worked out post by post for any set of causes (V = max(0, post FTE - employee FTE)
for each establishment post, so causes can interact). Each cause's part is its Shapley value:
the change it makes to the rate when applied, averaged over every order of applying the five
causes (``foundation.attribution``). The parts are exact fractions and add up exactly to the
change; printed to 0.1 of a percentage point they are rounded so the printed parts add up to
the printed change. A sixth part, "other changes", is the difference (if any) between the
figures so built and the establishment's own figures on the second date; it is zero unless a
record changed in a way none of the causes covers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from foundation import attribution, measures
from foundation.periods import quarter_end_on_or_before

POSTS, LEAVERS, STARTERS, FTE_CHANGES, AGENCY = "posts", "leavers", "starters", "fte", "agency"
CAUSES = (POSTS, LEAVERS, STARTERS, FTE_CHANGES, AGENCY)
OTHER = "other"
LABELS = {
    POSTS: "Posts added and removed",
    LEAVERS: "Leavers",
    STARTERS: "Starters",
    FTE_CHANGES: "FTE changes (hours changed, moves between posts)",
    AGENCY: "Agency workers engaged and released",
    OTHER: "Other changes",
}
POINT = Decimal("0.1")
UNITS = 10_000  # FTE in ten-thousandths: whole numbers, exact


@dataclass(frozen=True)
class AssignmentChange:
    """An assignment active on one of the two dates and not the other."""

    cause: str
    worker_id: int
    employee: bool
    units: int  # FTE in ten-thousandths
    before: bool  # active on the first date
    after: bool  # active on the second date


@dataclass(frozen=True)
class PostChange:
    """A post with something changed between the dates: its own dates, or an assignment in it."""

    units: int  # the post's FTE in ten-thousandths
    establishment: bool
    before: bool  # active on the first date
    after: bool
    steady_employees: int = 0  # employee FTE active on both dates, in ten-thousandths
    steady_agency: int = 0
    changes: tuple[AssignmentChange, ...] = ()

    def figures(self, mask: int) -> tuple[int, int, int]:
        """Return (V, S, A) in ten-thousandths with the causes in ``mask`` applied."""
        active = self.after if mask & _BIT[POSTS] else self.before
        if not active:
            return 0, 0, 0
        employees, agency = self.steady_employees, self.steady_agency
        for change in self.changes:
            present = change.after if mask & _BIT[change.cause] else change.before
            if not present:
                continue
            if change.employee:
                employees += change.units
            else:
                agency += change.units
        vacancy = max(0, self.units - employees) if self.establishment else 0
        return vacancy, employees, agency


_BIT = {cause: 1 << i for i, cause in enumerate(CAUSES)}


@dataclass(frozen=True)
class Totals:
    """V, S and A in ten-thousandths of an FTE."""

    vacancy: int
    in_post: int
    agency: int


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    exact: Fraction  # of a percentage point, exact
    points: Decimal  # to 0.1, so the printed parts add up to the printed change


@dataclass(frozen=True)
class RateChange:
    name: str  # "vacancy rate"
    before: Decimal | None  # the rate as printed
    after: Decimal | None
    change: Decimal | None  # after - before, in percentage points (None if either is undefined)
    exact_change: Fraction | None
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Flows:
    """What happened between the dates, in FTE (and people)."""

    posts_added: Decimal  # establishment posts
    posts_removed: Decimal
    temporary_added: Decimal
    temporary_removed: Decimal
    leavers: Decimal
    leavers_count: int
    starters: Decimal
    starters_count: int
    fte_changes: Decimal  # net
    agency_engaged: Decimal
    agency_released: Decimal


@dataclass(frozen=True)
class WithoutPosts:
    """The rates without the establishment posts added since a date (the 2019 paper's "without
    this additionality")."""

    since: dt.date
    posts_fte: Decimal  # establishment FTE added after ``since`` and active on the second date
    vacancy_fte: Decimal  # of which vacant on the second date
    vacancy_rate_before: Decimal | None  # first date, without them (they may not yet exist)
    vacancy_rate: Decimal | None  # second date, without them
    agency_rate: Decimal | None
    change: Decimal | None  # the vacancy rate's change without them


@dataclass(frozen=True)
class Movement:
    start: dt.date
    end: dt.date
    scope_label: str
    vacancy: RateChange
    agency: RateChange
    flows: Flows
    without: WithoutPosts | None
    sentence: str


def _fte(units: int) -> Decimal:
    return Decimal(units).scaleb(-4)


def _alike(posts: list[PostChange]) -> dict[PostChange, int]:
    """Return each kind of change with how many posts changed so (their workers left out)."""
    counts: Counter = Counter(
        (
            post.units,
            post.establishment,
            post.before,
            post.after,
            post.steady_employees,
            post.steady_agency,
            tuple(sorted((c.cause, c.employee, c.units, c.before, c.after) for c in post.changes)),
        )
        for post in posts
    )
    return {
        PostChange(*head, changes=tuple(AssignmentChange(cause, 0, *rest) for cause, *rest in changes)): count
        for (*head, changes), count in counts.items()
    }


def _totals(base: Totals, posts: list[PostChange]) -> Callable[[int], Totals]:
    """Return the figures with a set of causes applied: the first date's, plus each changed
    post's difference from its own figures on the first date (posts that changed alike counted
    together: a few dozen kinds of change, however many posts)."""
    cache: dict[int, Totals] = {}
    alike = _alike(posts)
    starting = {shape: shape.figures(0) for shape in alike}

    def totals(mask: int) -> Totals:
        if mask not in cache:
            v, s, a = base.vacancy, base.in_post, base.agency
            for shape, count in alike.items():
                v0, s0, a0 = starting[shape]
                v1, s1, a1 = shape.figures(mask)
                v, s, a = v + (v1 - v0) * count, s + (s1 - s0) * count, a + (a1 - a0) * count
            cache[mask] = Totals(v, s, a)
        return cache[mask]

    return totals


def _rate_change(
    name: str,
    ratio: Callable[[Totals], Fraction | None],
    totals: Callable[[int], Totals],
    before: Totals,
    after: Totals,
) -> RateChange:
    first, last = ratio(before), ratio(after)
    shown_first, shown_last = measures.rate_of_ratio(first), measures.rate_of_ratio(last)
    if first is None or last is None:
        return RateChange(name, shown_first, shown_last, None, None, ())
    everything = (1 << len(CAUSES)) - 1
    values = {}

    def value(mask: int) -> Fraction:
        if mask not in values:
            rate = ratio(totals(mask))
            # A set of causes that leaves nothing to divide by (rare: everyone leaves) counts as 0%.
            values[mask] = (rate if rate is not None else Fraction(0)) * 100
        return values[mask]

    exact = attribution.shapley_parts(CAUSES, value)
    modelled = ratio(totals(everything))
    exact[OTHER] = (last - (modelled if modelled is not None else Fraction(0))) * 100
    change = shown_last - shown_first
    rounded = attribution.rounded_parts(exact, change, POINT)
    parts = tuple(
        Part(key, LABELS[key], exact[key], rounded[key])
        for key in (*CAUSES, OTHER)
        if key != OTHER or exact[OTHER] != 0 or rounded[OTHER] != 0
    )
    return RateChange(name, shown_first, shown_last, change, (last - first) * 100, parts)


def decompose(
    *,
    start: dt.date,
    end: dt.date,
    scope_label: str,
    before: Totals,
    after: Totals,
    posts: list[PostChange],
    without: WithoutPosts | None = None,
) -> Movement:
    """Return why the vacancy and agency rates moved from ``start`` to ``end``.

    ``before`` and ``after`` are the establishment's figures on the two dates; ``posts`` every
    post with something changed between them.
    """
    totals = _totals(before, posts)
    vacancy = _rate_change(
        "vacancy rate", lambda t: measures.vacancy_ratio(t.vacancy, t.in_post), totals, before, after
    )
    agency = _rate_change(
        "agency rate", lambda t: measures.agency_ratio(t.agency, t.in_post), totals, before, after
    )
    flows = _flows(posts)
    movement = Movement(start, end, scope_label, vacancy, agency, flows, without, "")
    return Movement(start, end, scope_label, vacancy, agency, flows, without, drafted_sentence(movement))


def _flows(posts: list[PostChange]) -> Flows:
    def posts_fte(establishment: bool, *, added: bool) -> Decimal:
        return _fte(
            sum(
                post.units
                for post in posts
                if post.establishment == establishment and (post.after, post.before) == (added, not added)
            )
        )

    changes = [change for post in posts for change in post.changes]

    def held(cause: str, *, after: bool) -> int:
        return sum(c.units for c in changes if c.cause == cause and (c.after if after else c.before))

    return Flows(
        posts_added=posts_fte(True, added=True),
        posts_removed=posts_fte(True, added=False),
        temporary_added=posts_fte(False, added=True),
        temporary_removed=posts_fte(False, added=False),
        leavers=_fte(held(LEAVERS, after=False)),
        leavers_count=len({c.worker_id for c in changes if c.cause == LEAVERS}),
        starters=_fte(held(STARTERS, after=True)),
        starters_count=len({c.worker_id for c in changes if c.cause == STARTERS}),
        fte_changes=_fte(held(FTE_CHANGES, after=True) - held(FTE_CHANGES, after=False)),
        agency_engaged=_fte(held(AGENCY, after=True)),
        agency_released=_fte(held(AGENCY, after=False)),
    )


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _points(value: Decimal) -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{abs(value):.1f}"


def _moved(change: RateChange) -> str:
    if change.change is None:
        before, after = measures.format_rate(change.before), measures.format_rate(change.after)
        return f"the {change.name} was {before} and is {after}"
    if change.change > 0:
        verb = "rose"
    elif change.change < 0:
        verb = "fell"
    else:
        return f"the {change.name} was unchanged at {measures.format_rate(change.after)}"
    return (
        f"the {change.name} {verb} from {measures.format_rate(change.before)} to "
        f"{measures.format_rate(change.after)} ({abs(change.change):.1f} percentage points)"
    )


IN_WORDS = {
    POSTS: "posts added and removed",
    LEAVERS: "leavers",
    STARTERS: "starters",
    FTE_CHANGES: "changes in hours and moves between posts",
    AGENCY: "agency workers engaged and released",
    OTHER: "other changes",
}


def _causes(change: RateChange) -> str:
    named = [part for part in change.parts if part.points != 0]
    if not named:
        return ""
    listed = [f"{IN_WORDS[part.key]} for {_points(part.points)}" for part in named]
    listed[0] = listed[0].replace(" for ", " account for ", 1)
    if len(listed) > 1:
        listed = [", ".join(listed[:-1]) + " and " + listed[-1]]
    text = listed[0]
    return f" {text[0].upper()}{text[1:]} percentage points of this."


def drafted_sentence(movement: Movement) -> str:
    """Return the paragraph a committee report can print about why the rates moved."""
    when = f"Between {long_date(movement.start)} and {long_date(movement.end)}"
    text = f"{when} {_moved(movement.vacancy)}.{_causes(movement.vacancy)}"
    text += f" Over the same period {_moved(movement.agency)}.{_causes(movement.agency)}"
    without = movement.without
    if without is not None and without.posts_fte > 0 and without.vacancy_rate is not None:
        text += (
            f" Without the {measures.format_fte(without.posts_fte)} FTE of posts added since "
            f"{long_date(without.since)}, the vacancy rate would be "
            f"{measures.format_rate(without.vacancy_rate)}"
        )
        if without.change is not None:
            direction = "rise" if without.change > 0 else ("fall" if without.change < 0 else "change")
            text += f", a {direction} of {abs(without.change):.1f} percentage points"
        text += "."
    return text


def default_dates(today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the two dates the page compares by default: the last two quarter-ends."""
    end = quarter_end_on_or_before(today)
    return quarter_end_on_or_before(end - dt.timedelta(days=1)), end
