"""Recruitment in more depth, for the committee report's recruitment section: the internal
share of interviews and offers (the 2016 paper's footnote: "a majority of interviews and
offers would have been internal"), the median days from application to offer and to
start, and the offers declined or withdrawn by the reason recorded.

Each function turns the funnel (``recruitment.selectors.recruitment_funnel``) into one
table; ``reporting.sections.recruitment_section`` places them after the funnel. Nothing
here reads the database. Every share is a ``foundation.measures.percentage`` and its
column says what it is a percentage of.
"""

from __future__ import annotations

from decimal import Decimal

from foundation import measures
from recruitment.selectors import NOT_RECORDED, Funnel, FunnelRow
from reporting.figures import DAYS, Cell, Column, Row, Table, count_cell, rate_cell, text_cell

TOTAL_LABEL = "Total (newly qualified excluded)"
NEWLY_QUALIFIED_LABEL = "Newly qualified (all roles)"


def median_days_cell(value: Decimal | None) -> Cell:
    """Return a median number of days as the paper prints it ("30", "25.5"; "–" for none)."""
    return Cell(text=measures.format_median_days(value), kind=DAYS, value=value)


def _funnel_rows(funnel: Funnel) -> list[tuple[str, str, FunnelRow, bool]]:
    """Return (key, label, row, total) for the rows the funnel table lists, in its order."""
    rows = [
        (f"role-{row.role_id}", row.role_name, row, False)
        for row in funnel.rows
        if row.received or row.started
    ]
    rows.append(("total", TOTAL_LABEL, funnel.total, True))
    rows.append(("newly_qualified", NEWLY_QUALIFIED_LABEL, funnel.newly_qualified, False))
    return rows


def internal_table(funnel: Funnel) -> Table:
    """Return the internal candidates' share of the interviews and of the offers, by role."""
    rows = tuple(
        Row(
            key=key,
            cells=(
                text_cell(label),
                count_cell(row.internal_interviewed),
                rate_cell(row.internal_interview_share),
                count_cell(row.internal_offered),
                rate_cell(row.internal_offer_share),
            ),
            total=total,
        )
        for key, label, row, total in _funnel_rows(funnel)
    )
    return Table(
        key="recruitment_internal",
        title="Interviews and offers to internal candidates",
        columns=(
            Column("role", "Role"),
            Column("internal_interviewed", "Internal interviewed"),
            Column("internal_interviewed_percent", "% of interviewed"),
            Column("internal_offered", "Internal offered"),
            Column("internal_offered_percent", "% of offered"),
        ),
        rows=rows,
        footnotes=("internal",),
    )


def time_table(funnel: Funnel) -> Table:
    """Return the median days from application to offer and to start, by role."""
    rows = tuple(
        Row(
            key=key,
            cells=(
                text_cell(label),
                median_days_cell(row.median_days_to_offer),
                median_days_cell(row.median_days_to_start),
            ),
            total=total,
        )
        for key, label, row, total in _funnel_rows(funnel)
    )
    return Table(
        key="recruitment_time",
        title="Time from application to offer and to start",
        columns=(
            Column("role", "Role"),
            Column("to_offer", "Median days from application to offer"),
            Column("to_start", "Median days from application to start"),
        ),
        rows=rows,
        footnotes=("time_to_hire",),
    )


def declines_table(funnel: Funnel) -> Table:
    """Return the offers declined or withdrawn by the reason recorded, with their total.

    Every current reason has a row (nought included); retired reasons and "not recorded"
    (offers declined before reasons were kept) only where they were counted."""
    total = funnel.declines_total

    def row(key: str, label: str, declined: int, withdrawn: int, *, is_total: bool = False) -> Row:
        return Row(
            key=key,
            cells=(
                text_cell(label),
                count_cell(declined),
                count_cell(withdrawn),
                count_cell(declined + withdrawn),
                rate_cell(measures.percentage(declined + withdrawn, total.total)),
            ),
            total=is_total,
        )

    rows = [
        row(
            decline.code,
            f"{decline.name} (retired)" if decline.retired else decline.name,
            decline.declined,
            decline.withdrawn,
        )
        for decline in funnel.declines
        if decline.total or (decline.code != NOT_RECORDED and not decline.retired)
    ]
    rows.append(row("total", "Total", total.declined, total.withdrawn, is_total=True))
    return Table(
        key="recruitment_declines",
        title="Offers declined or withdrawn, by reason",
        columns=(
            Column("reason", "Reason"),
            Column("declined", "Declined"),
            Column("withdrawn", "Withdrawn"),
            Column("total", "Declined or withdrawn"),
            Column("percent", "% of all declined or withdrawn"),
        ),
        rows=tuple(rows),
        footnotes=("declines",),
    )


def depth_tables(funnel: Funnel) -> tuple[Table, ...]:
    """Return the tables that follow the funnel: internal candidates, time, declines."""
    return (internal_table(funnel), time_table(funnel), declines_table(funnel))
