"""The home dashboard: the signed-in user's measures at the latest quarter-end, as plain data.

Every figure comes from the committee summary (``reporting.summary``), built once for
the last eight quarter-ends in the user's scope, so the dashboard, the committee report
and its exports can never disagree; rates are formatted by ``foundation.measures``.
This module only compares figures (up, down, met the target) and lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from access.scoping import access_for, scope_for
from foundation import measures
from foundation.periods import previous_quarter_ends, twelve_months_to
from leavers.models import Leaver
from leavers.selectors import exit_conversations_due
from pages.caseload_card import caseload_cards, comparator_lines
from pages.sparklines import Sparkline, sparkline
from pages.summaries import dashboard_summary
from reporting.figures import Cell, CommitteeSummary, Table, long_date
from workforce.scopes import Scope

QUARTERS = 8
DUE_LISTED = 5

# (row key in the measures table, title, whether a rise is better, worse or neither)
BETTER_LOWER = "lower"
BETTER_HIGHER = "higher"
NEUTRAL = ""
MEASURES: tuple[tuple[str, str, str], ...] = (
    ("vacancy", "Vacancy rate", BETTER_LOWER),
    ("agency", "Agency rate", BETTER_LOWER),
    ("turnover", "Turnover rate", BETTER_LOWER),
    ("permanent_fill", "Posts filled by permanent staff", BETTER_HIGHER),
    ("vacancy_cover", "Vacancies covered by agency workers", NEUTRAL),
)
FTE_WORDS = {
    "vacancy": "FTE vacant",
    "agency": "FTE agency workers",
    "turnover": "FTE left in the 12 months",
    "vacancy_cover": "FTE agency covering vacancies",
}


@dataclass(frozen=True)
class Trend:
    """How a measure moved since the previous quarter-end, in words and an arrow."""

    arrow: str  # "▲", "▼" or "●"; decoration, the words say the same
    text: str  # "Up from 10.2% at 30 June 2026"
    verdict: str  # "better", "worse" or "" when a move is neither


@dataclass(frozen=True)
class Target:
    text: str  # "Target 85%"
    met: bool
    verdict: str  # "Target met" / "Below target"


@dataclass(frozen=True)
class History:
    day: str
    text: str


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    value: str  # "12.2%"
    fte: str  # "35.3 FTE vacant", or ""
    trend: Trend | None
    target: Target | None
    sparkline: Sparkline
    history: tuple[History, ...]  # every quarter-end, oldest first, for the table under the chart
    comparators: tuple[str, ...] = ()  # "England 2024: 17.1%", the comparators beside the figure


@dataclass(frozen=True)
class BarRow:
    label: str
    figure: str  # what the bar stands for, as text
    detail: str  # a second figure, as text
    bar_width: int  # the bar's length in % of the longest bar (layout only)
    url: str = ""


@dataclass(frozen=True)
class DueLeaver:
    name: str
    team: str
    leaving_date: dt.date
    url: str


@dataclass(frozen=True)
class Dashboard:
    as_of: dt.date
    built_at: dt.datetime  # when the figures were worked out
    updating: bool  # the records changed since; fresh figures are being worked out
    previous: dt.date
    first: dt.date
    scope_label: str
    measures: tuple[Measure, ...]
    vacancies: tuple[BarRow, ...]
    vacancy_total: BarRow
    vacancy_scale: str  # what the longest bar stands for: "12.5 FTE"
    agency: tuple[BarRow, ...]
    agency_total: BarRow
    agency_scale: str
    due_count: int
    due: tuple[DueLeaver, ...]  # empty for users who may not see names
    due_start: dt.date
    due_end: dt.date
    due_url: str
    vacant_url: str
    agency_url: str


def _short(day: dt.date) -> str:
    return f"{day:%b %Y}"


def _compare(current: Cell, previous: Cell, previous_day: dt.date, better: str) -> Trend | None:
    """Return how ``current`` moved from ``previous`` (None when either is undefined)."""
    if current.value is None or previous.value is None:
        return None
    was = f"{measures.format_rate(previous.value)} at {long_date(previous_day)}"
    if current.value == previous.value:
        return Trend(arrow="●", text=f"No change from {was}", verdict="")
    rose = current.value > previous.value
    verdict = ""
    if better:
        verdict = "better" if rose == (better == BETTER_HIGHER) else "worse"
    return Trend(arrow="▲" if rose else "▼", text=f"{'Up' if rose else 'Down'} from {was}", verdict=verdict)


def _target(current: Cell, target: Cell | None) -> Target | None:
    if target is None or target.value is None or current.value is None:
        return None
    met = current.value >= target.value
    return Target(text=f"Target {target.text}", met=met, verdict="Target met" if met else "Below target")


def _measure(summary: CommitteeSummary, key: str, title: str, better: str) -> Measure:
    table = summary.table("measures")
    days = summary.dates
    cells = [table.cell(key, day.isoformat()) for day in days]
    current, previous = cells[-1], cells[-2]
    target = None
    if key == "permanent_fill":
        target = summary.table("permanent_fill").cell(summary.as_of.isoformat(), "target")
    history = tuple(History(long_date(day), cell.text) for day, cell in zip(days, cells, strict=True))
    description = f"{title} at the last {len(days)} quarter-ends: " + "; ".join(
        f"{item.day}, {item.text}" for item in history
    )
    if target is not None:
        description += f". Target {target.text}."
    return Measure(
        key=key,
        title=title,
        value=measures.format_rate(current.value),
        fte=f"{measures.format_fte(current.fte)} {FTE_WORDS[key]}" if current.fte is not None else "",
        trend=_compare(current, previous, days[-2], better),
        target=_target(current, target),
        sparkline=sparkline(
            [cell.value for cell in cells],
            first_label=_short(days[0]),
            last_label=_short(days[-1]),
            description=description,
            target=target.value if target is not None else None,
        ),
        history=history,
        comparators=comparator_lines(summary, "measures_comparators", key),
    )


def _bars(rows: list[tuple[str, Cell, Cell, str]]) -> tuple[BarRow, ...]:
    """Return bar rows from (label, figure, detail, url); bar lengths are relative to the longest."""
    longest = max((cell.value or Decimal("0") for _, cell, _, _ in rows), default=Decimal("0"))
    return tuple(
        BarRow(
            label=label,
            figure=figure.text,
            detail=detail.text,
            bar_width=int((figure.value or 0) * 100 / longest) if longest else 0,
            url=url,
        )
        for label, figure, detail, url in rows
    )


def bar_scale(rows: tuple[BarRow, ...]) -> str:
    """Return what the longest of ``rows``' bars stands for ("12.5 FTE"), the top of their scale."""
    longest = max(rows, key=lambda row: row.bar_width, default=None)
    if longest is None or not longest.bar_width:
        return "0 FTE"
    return f"{longest.figure} FTE"


