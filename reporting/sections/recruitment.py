"""The recruitment funnel over its window, and what the campaigns cost per starter."""

from __future__ import annotations

from foundation import measures
from foundation.windows import Window
from recruitment.selectors import Funnel, FunnelRow
from reporting import recruitment_section as recruitment_depth
from reporting.figures import Chart, Column, Row, Section, Table, count_cell, money_cell, rate_cell, text_cell


def _funnel_row(key: str, label: str, row: FunnelRow, *, total: bool = False) -> Row:
    return Row(
        key=key,
        cells=(
            text_cell(label),
            count_cell(row.received),
            count_cell(row.interviewed),
            count_cell(row.offered),
            count_cell(row.accepted),
            count_cell(row.started),
            rate_cell(measures.percentage(row.offered, row.received)),
            rate_cell(row.internal_offer_share),
        ),
        total=total,
    )


def recruitment_section(funnel: Funnel, window: Window) -> Section:
    """Return the funnel of applications received in ``window`` and the campaigns' cost."""
    rows = [
        _funnel_row(f"role-{row.role_id}", row.role_name, row)
        for row in funnel.rows
        if row.received or row.started
    ]
    rows.append(_funnel_row("total", "Total (newly qualified excluded)", funnel.total, total=True))
    rows.append(_funnel_row("newly_qualified", "Newly qualified (all roles)", funnel.newly_qualified))
    table = Table(
        key="recruitment_funnel",
        title="Applications received and how far they have gone",
        columns=(
            Column("role", "Role"),
            Column("received", "Received"),
            Column("interviewed", "Interviewed"),
            Column("offered", "Offered"),
            Column("accepted", "Accepted"),
            Column("started", "Started"),
            Column("offer_rate", "Offered, % of received"),
            Column("internal_offers", "Internal, % of offers"),
        ),
        rows=tuple(rows),
        footnotes=("funnel",),
    )
    cost = Table(
        key="recruitment_cost",
        title="Cost of recruitment campaigns",
        columns=(Column("measure", "Measure"), Column("value", "Value")),
        rows=(
            Row(
                key="cost",
                cells=(
                    text_cell("Cost of campaigns running in the window"),
                    money_cell(funnel.campaign_cost),
                ),
            ),
            Row(
                key="starts",
                cells=(
                    text_cell("Starters recruited through campaigns (newly qualified included)"),
                    count_cell(funnel.starts),
                ),
            ),
            Row(
                key="cost_per_start",
                cells=(text_cell("Cost per starter recruited"), money_cell(funnel.cost_per_start)),
            ),
        ),
    )
    chart = Chart(
        key="funnel_chart",
        title="Recruitment funnel by role",
        kind="bar",
        table="recruitment_funnel",
        series_in="columns",
        rows=tuple(row.key for row in rows if not row.total and row.key != "newly_qualified"),
        columns=("received", "interviewed", "offered", "accepted", "started"),
    )
    charts = (chart,) if chart.rows else ()
    return Section(
        key="recruitment",
        title="Recruitment activity",
        tables=(table, *recruitment_depth.depth_tables(funnel), cost),
        charts=charts,
        window=window,
    )
