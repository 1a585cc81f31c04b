"""What the planning page shows, laid out as plain rows and charts from the forecast: the figures
are the forecast's own, formatted by ``foundation.measures``; nothing is worked out here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from foundation import measures
from planning.assumptions import Assumptions
from planning.chart import LineChart, line_chart
from planning.engine import Figures, Projection
from planning.outlook import Outlook

BASE_COLOUR, SCENARIO_COLOUR = "#1d70b8", "#d4351c"
RATES = {"vacancy_rate", "agency_rate", "permanent_fill_rate", "turnover_rate"}
ROWS = (
    ("establishment", "Establishment (E, FTE)"),
    ("in_post", "Social workers in post (S, FTE)"),
    ("agency", "Agency workers (A, FTE)"),
    ("vacancy", "Vacancies (V, FTE)"),
    ("vacancy_rate", "Vacancy rate"),
    ("agency_rate", "Agency rate"),
    ("permanent_fill_rate", "Posts filled by permanent staff"),
    ("turnover_rate", "Turnover (12 months to the date)"),
)


def short_date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _text(measure: str, value: Decimal | None) -> str:
    return measures.format_rate(value) if measure in RATES else measures.format_fte(value)


@dataclass(frozen=True)
class Cell:
    text: str
    range: str = ""  # "10.1% to 14.8%" under the central figure


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: tuple[Cell, ...]
    scenario: bool = False


def _cells(projection: Projection, measure: str) -> tuple[Cell, ...]:
    start = Cell(_text(measure, getattr(projection.start, measure)))
    cells = [start]
    for quarter in projection.quarters:
        low, high = quarter.range(measure)
        central = getattr(quarter.central, measure)
        shown = ""
        if measure != "establishment" and low is not None and low != high:
            shown = f"{_text(measure, low)} to {_text(measure, high)}"
        cells.append(Cell(_text(measure, central), shown))
    return tuple(cells)


def forecast_rows(outlook: Outlook) -> list[TableRow]:
    """Return the forecast table's rows: each measure, and the scenario's beneath it if there is one."""
    rows = []
    for measure, label in ROWS:
        rows.append(TableRow(label, _cells(outlook.base, measure)))
        if outlook.with_scenario is not None:
            rows.append(TableRow(f"{label}, with the scenario", _cells(outlook.with_scenario, measure), True))
    return rows


def headings(outlook: Outlook) -> list[str]:
    return [f"Now ({short_date(outlook.as_of)})", *(short_date(day) for day in outlook.quarter_ends)]


def rate_chart(outlook: Outlook, measure: str, title: str) -> LineChart:
    """Return the chart of ``measure`` (a rate): now and each quarter-end, the base forecast with
    its range shaded, and the scenario's as a dashed line."""
    labels = ["Now", *(f"{day:%b %Y}" for day in outlook.quarter_ends)]

    def values(projection: Projection) -> list[Decimal | None]:
        return [getattr(projection.start, measure)] + [
            getattr(q.central, measure) for q in projection.quarters
        ]

    start = getattr(outlook.base.start, measure)
    lows = [start] + [q.range(measure)[0] for q in outlook.base.quarters]
    highs = [start] + [q.range(measure)[1] for q in outlook.base.quarters]
    series = [("Base forecast", values(outlook.base), BASE_COLOUR, False)]
    if outlook.with_scenario is not None:
        name = outlook.scenario.name if outlook.scenario else "Scenario"
        series.append((f"With the scenario ({name})", values(outlook.with_scenario), SCENARIO_COLOUR, True))
    base = values(outlook.base)
    description = f"{title}: now {measures.format_rate(base[0])}, forecast " + ", ".join(
        f"{measures.format_rate(value)} at {label}" for value, label in zip(base[1:], labels[1:], strict=True)
    )
    return line_chart(
        title=title,
        unit="%",
        labels=labels,
        series=series,
        band=("Range of the base forecast", lows, highs),
        description=description + ". The table gives every figure.",
    )


@dataclass(frozen=True)
class AssumptionRow:
    role: str
    fields: tuple[tuple[str, str], ...]  # (form field name, what was measured)


