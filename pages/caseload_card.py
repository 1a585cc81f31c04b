"""The home dashboard's caseload card, and the comparators under each measure: from the
committee summary only (its caseloads section and the comparator columns of its tables)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pages.sparklines import sparkline
from reporting.figures import Cell, CommitteeSummary, Table, long_date
from workforce.selectors.comparators import ILLUSTRATIVE_MARK as ILLUSTRATIVE

if TYPE_CHECKING:
    from pages.dashboard import Measure, Trend

KEY = "caseloads"
ROW = "per_case_holder"


def _table(summary: CommitteeSummary, key: str) -> Table | None:
    return next((table for table in summary.tables() if table.key == key), None)


def comparator_lines(summary: CommitteeSummary, table_key: str, row_key: str) -> tuple[str, ...]:
    """Return "England 2024: 17.1%" for each comparator the summary shows beside the row, and a
    last line saying so when any of them is illustrative (short lines, for a narrow card)."""
    table = _table(summary, table_key)
    if table is None or not table.has_row(row_key):
        return ()
    shown = [
        column
        for column in table.columns
        if column.key.startswith("comparator-") and table.cell(row_key, column.key).value is not None
    ]
    lines = tuple(
        f"{column.heading.removesuffix(ILLUSTRATIVE)}: {table.cell(row_key, column.key).text}"
        for column in shown
    )
    if any(column.heading.endswith(ILLUSTRATIVE) for column in shown):
        lines += ("Illustrative figures, not published ones",)
    return lines


def _trend(current: Cell, previous: Cell, previous_day: dt.date) -> Trend | None:
    from pages.dashboard import Trend

    if current.value is None or previous.value is None:
        return None
    was = f"{previous.text} at {long_date(previous_day)}"
    if current.value == previous.value:
        return Trend(arrow="●", text=f"No change from {was}", verdict="")
    rose = current.value > previous.value
    # More cases per social worker is worse: the 2019 paper's "reasonable levels".
    return Trend(
        arrow="▲" if rose else "▼",
        text=f"{'Up' if rose else 'Down'} from {was}",
        verdict="worse" if rose else "better",
    )


def caseload_cards(summary: CommitteeSummary) -> tuple[Measure, ...]:
    """Return the caseload card (caseload per case holder at the summary's dates, with its trend,
    what it counts and the comparators), or none for a summary without the caseloads section."""
    from pages.dashboard import History, Measure

    table = _table(summary, KEY)
    if table is None:
        return ()
    days = summary.dates
    cells = [table.cell(ROW, day.isoformat()) for day in days]
    current = cells[-1]
    now = summary.as_of.isoformat()
    history = tuple(History(long_date(day), cell.text) for day, cell in zip(days, cells, strict=True))
    title = "Caseload per case holder"
    counted = (
        f"cases per FTE: {table.cell('cases', now).text} cases, {table.cell('case_holders', now).text} case "
        f"holders; {table.cell('above_threshold', now).text} with "
        f"{table.row('above_threshold').label.removeprefix('Case holders with ')}"
    )
    not_known = table.cell("not_known", now)
    if not_known.suppressed or not_known.value:
        counted += f"; {not_known.text} not known"
    description = f"{title} at the last {len(days)} quarter-ends: " + "; ".join(
        f"{item.day}, {item.text}" for item in history
    )
    return (
        Measure(
            key=KEY,
            title=title,
            value=current.text,
            fte=counted,
            trend=_trend(current, cells[-2], days[-2]) if len(days) > 1 else None,
            target=None,
            sparkline=sparkline(
                [cell.value for cell in cells],
                first_label=f"{days[0]:%b %Y}",
                last_label=f"{days[-1]:%b %Y}",
                description=description,
            ),
            history=history,
            comparators=comparator_lines(summary, "caseload_comparators", ROW),
        ),
    )
