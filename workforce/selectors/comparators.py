"""Comparators at a date: the latest published figures for England, the region and statistical
neighbours whose census date (30 September of their year) is on or before it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from workforce.models import Comparator, ComparatorArea

ILLUSTRATIVE_MARK = "*"  # after a heading: figures made up for a demonstration, as its footnote says


@dataclass(frozen=True)
class ComparatorFigures:
    """One area's figures for one census year, with where they come from."""

    area: str  # a ComparatorArea value
    label: str  # "England", "South East", "Statistical neighbours"
    year: int
    source: str
    illustrative: bool
    figures: dict[str, Decimal] = field(default_factory=dict)  # field of COMPARATOR_FIGURES -> value

    @property
    def heading(self) -> str:
        """Return how a column of these figures is headed, short enough for a printed table:
        "England 2024", "South East 2024", "Neighbours 2024"; marked "*" when illustrative."""
        short = "Neighbours" if self.area == ComparatorArea.STATISTICAL_NEIGHBOURS else self.label
        return f"{short} {self.year}" + (ILLUSTRATIVE_MARK if self.illustrative else "")

    @property
    def citation(self) -> str:
        """Return the source as a footnote gives it."""
        note = f" {ILLUSTRATIVE_MARK} Illustrative figures, not published ones." if self.illustrative else ""
        name = self.heading.removesuffix(ILLUSTRATIVE_MARK)
        if not name.startswith(self.label):  # a shortened heading: say whose figures they are
            name += f" ({self.label})"
        return f"{name}: {self.source}.{note}"


def last_census_year(day: dt.date) -> int:
    """Return the latest census year whose census date (30 September) is on or before ``day``."""
    return day.year if (day.month, day.day) >= (9, 30) else day.year - 1


def comparators_on(day: dt.date) -> tuple[ComparatorFigures, ...]:
    """Return, for each area with figures, the latest figures of a census year ending on or
    before ``day``, in the order England, region, statistical neighbours: one query."""
    latest: dict[str, Comparator] = {}
    for comparator in Comparator.objects.filter(year__lte=last_census_year(day)).order_by("area", "-year"):
        latest.setdefault(comparator.area, comparator)
    return tuple(
        ComparatorFigures(
            area=comparator.area,
            label=comparator.label,
            year=comparator.year,
            source=comparator.source,
            illustrative=comparator.illustrative,
            figures=comparator.figures,
        )
        for area in ComparatorArea.values
        if (comparator := latest.get(area)) is not None
    )
