"""Reads of leavers: the leavers analysis over any window and scope.

INTERFACE CONTRACT: the committee report (reporting/) calls ``leavers_analysis``,
``leavers_fte`` (or ``leavers_fte_over``, for several windows at once) and reads exactly
these dataclasses. Keep names and fields; add if needed.

Leavers count where their role at leaving is in scope of the social work measures (as
``establishment_on`` counts S), in the team they last worked in. The query counts do
not depend on how many leavers there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.db.models import Count, Q, QuerySet, Sum, Value

from foundation import measures
from foundation.periods import twelve_months_to
from leavers.models import (
    Destination,
    ExitConversation,
    ExitReason,
    Leaver,
    LeaverDestination,
    LeavingCategory,
    ReasonLeave,
)
from workforce.scopes import Scope
from workforce.selectors import fte

Key = TypeVar("Key")
ROW = Value(1)  # counted for each row: COUNT(1)

# Length of service at leaving, in completed years: (key, label, lowest, highest or None).
SERVICE_BANDS: list[tuple[str, str, int, int | None]] = [
    ("<1", "Less than 1 year", 0, 0),
    ("1-3", "1 to less than 3 years", 1, 2),
    ("3-5", "3 to less than 5 years", 3, 4),
    ("5-10", "5 to less than 10 years", 5, 9),
    ("10+", "10 years or more", 10, None),
]


@dataclass(frozen=True)
class Share:
    """A count and its % of the leavers in the window (None when there are none)."""

    key: str  # a stable code: category code, census code, destination code, band key
    label: str
    count: int
    percent: Decimal | None
    census_code: int | None = None


@dataclass(frozen=True)
class LeaversAnalysis:
    start: dt.date
    end: dt.date
    scope: Scope
    total: int
    total_fte: Decimal  # L: FTE at leaving of employees who left in the window
    by_category: list[Share]  # every category, retired ones included when used
    by_census_reason: list[Share]
    by_destination: list[Share]  # of leavers with a recorded exit conversation
    citing_reason: list[Share]  # % of all leavers in the window citing each reason
    service_bands: list[Share]  # keys "<1", "1-3", "3-5", "5-10", "10+" (DOMAIN.md bands)
    under_1_year: int
    under_3_years: int
    with_conversation: int
    without_conversation: int
    quotes: list[str]  # consented quotes only, no names
    # Added: destinations rolled up to the census LeaverDestination codes (of conversations).
    by_census_destination: list[Share] = field(default_factory=list)


def _leaver_filter(*, start: dt.date, end: dt.date, scope: Scope, path: str = "") -> Q:
    """Return a ``Q`` for the leavers from ``start`` to ``end`` (inclusive) whose last team
    and role are in ``scope``; ``path`` leads from the queried model to the leaver."""
    prefix = f"{path}__" if path else ""
    condition = Q(
        **{
            f"{prefix}leaving_date__gte": start,
            f"{prefix}leaving_date__lte": end,
            f"{prefix}role__in_scope": True,
        }
    )
    condition &= scope.team_filter(f"{prefix}team")
    if scope.role_id is not None:
        condition &= Q(**{f"{prefix}role_id": scope.role_id})
    return condition


def leavers_in(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> QuerySet[Leaver]:
    """Return the leavers from ``start`` to ``end`` (inclusive) whose last team and role are in ``scope``."""
    return Leaver.objects.filter(_leaver_filter(start=start, end=end, scope=scope or Scope.everything()))


def exit_conversations_due(*, scope: Scope, today: dt.date) -> QuerySet[Leaver]:
    """Return the leavers in ``scope`` in the 12 months to ``today`` whose exit conversation is
    not recorded yet, earliest first: the leavers page's and the dashboard's "due"."""
    start, end = twelve_months_to(today)
    return leavers_in(start=start, end=end, scope=scope).filter(exit_conversation__isnull=True).order_by(
        "leaving_date", "pk"
    )


def leavers_fte(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> Decimal:
    """Return L: the FTE at leaving of employees who left from ``start`` to ``end`` in ``scope``."""
    total = leavers_in(start=start, end=end, scope=scope).aggregate(total=Sum("fte_at_leaving"))["total"]
    return fte(total)


def leavers_fte_over(
    windows: Mapping[Key, tuple[dt.date, dt.date]], scope: Scope | None = None
) -> dict[Key, Decimal]:
    """Return L for each of ``windows`` (key: (first day, last day), inclusive): what
    ``leavers_fte`` gives for it, by the same key.

    One query whatever the number of windows: the leavers from the first window's start to
    the last one's end are read once, each window summing its own (``SUM ... FILTER``).
    """
    if not windows:
        return {}
    first = min(start for start, _ in windows.values())
    last = max(end for _, end in windows.values())
    sums = {
        f"window_{number}": Sum("fte_at_leaving", filter=Q(leaving_date__gte=start, leaving_date__lte=end))
        for number, (start, end) in enumerate(windows.values())
    }
    totals = leavers_in(start=first, end=last, scope=scope).aggregate(**sums)
    return {key: fte(totals[f"window_{number}"]) for number, key in enumerate(windows)}


def _band_filter(low: int, high: int | None) -> Q:
    condition = Q(service_years__gte=low)
    if high is not None:
        condition &= Q(service_years__lte=high)
    return condition


def _shares(rows: list[tuple[str, str, int, int | None]], denominator: int) -> list[Share]:
    return [
        Share(
            key=key,
            label=label,
            count=count,
            percent=measures.percentage(count, denominator),
            census_code=code,
        )
        for key, label, count, code in rows
    ]


def leavers_analysis(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> LeaversAnalysis:
    """Return the leavers analysis for employees who left from ``start`` to ``end``.

    Six queries, whatever the number of leavers: the three code tables, leavers by
    category and destination (with their FTE and service bands), leavers by reason cited,
    and the consented quotes.
    """
    scope = scope or Scope.everything()
    leavers = leavers_in(start=start, end=end, scope=scope)

    # 1-2. Leavers by category and the destination of their conversation (none without
    # one), each with its FTE and service bands: the leavers by category and the
    # conversations by destination both add up from these few rows.
    categories = list(LeavingCategory.objects.all())
    bands = {
        f"band_{i}": Count(ROW, filter=_band_filter(low, high))
        for i, (_, _, low, high) in enumerate(SERVICE_BANDS)
    }
    grouped: dict[int, dict[str, Decimal | int]] = {}
    per_destination: dict[int, int] = defaultdict(int)
    for row in (
        leavers.order_by()
        .values("category_id", "exit_conversation__destination_id")
        .annotate(count=Count(ROW), fte=Sum("fte_at_leaving"), **bands)
    ):
        totals = grouped.setdefault(
            row["category_id"], {"count": 0, "fte": Decimal("0")} | dict.fromkeys(bands, 0)
        )
        totals["count"] += row["count"]
        totals["fte"] += fte(row["fte"])
        for band in bands:
            totals[band] += row[band]
        if row["exit_conversation__destination_id"] is not None:
            per_destination[row["exit_conversation__destination_id"]] += row["count"]
    total = sum(row["count"] for row in grouped.values())
    total_fte = fte(sum((row["fte"] for row in grouped.values()), Decimal("0")))
    with_conversation = sum(per_destination.values())
    band_counts = [sum(row[f"band_{i}"] for row in grouped.values()) for i in range(len(SERVICE_BANDS))]

    by_category = _shares(
        [
            (c.code, c.name, grouped[c.pk]["count"] if c.pk in grouped else 0, c.census_reason)
            for c in categories
            if c.active or c.pk in grouped
        ],
        total,
    )
    census_counts: dict[int, int] = defaultdict(int)
    for category in categories:
        if category.active or category.pk in grouped:
            census_counts[category.census_reason] += (
                grouped[category.pk]["count"] if category.pk in grouped else 0
            )
    by_census_reason = _shares(
        [(str(code), ReasonLeave(code).label, census_counts[code], code) for code in sorted(census_counts)],
        total,
    )

    # 3. Conversations by destination (a share of the leavers with a conversation).
    destinations = list(Destination.objects.all())
    by_destination = _shares(
        [
            (d.code, d.name, per_destination.get(d.pk, 0), d.census_destination)
            for d in destinations
            if d.active or d.pk in per_destination
        ],
        with_conversation,
    )
    census_destinations: dict[int, int] = defaultdict(int)
    for destination in destinations:
        if destination.active or destination.pk in per_destination:
            census_destinations[destination.census_destination] += per_destination.get(destination.pk, 0)
    by_census_destination = _shares(
        [
            (str(code), LeaverDestination(code).label, census_destinations[code], code)
            for code in sorted(census_destinations)
        ],
        with_conversation,
    )

    # 4-5. Leavers citing each reason (several per leaver), as a share of all leavers. A
    # leaver has one conversation and a conversation cites a reason once, so counting the
    # reasons cited in their conversations counts the leavers citing them.
    reasons = list(ExitReason.objects.all())
    citing = {
        row["exitreason_id"]: row["count"]
        for row in ExitConversation.reasons.through.objects.filter(
            _leaver_filter(start=start, end=end, scope=scope, path="exitconversation__leaver")
        )
        .order_by()
        .values("exitreason_id")
        .annotate(count=Count(ROW))
    }
    citing_reason = _shares(
        [(r.code, r.name, citing.get(r.pk, 0), None) for r in reasons if r.active or r.pk in citing], total
    )

    # 6. Quotes the leavers consented to, without names, oldest first.
    quotes = [
        quote.strip()
        for quote in ExitConversation.objects.filter(
            _leaver_filter(start=start, end=end, scope=scope, path="leaver"), quote_consent=True
        )
        .exclude(quote="")
        .order_by("leaver__leaving_date", "pk")
        .values_list("quote", flat=True)
        if quote.strip()
    ]

    service_bands = _shares(
        [
            (key, label, count, None)
            for (key, label, _, _), count in zip(SERVICE_BANDS, band_counts, strict=True)
        ],
        total,
    )
    return LeaversAnalysis(
        start=start,
        end=end,
        scope=scope,
        total=total,
        total_fte=total_fte,
        by_category=by_category,
        by_census_reason=by_census_reason,
        by_destination=by_destination,
        citing_reason=citing_reason,
        service_bands=service_bands,
        under_1_year=band_counts[0],
        under_3_years=band_counts[0] + band_counts[1],
        with_conversation=with_conversation,
        without_conversation=total - with_conversation,
        quotes=quotes,
        by_census_destination=by_census_destination,
    )