def _establishment_url(**query: Any) -> str:
    return f"{reverse('workforce:establishment')}?{urlencode(query)}"


def _vacancies(table: Table, as_of: dt.date) -> tuple[tuple[BarRow, ...], BarRow]:
    rows = []
    for row in table.rows:
        if row.total:
            continue
        role_id = row.key.removeprefix("role-")
        url = _establishment_url(as_of=as_of.isoformat(), role=role_id, vacant_only="on")
        rows.append((row.label, table.cell(row.key, "vacancy"), table.cell(row.key, "vacancy_rate"), url))
    total = table.row("total")
    total_row = BarRow(
        label=total.label,
        figure=table.cell("total", "vacancy").text,
        detail=table.cell("total", "vacancy_rate").text,
        bar_width=0,
    )
    return _bars(rows), total_row


def _agency(table: Table) -> tuple[tuple[BarRow, ...], BarRow]:
    rows = [
        (row.label, table.cell(row.key, "fte"), table.cell(row.key, "headcount"), "")
        for row in table.rows
        if not row.total
    ]
    total_row = BarRow(
        label="Total",
        figure=table.cell("total", "fte").text,
        detail=table.cell("total", "headcount").text,
        bar_width=0,
    )
    return _bars(rows), total_row


def due_conversations(*, user: Any, today: dt.date) -> QuerySet[Leaver]:
    """Return the leavers of the user's teams in the 12 months to ``today`` whose exit
    conversation is not yet recorded: the leavers page's own default period."""
    return exit_conversations_due(scope=scope_for(user), today=today)


def dashboard_scope(user: Any) -> Scope:
    """Return the part of the workforce ``user``'s dashboard counts: the teams they may see."""
    scope = scope_for(user)
    if not access_for(user).sees_all_teams:
        scope = replace(scope, label="The teams you manage")
    return scope


def dashboard_days(today: dt.date) -> list[dt.date]:
    """Return the quarter-ends the dashboard shows on ``today``, oldest first."""
    return previous_quarter_ends(today, QUARTERS)


def build_dashboard(*, user: Any, today: dt.date) -> Dashboard:
    """Return the dashboard of ``user``'s teams as at the latest quarter-end on or before ``today``.

    The number of queries does not depend on the number of posts, people or leavers.
    """
    scope = dashboard_scope(user)
    days = dashboard_days(today)
    kept = dashboard_summary(days, scope)
    summary = kept.summary
    vacancies, vacancy_total = _vacancies(summary.table("vacancies_by_role"), summary.as_of)
    agency, agency_total = _agency(summary.table("agency_by_reason"))

    due = due_conversations(user=user, today=today)
    due_count = due.count()
    listed: tuple[DueLeaver, ...] = ()
    if access_for(user).sees_names:
        may_record = user.has_perm("leavers.record_exit_conversation")
        listed = tuple(
            DueLeaver(
                name=leaver.worker.full_name,
                team=leaver.team.name,
                leaving_date=leaver.leaving_date,
                url=f"{reverse('leavers:conversation')}?leaver={leaver.pk}" if may_record else "",
            )
            for leaver in due.select_related("worker", "team")[:DUE_LISTED]
        )
    due_start, due_end = twelve_months_to(today)
    return Dashboard(
        as_of=summary.as_of,
        built_at=summary.built_at,
        updating=kept.updating,
        previous=days[-2],
        first=days[0],
        scope_label=scope.label,
        measures=tuple(_measure(summary, key, title, better) for key, title, better in MEASURES)
        + caseload_cards(summary),
        vacancies=vacancies,
        vacancy_total=vacancy_total,
        vacancy_scale=bar_scale(vacancies),
        agency=agency,
        agency_total=agency_total,
        agency_scale=bar_scale(agency),
        due_count=due_count,
        due=listed,
        due_start=due_start,
        due_end=due_end,
        due_url=f"{reverse('leavers:leavers')}?conversation=due",
        vacant_url=_establishment_url(as_of=summary.as_of.isoformat(), vacant_only="on"),
        agency_url=_establishment_url(as_of=summary.as_of.isoformat(), agency_only="on"),
    )
