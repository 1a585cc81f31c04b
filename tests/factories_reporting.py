"""Builders for the committee report's tests: its own records, and hand-built leavers and
recruitment figures to stand in for those selectors where a test needs exact values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from leavers.selectors import LeaversAnalysis, Share
from recruitment.selectors import Funnel, FunnelRow
from reporting import services
from reporting.models import ActionStatus, AgencyBudget, CommitteeReport, StrategyAction
from workforce.scopes import Scope

D = Decimal


def funnel_row(role_id: int | None = None, role_name: str = "Total", **counts: int) -> FunnelRow:
    fields: dict[str, Any] = {
        "received": 0,
        "shortlisted": 0,
        "interviewed": 0,
        "offered": 0,
        "accepted": 0,
        "started": 0,
        "internal_received": 0,
        "internal_interviewed": 0,
        "internal_offered": 0,
        "median_days_to_offer": None,
        "median_days_to_start": None,
    }
    fields.update(counts)
    return FunnelRow(role_id=role_id, role_name=role_name, **fields)


def funnel(
    *,
    start: dt.date,
    end: dt.date,
    rows: list[FunnelRow] = (),
    newly_qualified: FunnelRow | None = None,
    campaign_cost: str = "0",
    starts: int = 0,
) -> Funnel:
    """Return a funnel whose total adds up its rows."""
    rows = list(rows)
    keys = ("received", "shortlisted", "interviewed", "offered", "accepted", "started")
    keys += ("internal_received", "internal_interviewed", "internal_offered")
    total = funnel_row(None, "Total", **{key: sum(getattr(row, key) for row in rows) for key in keys})
    cost = D(campaign_cost)
    return Funnel(
        start=start,
        end=end,
        scope=Scope.everything(),
        rows=rows,
        total=total,
        newly_qualified=newly_qualified or funnel_row(None, "Newly qualified"),
        campaign_cost=cost,
        starts=starts,
        cost_per_start=(cost / starts).quantize(D("0.01")) if starts else None,
    )


def share(key: str, label: str, count: int, total: int) -> Share:
    from foundation.measures import percentage

    return Share(key=key, label=label, count=count, percent=percentage(count, total))


def leavers_analysis(
    *,
    start: dt.date,
    end: dt.date,
    total: int = 0,
    total_fte: str = "0",
    categories: list[tuple[str, str, int]] = (),
    reasons: list[tuple[str, str, int]] = (),
    destinations: list[tuple[str, str, int]] = (),
    bands: dict[str, int] | None = None,
    without_conversation: int = 0,
    quotes: list[str] = (),
) -> LeaversAnalysis:
    """Return a leavers analysis from counts, with the percentages worked as the selector does."""
    bands = {"<1": 0, "1-3": 0, "3-5": 0, "5-10": 0, "10+": 0, **(bands or {})}
    labels = {"<1": "Under 1 year", "1-3": "1 to under 3 years", "3-5": "3 to under 5 years"}
    labels |= {"5-10": "5 to under 10 years", "10+": "10 years or more"}
    return LeaversAnalysis(
        start=start,
        end=end,
        scope=Scope.everything(),
        total=total,
        total_fte=D(total_fte),
        by_category=[share(key, label, count, total) for key, label, count in categories],
        by_census_reason=[],
        by_destination=[share(key, label, count, total) for key, label, count in destinations],
        citing_reason=[share(key, label, count, total) for key, label, count in reasons],
        service_bands=[share(key, labels[key], count, total) for key, count in bands.items()],
        under_1_year=bands["<1"],
        under_3_years=bands["<1"] + bands["1-3"],
        with_conversation=total - without_conversation,
        without_conversation=without_conversation,
        quotes=list(quotes),
    )


class Stubs:
    """Stand-ins for the leavers and recruitment selectors, set per test."""

    def __init__(self) -> None:
        self.leavers_fte_by_end: dict[dt.date, Decimal] = {}
        self.analysis: LeaversAnalysis | None = None
        self.funnel: Funnel | None = None
        self.calls: list[str] = []

    def leavers_fte(self, *, start: dt.date, end: dt.date, scope: Scope | None = None) -> Decimal:
        self.calls.append(f"leavers_fte {start} {end}")
        return self.leavers_fte_by_end.get(end, D("0"))

    def leavers_fte_over(
        self, windows: dict[Any, tuple[dt.date, dt.date]], scope: Scope | None = None
    ) -> dict[Any, Decimal]:
        return {
            key: self.leavers_fte(start=start, end=end, scope=scope) for key, (start, end) in windows.items()
        }

    def leavers_analysis(
        self, *, start: dt.date, end: dt.date, scope: Scope | None = None
    ) -> LeaversAnalysis:
        self.calls.append(f"leavers_analysis {start} {end}")
        return self.analysis or leavers_analysis(start=start, end=end)

    def recruitment_funnel(self, *, start: dt.date, end: dt.date, scope: Scope | None = None) -> Funnel:
        self.calls.append(f"recruitment_funnel {start} {end}")
        return self.funnel or funnel(start=start, end=end)


def install_stubs(monkeypatch: Any) -> Stubs:
    """Replace the leavers and recruitment selectors with ``Stubs`` for one test."""
    stubs = Stubs()
    monkeypatch.setattr("leavers.selectors.leavers_fte", stubs.leavers_fte)
    monkeypatch.setattr("leavers.selectors.leavers_fte_over", stubs.leavers_fte_over)
    monkeypatch.setattr("leavers.selectors.leavers_analysis", stubs.leavers_analysis)
    monkeypatch.setattr("recruitment.selectors.recruitment_funnel", stubs.recruitment_funnel)
    return stubs


def strategy_actions(complete: int = 0, partial: int = 0, not_started: int = 0, *, due: dt.date) -> None:
    for status, count in (
        (ActionStatus.COMPLETE, complete),
        (ActionStatus.PARTIAL, partial),
        (ActionStatus.NOT_STARTED, not_started),
    ):
        for number in range(count):
            services.save_strategy_action(
                action=StrategyAction(
                    title=f"{status.label} action {number + 1}",
                    owner="Head of Service",
                    due_date=due,
                    status=status,
                )
            )


def agency_budget(*, start: dt.date, end: dt.date, amount: str) -> AgencyBudget:
    return services.save_agency_budget(
        budget=AgencyBudget(period_start=start, period_end=end, amount=D(amount))
    )


def report(**fields: Any) -> CommitteeReport:
    defaults: dict[str, Any] = {
        "committee": "Children and Families Overview and Scrutiny Committee",
        "meeting_date": dt.date(2019, 9, 2),
        "as_at": dt.date(2019, 6, 30),
        "scope": "all",
        "purpose": "The purpose of this report is to provide an update on recruitment and retention.",
        "officer_to_contact": "Assistant Director, Children's Social Care",
    }
    defaults.update(fields)
    return services.save_report(report=CommitteeReport(**defaults))
