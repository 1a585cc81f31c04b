"""The committee summary's caseloads section, and comparators beside the council's own figures.

``caseload_section`` reads the caseloads at the summary's dates (``workforce.selectors.caseloads``;
the detail at the as-at date) and lays them out as tables, charts and footnotes: caseload per
case holder at each date and beside the comparators, the spread of caseloads, by role, and the
teams with the highest caseloads. ``with_comparators`` adds a table of the comparators beside
the council's own turnover, vacancy and agency rates to the measures section; ``definitions``
words the footnotes; ``draft`` writes the section's sentence from its printed cells. Nothing
here is read again by the pages or the exporters: they lay out the summary.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

from foundation import measures
from reporting.figures import (
    FTE,
    Cell,
    Chart,
    Column,
    CommitteeSummary,
    Definition,
    Row,
    Section,
    Table,
    column_heading,
    count_cell,
    fte_cell,
    long_date,
    rate_cell,
    text_cell,
)
from workforce.scopes import Scope
from workforce.selectors.caseloads import (
    CaseloadFigures,
    CaseloadSnapshot,
    caseloads_on_dates,
    stale_days_setting,
    threshold_setting,
)
from workforce.selectors.comparators import ILLUSTRATIVE_MARK, ComparatorFigures, comparators_on

KEY = "caseloads"
TEAMS_SHOWN = 10
# Measures table rows that have a comparator figure: (row key, comparator field).
MEASURE_COMPARATORS = (("turnover", "turnover_rate"), ("vacancy", "vacancy_rate"), ("agency", "agency_rate"))


def comparators(as_of: dt.date) -> tuple[ComparatorFigures, ...]:
    """Return the comparators to show beside figures as at ``as_of``: one query."""
    return comparators_on(as_of)


def _column_key(comparator: ComparatorFigures) -> str:
    return f"comparator-{comparator.area}"


def caseload_cell(value: Decimal | None) -> Cell:
    """Return a caseload per case holder ("18.4"): a figure to one decimal, like an FTE."""
    return Cell(text=measures.format_caseload(value), kind=FTE, value=value)


def _comparator_cell(comparator: ComparatorFigures, field: str, *, rate: bool) -> Cell:
    value = comparator.figures.get(field)
    return rate_cell(value) if rate else caseload_cell(value)


def comparators_table(
    key: str,
    rows: list[tuple[str, str, Cell, str, bool]],
    heading: str,
    found: tuple[ComparatorFigures, ...],
) -> Table:
    """Return a table of the council's own figures beside the comparators' (a row for each of
    ``rows``: key, label, the council's cell, the comparator field, whether it is a rate)."""
    return Table(
        key=key,
        title=f"Compared with England, the region and statistical neighbours, {heading}",
        columns=(
            Column("measure", "Measure"),
            Column("council", "This council"),
            *(Column(_column_key(c), c.heading) for c in found),
        ),
        rows=tuple(
            Row(
                key=row_key,
                cells=(
                    text_cell(label),
                    own,
                    *(_comparator_cell(comparator, field, rate=rate) for comparator in found),
                ),
            )
            for row_key, label, own, field, rate in rows
        ),
        footnotes=("comparators",),
        people=False,
    )


def with_comparators(section: Section, found: tuple[ComparatorFigures, ...], as_of: dt.date) -> Section:
    """Return the measures ``section`` with, when there are comparators, a table of the turnover,
    vacancy and agency rates at ``as_of`` beside those published for each (a table of its own,
    rather than more columns in the measures table, so that neither is too wide to print)."""
    if not found:
        return section
    measures_table = section.table("measures")
    column = as_of.isoformat()
    rows = [
        (key, measures_table.row(key).label, measures_table.cell(key, column), field, True)
        for key, field in MEASURE_COMPARATORS
    ]
    table = comparators_table("measures_comparators", rows, long_date(as_of), found)
    return replace(section, tables=(*section.tables, table))


def _trend_table(
    dates: tuple[dt.date, ...],
    baseline: dt.date | None,
    snapshots: dict[dt.date, CaseloadSnapshot],
    threshold: int,
) -> Table:
    def row(key: str, label: str, cell_for, notes: tuple = ()) -> Row:
        cells = tuple(cell_for(snapshots[day]) for day in dates)
        return Row(key=key, cells=(text_cell(label), *cells), footnotes=notes)

    rows = (
        row(
            "per_case_holder",
            "Caseload per case holder (cases per FTE)",
            lambda s: caseload_cell(s.total.per_case_holder),
            ("caseload",),
        ),
        row("cases", "Cases held", lambda s: count_cell(s.total.cases)),
        row("case_holders", "Case holders whose caseload is known", lambda s: count_cell(s.total.holders)),
        row("case_holders_fte", "Their FTE", lambda s: fte_cell(s.total.fte)),
        row(
            "above_threshold",
            f"Case holders with more than {threshold} cases",
            lambda s: count_cell(s.total.above_threshold),
            notes=("caseload_threshold",),
        ),
        row(
            "above_threshold_share",
            f"More than {threshold} cases, % of case holders whose caseload is known",
            lambda s: rate_cell(s.total.above_threshold_share),
        ),
        row(
            "asye",
            "Newly qualified (ASYE): cases per FTE",
            lambda s: caseload_cell(s.asye.per_case_holder),
            notes=("experience",),
        ),
        row("others", "Everyone else: cases per FTE", lambda s: caseload_cell(s.others.per_case_holder)),
        row(
            "not_known",
            "Case holders whose caseload is not known",
            lambda s: count_cell(s.total.not_known),
            notes=("caseload_not_known",),
        ),
    )
    columns = (
        Column("measure", "Measure"),
        *(Column(day.isoformat(), column_heading(day, baseline=day == baseline)) for day in dates),
    )
    return Table(key=KEY, title="Caseloads of case holders", columns=columns, rows=rows)


def _group_cells(label: str, figures: CaseloadFigures) -> tuple[Cell, ...]:
    return (
        text_cell(label),
        count_cell(figures.holders),
        fte_cell(figures.fte),
        count_cell(figures.cases),
        caseload_cell(figures.per_case_holder),
        count_cell(figures.above_threshold),
        count_cell(figures.not_known),
    )


def _group_columns(first: Column, threshold: int) -> tuple[Column, ...]:
    return (
        first,
        Column("holders", "Case holders"),
        Column("fte", "FTE"),
        Column("cases", "Cases"),
        Column("per_case_holder", "Per FTE"),
        Column("above_threshold", f"Over {threshold}"),
        Column("not_known", "Not known"),
    )


def _spread_table(snapshot: CaseloadSnapshot) -> Table:
    known = snapshot.total.holders
    rows = [
        Row(
            key=key,
            cells=(
                text_cell(label),
                count_cell(snapshot.spread.get(key, 0)),
                rate_cell(measures.percentage(snapshot.spread.get(key, 0), known)),
            ),
        )
        for key, label, _, _ in measures.CASELOAD_BANDS
    ]
    rows.append(
        Row(
            key="total",
            cells=(text_cell("Case holders whose caseload is known"), count_cell(known), rate_cell(None)),
            total=True,
        )
    )
    rows.append(
        Row(
            key="not_known",
            cells=(text_cell("Caseload not known"), count_cell(snapshot.total.not_known), text_cell("")),
            footnotes=("caseload_not_known",),
        )
    )
    return Table(
        key="caseload_spread",
        title=f"Case holders by the cases they hold, {long_date(snapshot.as_of)}",
        columns=(
            Column("band", "Cases held"),
            Column("holders", "Case holders"),
            Column("percent", "% of case holders"),
        ),
        rows=tuple(rows),
        footnotes=("caseload",),
    )


def _role_table(snapshot: CaseloadSnapshot) -> Table:
    rows = [
        Row(key=f"role-{role_id}", cells=_group_cells(name, snapshot.by_role[role_id]))
        for role_id, name in snapshot.role_names.items()
    ]
    rows.append(Row(key="total", cells=_group_cells("Total", snapshot.total), total=True))
    return Table(
        key="caseloads_by_role",
        title=f"Caseloads by role, {long_date(snapshot.as_of)}",
        columns=_group_columns(Column("role", "Role"), snapshot.threshold),
        rows=tuple(rows),
        footnotes=("caseload",),
    )


def _team_table(snapshot: CaseloadSnapshot) -> Table:
    def order(team_id: int) -> tuple:
        figures = snapshot.by_team[team_id]
        per = figures.per_case_holder
        return (per is None, -(per or 0), snapshot.team_names[team_id])

    shown = sorted(snapshot.by_team, key=order)[:TEAMS_SHOWN]
    rows = tuple(
        Row(
            key=f"team-{team_id}", cells=_group_cells(snapshot.team_names[team_id], snapshot.by_team[team_id])
        )
        for team_id in shown
    )
    title = "Teams with the highest caseload per case holder"
    if len(snapshot.by_team) > TEAMS_SHOWN:
        title += f" (the {TEAMS_SHOWN} highest of {len(snapshot.by_team)} teams)"
    return Table(
        key="caseloads_by_team",
        title=f"{title}, {long_date(snapshot.as_of)}",
        columns=_group_columns(Column("team", "Team"), snapshot.threshold),
        rows=rows,
        footnotes=("caseload",),
    )


def caseload_section(
    *,
    as_of: dt.date,
    dates: tuple[dt.date, ...],
    baseline: dt.date | None,
    scope: Scope,
    found: tuple[ComparatorFigures, ...] = (),
) -> Section:
    """Return the caseloads section: caseload per case holder at each of ``dates`` beside the
    comparators, and at ``as_of`` the spread, by role and the teams with the highest caseloads."""
    snapshots = caseloads_on_dates(dates, scope, detailed=(as_of,))
    now = snapshots[as_of]
    trend = _trend_table(dates, baseline, snapshots, now.threshold)
    compared: tuple[Table, ...] = ()
    if found:
        own = trend.cell("per_case_holder", as_of.isoformat())
        compared = (
            comparators_table(
                "caseload_comparators",
                [("per_case_holder", "Caseload per case holder (cases per FTE)", own, "caseload", False)],
                long_date(as_of),
                found,
            ),
        )
    spread = _spread_table(now)
    known = any(snapshots[day].total.holders for day in dates)
    charts: tuple[Chart, ...] = ()
    if known:  # nothing to draw until a caseload is recorded
        charts = (
            Chart(
                key="caseloads_chart",
                title="Caseload per case holder (cases per FTE)",
                kind="line",
                table=KEY,
                series_in="rows",
                rows=("per_case_holder",),
                columns=tuple(day.isoformat() for day in dates),
            ),
        )
    if now.total.holders:
        charts += (
            Chart(
                key="caseload_spread_chart",
                title=f"The spread of caseloads: case holders by cases held, {long_date(as_of)}",
                kind="bar",
                table="caseload_spread",
                series_in="columns",
                rows=tuple(key for key, _, _, _ in measures.CASELOAD_BANDS),
                columns=("holders",),
            ),
        )
    return Section(
        key=KEY,
        title="Caseloads",
        tables=(trend, *compared, spread, _role_table(now), _team_table(now)),
        charts=charts,
    )


def definitions(found: tuple[ComparatorFigures, ...]) -> tuple[Definition, ...]:
    """Return the footnotes the caseloads section and the comparators need."""
    threshold, stale_days = threshold_setting(), stale_days_setting()
    notes = (
        Definition(
            "caseload",
            "Caseload per case holder",
            "The cases (children) held by case holders on the date divided by their FTE (the Department "
            "for Education's measure). Case holders are the employees and agency workers in a case-holding "
            "role (census OrgRole 5) in a case-holding team, and anyone else in a children's social work "
            "role with at least one case; someone in two posts counts once, in the team and role of the "
            "larger. Each case holder's caseload is the latest counted in the "
            f"{stale_days} days to the date.",
        ),
        Definition(
            "caseload_not_known",
            "Caseload not known",
            f"A case holder with no caseload counted in the {stale_days} days to the date: counted apart, "
            "never as no cases, and left out of the caseload per case holder.",
        ),
        Definition(
            "caseload_threshold",
            "Caseload threshold",
            f"The council's threshold for a high caseload: more than {threshold} cases.",
        ),
    )
    if found:
        notes += (
            Definition(
                "comparators",
                "Comparators",
                "Figures published for other areas, as entered by the council: "
                + " ".join(comparator.citation for comparator in found),
            ),
        )
    return notes


# --- The drafted sentence ------------------------------------------------------------------------


def _holders(cell: Cell) -> str:
    one = not cell.suppressed and cell.value == 1
    return f"{cell.text} case holder{'' if one else 's'}"


def draft(section: Section, summary: CommitteeSummary) -> str:
    """Return the caseloads section's sentence, from its printed cells only."""
    table = section.table(KEY)
    now = summary.as_of.isoformat()
    day = long_date(summary.as_of)
    per = table.cell("per_case_holder", now)
    if per.value is None and not per.suppressed:
        not_known = table.cell("not_known", now)
        if not not_known.suppressed and not not_known.value:
            return f"{summary.scope_phrase} at {day} no caseloads are recorded for case holders."
        return f"{summary.scope_phrase} at {day} the caseload of {_holders(not_known)} is not known."
    parts = [
        f"{summary.scope_phrase} at {day} case holders held {table.cell('cases', now).text} cases, "
        f"{per.text} per FTE case holder"
    ]
    compared = []
    if any(t.key == "caseload_comparators" for t in section.tables):
        others = section.table("caseload_comparators")
        for column in others.columns[2:]:
            cell = others.cell("per_case_holder", column.key)
            if cell.value is not None:
                compared.append(f"{column.heading.removesuffix(ILLUSTRATIVE_MARK)}: {cell.text}")
        if any(column.heading.endswith(ILLUSTRATIVE_MARK) for column in others.columns[2:]):
            compared.append("illustrative figures")
    if compared:
        parts[0] += f" ({'; '.join(compared)})"
    if summary.baseline is not None and table.has_row("per_case_holder"):
        before = table.cell("per_case_holder", summary.baseline.isoformat())
        if (
            before.value is not None
            and per.value is not None
            and not before.suppressed
            and not per.suppressed
        ):
            move = (
                "up from" if per.value > before.value else "down from" if per.value < before.value else "as"
            )
            parts[0] += f", {move} {before.text} at the baseline"
    sentence = parts[0] + "."
    above = table.cell("above_threshold", now)
    share = table.cell("above_threshold_share", now)
    threshold = re.search(r"\d+", table.row("above_threshold").label).group()
    shown_share = (
        "" if share.suppressed or share.value is None else f" ({share.text} of those whose caseload is known)"
    )
    sentence += f" {_holders(above).capitalize()}{shown_share} held more than {threshold} cases."
    asye, others = table.cell("asye", now), table.cell("others", now)
    if asye.value is not None and others.value is not None:
        sentence += (
            f" Newly qualified (ASYE) social workers held {asye.text} cases per FTE against "
            f"{others.text} for everyone else."
        )
    not_known = table.cell("not_known", now)
    if not_known.suppressed or not_known.value:
        sentence += f" The caseload of {_holders(not_known)} is not known."
    return sentence
