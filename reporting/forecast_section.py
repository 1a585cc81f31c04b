"""The committee report's optional "Looking ahead" section: the forecast of the next four
quarter-ends (and a shared scenario's, if the report names one), and why the vacancy and agency
rates moved since the comparison date before the as-at date, with the drafted paragraphs.

``reporting.summary`` adds it when the report asks for it (``options_for``); the figures come
from ``planning`` (the forecast and the decomposition); nothing here computes one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from foundation import measures
from planning.engine import Figures, Projection
from planning.models import Scenario
from planning.movement import Movement
from planning.outlook import Outlook, build_outlook
from planning.selectors.movement import rate_movement
from reporting.figures import FTE as FTE_KIND
from reporting.figures import (
    Cell,
    Chart,
    Column,
    CommitteeSummary,
    Row,
    Section,
    Table,
    long_date,
    rate_cell,
    text_cell,
)
from workforce.scopes import Scope

KEY = "forecast"
QUARTERS = 4


@dataclass(frozen=True)
class Options:
    """What a report asks of the section: it is included, with a scenario or not."""

    scenario_id: int | None = None


def options_for(report: object) -> Options | None:
    """Return the section's options for a committee report (None: not included)."""
    if not getattr(report, "forecast_included", False):
        return None
    return Options(scenario_id=getattr(report, "forecast_scenario_id", None))


def _points_cell(value: object) -> Cell:
    if value is None:
        return Cell(text=measures.DASH, kind=FTE_KIND)
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return Cell(text=f"{sign}{abs(value):.1f}", kind=FTE_KIND, value=value)


def _rate_row(key: str, label: str, projection: Projection, measure: str, fte: str | None) -> Row:
    def cell(figures: Figures) -> Cell:
        return rate_cell(getattr(figures, measure), getattr(figures, fte) if fte else None)

    return Row(
        key=key,
        cells=(text_cell(label), cell(projection.start), *(cell(q.central) for q in projection.quarters)),
    )


def _range_row(projection: Projection) -> Row:
    cells = [text_cell("Vacancy rate: range"), text_cell("")]
    for quarter in projection.quarters:
        low, high = quarter.range("vacancy_rate")
        shown = (
            measures.format_rate(low)
            if low == high
            else f"{measures.format_rate(low)} to {measures.format_rate(high)}"
        )
        cells.append(text_cell(shown))
    return Row(key="vacancy_range", cells=tuple(cells))


def _forecast_table(outlook: Outlook) -> Table:
    base = outlook.base
    rows = [
        _rate_row("vacancy", "Vacancy rate", base, "vacancy_rate", "vacancy"),
        _range_row(base),
        _rate_row("agency", "Agency rate", base, "agency_rate", "agency"),
        _rate_row("permanent_fill", "Posts filled by permanent staff", base, "permanent_fill_rate", None),
        _rate_row(
            "turnover", "Turnover rate (12 months to the date)", base, "turnover_rate", "leavers_12_months"
        ),
    ]
    if outlook.with_scenario is not None:
        name = outlook.scenario.name
        rows.append(
            _rate_row(
                "vacancy_scenario", f"Vacancy rate: {name}", outlook.with_scenario, "vacancy_rate", "vacancy"
            )
        )
        rows.append(
            _rate_row(
                "agency_scenario", f"Agency rate: {name}", outlook.with_scenario, "agency_rate", "agency"
            )
        )
    columns = (
        Column("measure", "Measure"),
        Column(outlook.as_of.isoformat(), f"{outlook.as_of:%b %Y}"),
        *(Column(day.isoformat(), f"{day:%b %Y}") for day in outlook.quarter_ends),
    )
    title = f"The rates at {long_date(outlook.as_of)} and forecast at the next four quarter-ends"
    return Table(key="forecast", title=title, columns=columns, rows=tuple(rows), people=False)


