"""Progress against the strategy's actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reporting.figures import Column, Section, Table
from reporting.models import ActionStatus
from reporting.sections.base import share_row

if TYPE_CHECKING:
    from reporting.selectors import StrategyProgress


def strategy_section(progress: StrategyProgress) -> Section:
    rows = [
        *(
            share_row(status.value, status.label, progress.by_status.get(status.value, 0), progress.total)
            for status in ActionStatus
        ),
        share_row("total", "Total", progress.total, progress.total, total=True),
        share_row("overdue", "Not complete and past their due date", progress.overdue, progress.total),
    ]
    table = Table(
        key="strategy",
        title="Strategy actions by status",
        columns=(Column("status", "Status"), Column("actions", "Actions"), Column("percent", "% of actions")),
        rows=tuple(rows),
        footnotes=("strategy",),
        people=False,
    )
    return Section(key="strategy", title="Progress against the strategy", tables=(table,))
