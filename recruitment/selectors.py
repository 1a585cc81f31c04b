"""Reads of recruitment: the funnel over any window and scope.

INTERFACE CONTRACT: the committee report (reporting/) calls ``recruitment_funnel`` and
reads exactly these dataclasses. Keep the names and fields; add fields if needed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from workforce.scopes import Scope


@dataclass(frozen=True)
class FunnelRow:
    """One role's funnel (or the total, with ``role_id`` None). Counts of applications
    received in the window that reached each stage. Newly qualified applicants are NOT in
    these counts: they are counted apart in ``Funnel.newly_qualified``."""

    role_id: int | None
    role_name: str
    received: int
    shortlisted: int
    interviewed: int
    offered: int
    accepted: int
    started: int
    internal_received: int
    internal_interviewed: int
    internal_offered: int
    median_days_to_offer: Decimal | None
    median_days_to_start: Decimal | None

    @property
    def internal_offer_share(self) -> Decimal | None:
        """Return the % of offers made to internal candidates (None if no offers)."""
        from reporting.measures import percentage

        return percentage(self.internal_offered, self.offered)


@dataclass(frozen=True)
class Funnel:
    start: dt.date
    end: dt.date
    scope: Scope
    rows: list[FunnelRow]  # one per role, in role order
    total: FunnelRow  # all roles, newly qualified excluded
    newly_qualified: FunnelRow  # newly qualified applicants, all roles
    campaign_cost: Decimal  # cost of campaigns running in the window
    starts: int  # all starts in the window, newly qualified included
    cost_per_start: Decimal | None


def recruitment_funnel(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> Funnel:
    """Return the recruitment funnel for applications received from ``start`` to ``end``."""
    raise NotImplementedError("recruitment issue")