def _movement_table(moved: Movement) -> Table:
    agency = {part.key: part for part in moved.agency.parts}
    rows = [
        Row(
            key=part.key,
            cells=(
                text_cell(part.label),
                _points_cell(part.points),
                _points_cell(agency[part.key].points if part.key in agency else None),
            ),
        )
        for part in moved.vacancy.parts
    ]
    rows.append(
        Row(
            key="change",
            cells=(
                text_cell("Change"),
                _points_cell(moved.vacancy.change),
                _points_cell(moved.agency.change),
            ),
            total=True,
        )
    )
    return Table(
        key="rate_movement",
        title=f"Why the rates moved from {long_date(moved.start)} to {long_date(moved.end)} (points)",
        columns=(
            Column("cause", "Cause"),
            Column("vacancy", "Vacancy rate"),
            Column("agency", "Agency rate"),
        ),
        rows=tuple(rows),
        people=False,
    )


def _forecast_sentence(outlook: Outlook, scope_phrase: str) -> str:
    last = outlook.base.quarters[-1]
    low, high = last.range("vacancy_rate")
    text = (
        f"{scope_phrase}, the vacancy rate is forecast at {measures.format_rate(last.central.vacancy_rate)} "
        f"by {long_date(last.day)} (between {measures.format_rate(low)} and {measures.format_rate(high)}), "
        f"from {measures.format_rate(outlook.base.start.vacancy_rate)} at {long_date(outlook.as_of)}, "
        f"and the agency rate at {measures.format_rate(last.central.agency_rate)}"
    )
    if outlook.with_scenario is not None:
        scenario = outlook.with_scenario.quarters[-1].central
        text += (
            f". With the scenario “{outlook.scenario.name}” the vacancy rate would be "
            f"{measures.format_rate(scenario.vacancy_rate)} and the agency rate "
            f"{measures.format_rate(scenario.agency_rate)}"
        )
    return (
        text + ". The forecast counts the posts, offers, trainees and notice the records hold, and carries "
        "forward the last twelve months' turnover and time to fill."
    )


def _scope_phrase(scope: Scope) -> str:
    """Return how the paper opens a sentence on ``scope``, as ``CommitteeSummary.scope_phrase`` words it."""
    return CommitteeSummary.scope_phrase.fget(
        SimpleNamespace(scope_text=scope.as_text(), scope_label=scope.label)
    )


def section(*, as_of: dt.date, dates: tuple[dt.date, ...], scope: Scope, options: Options) -> Section:
    """Return the "Looking ahead" section for a report as at ``as_of`` with comparison ``dates``."""
    scenario = Scenario.objects.filter(pk=options.scenario_id).first() if options.scenario_id else None
    outlook = build_outlook(as_of=as_of, quarters=QUARTERS, scope=scope, scenario=scenario)
    tables = [_forecast_table(outlook)]
    chart_rows = (
        ("vacancy", "agency", "vacancy_scenario", "agency_scenario") if scenario else ("vacancy", "agency")
    )
    charts = (
        Chart(
            key="forecast_chart",
            title="Vacancy and agency rates: now and forecast (%)",
            kind="line",
            table="forecast",
            series_in="rows",
            rows=chart_rows,
            columns=tuple(column.key for column in tables[0].columns[1:]),
            unit="%",
        ),
    )
    sentence = _forecast_sentence(outlook, _scope_phrase(scope))
    earlier = [day for day in dates if day < as_of]
    if earlier:
        moved = rate_movement(start=earlier[-1], end=as_of, scope=scope, without_since=earlier[-1])
        tables.append(_movement_table(moved))
        sentence += " " + moved.sentence
    return Section(
        key=KEY,
        title="Looking ahead",
        tables=tuple(tables),
        charts=charts,
        sentence=sentence,
        drafted=sentence,
    )


def parts(
    *, as_of: dt.date, dates: tuple[dt.date, ...], scope: Scope, options: Options | None
) -> tuple[Section, ...]:
    """Return the section in a tuple if the report includes it, else an empty tuple."""
    if options is None:
        return ()
    return (section(as_of=as_of, dates=dates, scope=scope, options=options),)


def draft(section_: Section, summary: object) -> str:
    """Return the section's drafted paragraph (drafted with its figures, which it describes)."""
    return section_.drafted
