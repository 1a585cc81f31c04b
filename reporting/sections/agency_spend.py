"""Agency spend over its window against the budget for the same days."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundation import measures
from foundation.windows import Window
from reporting.figures import (
    Column,
    Row,
    Section,
    Table,
    long_date,
    money_cell,
    rate_cell,
    text_cell,
    variance_cell,
)

if TYPE_CHECKING:
    from reporting.selectors import AgencySpend


def agency_spend_section(spend: AgencySpend, window: Window) -> Section:
    """Return spend from ``spend.start`` to ``spend.end`` against the budget pro rata for the
    same days, with the whole budget period's budget and, where spend is counted from the
    period's start, the projection for the period."""
    dates = f"{long_date(spend.start)} to {long_date(spend.end)}"
    rows = [
        Row(key="period", cells=(text_cell("Budget period"), text_cell(spend.period_label))),
        Row(
            key="budget",
            cells=(text_cell(f"Agency budget for {spend.period_label}"), money_cell(spend.budget)),
        ),
        Row(key="spend", cells=(text_cell(f"Spend from {dates}"), money_cell(spend.spend))),
        *_basis_rows(spend),
        Row(
            key="budget_to_date",
            cells=(text_cell("Budget for the same days (pro rata)"), money_cell(spend.budget_to_date)),
        ),
        Row(
            key="variance",
            cells=(
                text_cell("Spend over (under) the budget for the same days"),
                variance_cell(spend.variance),
            ),
        ),
        Row(
            key="spend_percent",
            cells=(
                text_cell("Spend, % of the budget for the same days"),
                rate_cell(
                    measures.percentage(spend.spend, spend.budget_to_date) if spend.budget_to_date else None
                ),
            ),
        ),
    ]
    if spend.budget_days is not None and spend.budget_to_date is not None and spend.budget_days < spend.days:
        rows.append(
            Row(
                key="budget_days",
                cells=(
                    text_cell("Days of the window with a budget recorded"),
                    text_cell(f"{spend.budget_days} of {spend.days}"),
                ),
            )
        )
    if spend.projected is not None:
        rows.append(
            Row(
                key="projected",
                cells=(
                    text_cell(f"Projected spend for {spend.period_label} at this rate"),
                    money_cell(spend.projected),
                ),
            )
        )
        rows.append(
            Row(
                key="projected_variance",
                cells=(
                    text_cell(f"Projected over (under) the {spend.period_label} budget"),
                    variance_cell(spend.projected - spend.budget if spend.budget is not None else None),
                ),
            )
        )
    table = Table(
        key="agency_spend",
        title="Agency spend against budget",
        columns=(Column("measure", "Measure"), Column("value", "Value")),
        rows=tuple(rows),
        footnotes=("agency_spend",),
        people=False,
    )
    return Section(key="agency_spend", title="Agency spend against budget", tables=(table,), window=window)


def _basis_rows(spend: AgencySpend) -> list[Row]:
    """Return what the spend rests on: the part suppliers invoiced (to the latest week invoiced)
    and the part estimated from weekly charges for the weeks not yet invoiced."""
    rows = []
    if spend.invoiced_to is not None:
        rows.append(
            Row(
                key="invoiced",
                cells=(
                    text_cell(f"Of which invoiced by suppliers (weeks to {long_date(spend.invoiced_to)})"),
                    money_cell(spend.invoiced),
                ),
            )
        )
    rows.append(
        Row(
            key="estimated",
            cells=(
                text_cell("Of which estimated from weekly charges (weeks not invoiced)"),
                money_cell(spend.spend - spend.invoiced),
            ),
        )
    )
    return rows
