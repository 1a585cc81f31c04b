"""Reads of leavers: the leavers analysis over any window and scope.

INTERFACE CONTRACT: the committee report (reporting/) calls ``leavers_analysis`` and
``leavers_fte`` and reads exactly these dataclasses. Keep names and fields; add if needed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from workforce.scopes import Scope


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


def leavers_analysis(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> LeaversAnalysis:
    """Return the leavers analysis for employees who left from ``start`` to ``end``."""
    raise NotImplementedError("leavers issue")


def leavers_fte(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> Decimal:
    """Return L: the FTE at leaving of employees who left from ``start`` to ``end`` in ``scope``."""
    raise NotImplementedError("leavers issue")
