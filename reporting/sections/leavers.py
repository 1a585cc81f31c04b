"""Leavers over their window (by category and length of service), then, over their own
window, the reasons managers captured, where leavers went, and the quotes they allowed."""

from __future__ import annotations

from foundation.windows import Window
from leavers.selectors import LeaversAnalysis, Share
from reporting.figures import Chart, Column, Row, Section, Table, fte_cell, text_cell
from reporting.sections.base import share_row


def _share_rows(shares: list[Share], of: int) -> tuple[Row, ...]:
    """Return rows of (label, count, % of ``of``) for the shares with any count."""
    return tuple(share_row(share.key, share.label, share.count, of) for share in shares if share.count)


def leavers_section(leavers: LeaversAnalysis, window: Window) -> Section:
    """Return the leavers in ``window``: how many, their FTE, by category and by service."""
    share_columns = (Column("count", "Leavers"), Column("percent", "% of leavers"))
    headline = Table(
        key="leavers_summary",
        title="Leavers",
        columns=(Column("measure", "Measure"), *share_columns),
        rows=(
            share_row("total", "Leavers", leavers.total, leavers.total, total=True),
            Row(
                key="fte",
                cells=(text_cell("Leavers (FTE at leaving)"), fte_cell(leavers.total_fte), text_cell("")),
            ),
            share_row("under_3_years", "Less than 3 years' service", leavers.under_3_years, leavers.total),
            share_row("under_1_year", "Less than 1 year's service", leavers.under_1_year, leavers.total),
        ),
        footnotes=("leavers",),
    )
    tables = (
        headline,
        Table(
            key="leavers_by_category",
            title="Leavers by leaving category",
            columns=(Column("category", "Category"), *share_columns),
            rows=_share_rows(leavers.by_category, leavers.total),
        ),
        Table(
            key="leavers_by_service",
            title="Leavers by length of service",
            columns=(Column("band", "Length of service"), *share_columns),
            rows=_share_rows(leavers.service_bands, leavers.total),
            footnotes=("service",),
        ),
    )
    return Section(key="leavers", title="Analysis of leavers", tables=tables, window=window)


def reasons_section(leavers: LeaversAnalysis, window: Window) -> Section:
    """Return, for the leavers in ``window``, the reasons their managers captured and where
    they went, each as a share of all those leavers (a leaver without an exit conversation
    yet is counted apart, so the destinations add up to 100%), and the consented quotes."""
    share_columns = (Column("count", "Leavers"), Column("percent", "% of leavers"))
    reasons = Table(
        key="leavers_reasons",
        title="Reasons for leaving captured by managers",
        columns=(
            Column("reason", "Reason"),
            Column("count", "Leavers citing it"),
            Column("percent", "% of leavers"),
        ),
        rows=_share_rows(leavers.citing_reason, leavers.total),
        footnotes=("reasons",),
    )
    destinations = Table(
        key="leavers_by_destination",
        title="Where leavers went",
        columns=(Column("destination", "Destination"), *share_columns),
        rows=(
            *_share_rows(leavers.by_destination, leavers.total),
            share_row(
                "without_conversation",
                "No exit conversation recorded yet",
                leavers.without_conversation,
                leavers.total,
            ),
            share_row("total", "Leavers", leavers.total, leavers.total, total=True),
        ),
        footnotes=("destination",),
    )
    charts = ()
    if reasons.rows:
        charts = (
            Chart(
                key="leavers_chart",
                title="Reasons for leaving captured by managers (leavers citing each)",
                kind="barh",
                table="leavers_reasons",
                series_in="columns",
                rows=tuple(row.key for row in reasons.rows),
                columns=("count",),
            ),
        )
    return Section(
        key="reasons",
        title="Why leavers left and where they went",
        tables=(reasons, destinations),
        charts=charts,
        quotes=tuple(leavers.quotes),
        window=window,
    )