def assumption_rows(assumptions: Assumptions) -> list[AssumptionRow]:
    """Return, per role, the form field of each assumption and what it was measured at, from what."""
    rows = []
    for role in assumptions.roles.values():
        turnover = (
            f"measured {measures.format_rate(role.turnover_measured)}: {role.leavers_count} leavers, "
            f"{measures.format_fte(role.leavers_fte)} FTE in the year"
            if role.turnover_measured is not None
            else "no one in post to measure it: every role's rate"
        )
        if role.days_to_fill_measured is None:
            fill = "no vacancies filled in the year: none filled at a rate"
        else:
            whose = "" if role.fills_own else " (every role's: too few of this role's)"
            fill = (
                f"measured {role.days_to_fill_measured} days{whose}: {role.fills_count} hires, "
                f"{measures.format_fte(role.fills_fte)} FTE, into {measures.format_fte(role.vacancy_mean)} "
                "FTE vacant on average through the year"
            )
        rows.append(
            AssumptionRow(
                role=role.role_name,
                fields=(
                    (f"turnover-{role.role_id}", turnover),
                    (f"days_to_fill-{role.role_id}", fill),
                    (
                        f"cover_share-{role.role_id}",
                        f"measured {measures.format_rate(role.cover_share_measured)}",
                    ),
                    (f"starter_fte-{role.role_id}", f"measured {role.starter_fte_measured}"),
                ),
            )
        )
    return rows


def summary_sentence(outlook: Outlook) -> str:
    """Return one sentence on where the forecast ends up."""
    last = outlook.base.quarters[-1]
    low, high = last.range("vacancy_rate")
    central: Figures = last.central
    text = (
        f"By {short_date(last.day)} the vacancy rate is forecast at "
        f"{measures.format_rate(central.vacancy_rate)} ({measures.format_fte(central.vacancy)} FTE; range "
        f"{measures.format_rate(low)} to {measures.format_rate(high)}), against "
        f"{measures.format_rate(outlook.base.start.vacancy_rate)} now"
    )
    if outlook.with_scenario is not None:
        scenario = outlook.with_scenario.quarters[-1].central
        text += f", and at {measures.format_rate(scenario.vacancy_rate)} with the scenario"
    return text + "."


@dataclass(frozen=True)
class RateRow:
    day: str
    base: str
    range: str
    scenario: str


@dataclass(frozen=True)
class RateFigure:
    """A rate's chart and the table beside it."""

    chart: LineChart
    rows: tuple[RateRow, ...]


def rate_figure(outlook: Outlook, measure: str, title: str) -> RateFigure:
    """Return the chart of a rate and the same figures as a table."""
    labels = headings(outlook)
    rows = [RateRow(labels[0], measures.format_rate(getattr(outlook.base.start, measure)), "", "")]
    for index, quarter in enumerate(outlook.base.quarters):
        low, high = quarter.range(measure)
        scenario = ""
        if outlook.with_scenario is not None:
            scenario = measures.format_rate(getattr(outlook.with_scenario.quarters[index].central, measure))
        rows.append(
            RateRow(
                labels[index + 1],
                measures.format_rate(getattr(quarter.central, measure)),
                f"{measures.format_rate(low)} to {measures.format_rate(high)}",
                scenario,
            )
        )
    return RateFigure(rate_chart(outlook, measure, title), tuple(rows))


def global_notes(assumptions: Assumptions) -> dict[str, str]:
    """Return what the assumptions that are not by role were measured at, and from what."""
    acceptance = (
        f"measured {measures.format_rate(assumptions.offer_acceptance_measured)} of "
        f"{assumptions.offers_answered} offers answered in the year"
        if assumptions.offer_acceptance_measured is not None
        else "no offers answered in the year: offers waiting are not counted"
    )
    to_start = (
        f"measured {assumptions.days_offer_to_start_measured} days over {assumptions.starts_counted} starts"
        if assumptions.days_offer_to_start_measured is not None
        else "no starts in the year: they start straight away"
    )
    return {"offer_acceptance": acceptance, "days_offer_to_start": to_start}
