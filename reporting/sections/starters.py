"""Starters over their window, by the census origin recorded."""

from __future__ import annotations

from foundation.windows import Window
from reporting.figures import Column, Section, Table
from reporting.sections.base import headcount_rows
from workforce import analysis


def starters_section(starters: analysis.StartersByOrigin, window: Window) -> Section:
    """Return the starters in ``window`` by origin, with their share of all starters."""
    rows = headcount_rows(
        [(str(g.origin), g.label, g.headcount, g.fte) for g in starters.groups if g.headcount],
        starters.headcount,
        starters.fte,
    )
    table = Table(
        key="starters_by_origin",
        title="Starters by origin",
        columns=(
            Column("origin", "Where they came from"),
            Column("headcount", "Starters"),
            Column("fte", "FTE"),
            Column("percent", "% of starters"),
        ),
        rows=tuple(rows),
        footnotes=("starters",),
    )
    return Section(key="starters", title="Starters", tables=(table,), window=window)
