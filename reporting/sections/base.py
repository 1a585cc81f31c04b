"""Rows the sections share: counts with their share of a stated whole."""

from __future__ import annotations

from decimal import Decimal

from foundation import measures
from reporting.figures import Row, count_cell, fte_cell, rate_cell, text_cell

D0 = Decimal("0")


def share_row(key: str, label: str, count: int, of: int, *, total: bool = False) -> Row:
    """Return a row of (label, count, % of ``of``)."""
    return Row(
        key=key,
        cells=(text_cell(label), count_cell(count), rate_cell(measures.percentage(count, of))),
        total=total,
    )


def headcount_rows(
    groups: list[tuple[str, str, int, Decimal]], headcount: int, fte: Decimal
) -> tuple[Row, ...]:
    """Return rows of (label, headcount, FTE, % of headcount), then the total."""
    rows = [
        Row(
            key=key,
            cells=(
                text_cell(label),
                count_cell(heads),
                fte_cell(group_fte),
                rate_cell(measures.percentage(heads, headcount)),
            ),
        )
        for key, label, heads, group_fte in groups
    ]
    total = (
        text_cell("Total"),
        count_cell(headcount),
        fte_cell(fte),
        rate_cell(measures.percentage(headcount, headcount)),
    )
    return (*rows, Row(key="total", cells=total, total=True))
