"""Absence over its window: working days lost against days available, and by reason."""

from __future__ import annotations

from foundation import measures
from foundation.windows import Window
from reporting.figures import Column, Row, Section, Table, days_cell, rate_cell, text_cell
from workforce import analysis
from workforce.models import AbsenceReason


def absence_section(absence: analysis.AbsenceFigures, window: Window) -> Section:
    """Return the working days lost in ``window``, the rate, and the days by reason."""
    labels = dict(AbsenceReason.choices)
    headline = Table(
        key="absence",
        title="Absence",
        columns=(Column("measure", "Measure"), Column("value", "Value")),
        rows=(
            Row(
                key="available",
                cells=(text_cell("Working days available"), days_cell(absence.days_available)),
            ),
            Row(key="lost", cells=(text_cell("Working days lost"), days_cell(absence.days_lost))),
            Row(
                key="rate", cells=(text_cell("Absence rate"), rate_cell(absence.rate)), footnotes=("absence",)
            ),
        ),
    )
    by_reason = Table(
        key="absence_by_reason",
        title="Working days lost by reason",
        columns=(
            Column("reason", "Reason"),
            Column("days", "Working days lost"),
            Column("percent", "% of days lost"),
        ),
        rows=tuple(
            Row(
                key=code,
                cells=(
                    text_cell(labels[code]),
                    days_cell(days),
                    rate_cell(measures.percentage(days, absence.days_lost)),
                ),
            )
            for code, days in absence.days_lost_by_reason
            if days
        ),
    )
    return Section(
        key="absence", title="Sickness and other absence", tables=(headline, by_reason), window=window
    )
