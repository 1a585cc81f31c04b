"""The sections of the committee summary: each turns what the selectors return into tables of
cells (number and printed text), charts and footnote keys, in the order the paper prints
them. ``reporting.summary.build_committee_summary`` reads the selectors and calls these;
nothing here reads the database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings

from foundation import measures
from leavers.selectors import LeaversAnalysis, Share
from recruitment.selectors import Funnel, FunnelRow
from reporting.figures import (
    Chart,
    Column,
    Row,
    Section,
    Table,
    column_heading,
    count_cell,
    days_cell,
    fte_cell,
    long_date,
    money_cell,
    rate_cell,
    text_cell,
)
from reporting.models import ActionStatus
from workforce import analysis
from workforce.models import AbsenceReason, AgencyReason
from workforce.selectors import EstablishmentSnapshot

if TYPE_CHECKING:
    from reporting.selectors import AgencySpend, StrategyProgress

D0 = Decimal("0")


def _share_rows(shares: list[Share]) -> tuple[Row, ...]:
    """Return rows of (label, count, %) from the leavers analysis's ``Share`` lists, the
    percentages as the leavers selector worked them."""
    return tuple(
        Row(key=share.key, cells=(text_cell(share.label), count_cell(share.count), rate_cell(share.percent)))
        for share in shares
        if share.count
    )


# --- The sections ----------------------------------------------------------------------------


def measures_section(
    dates: tuple[dt.date, ...],
    baseline: dt.date | None,
    snapshots: dict[dt.date, EstablishmentSnapshot],
    leavers_fte: dict[dt.date, Decimal],
) -> Section:
    columns = (Column("measure", "Measure"),) + tuple(
        Column(day.isoformat(), column_heading(day, baseline=day == baseline)) for day in dates
    )

    def row(key: str, label: str, cell_for, footnotes: tuple[str, ...] = ()) -> Row:
        return Row(
            key=key,
            cells=(text_cell(label),) + tuple(cell_for(snapshots[day].total, day) for day in dates),
            footnotes=footnotes,
        )

    rows = (
        row(
            "turnover",
            "Turnover rate",
            lambda t, day: rate_cell(
                measures.turnover_rate(leavers_fte[day], t.in_post_fte), leavers_fte[day]
            ),
            ("turnover",),
        ),
        row("vacancy", "Vacancy rate", lambda t, day: rate_cell(t.vacancy_rate, t.vacancy_fte), ("vacancy",)),
        row("agency", "Agency rate", lambda t, day: rate_cell(t.agency_rate, t.agency_fte), ("agency",)),
        row(
            "permanent_fill",
            "Posts filled by permanent staff",
            lambda t, day: rate_cell(t.permanent_fill_rate),
            ("permanent_fill",),
        ),
        row(
            "vacancy_cover",
            "Vacancies covered by agency workers",
            lambda t, day: rate_cell(t.vacancy_agency_cover_rate, t.agency_covering_vacancies_fte),
            ("vacancy_cover",),
        ),
        row("establishment_fte", "Establishment (FTE)", lambda t, day: fte_cell(t.establishment_fte)),
        row(
            "in_post_fte",
            "Social workers in post (FTE)",
            lambda t, day: fte_cell(t.in_post_fte),
            ("in_post",),
        ),
        row(
            "in_post_headcount",
            "Social workers in post (headcount)",
            lambda t, day: count_cell(t.in_post_headcount),
            ("headcount",),
        ),
        row("agency_fte", "Agency workers (FTE)", lambda t, day: fte_cell(t.agency_fte)),
        row(
            "agency_headcount",
            "Agency workers (headcount)",
            lambda t, day: count_cell(t.agency_headcount),
            ("headcount",),
        ),
    )
    table = Table(key="measures", title="Turnover, vacancy and agency rates", columns=columns, rows=rows)
    chart = Chart(
        key="measures_chart",
        title="Turnover, vacancy and agency rates (%)",
        kind="line",
        table="measures",
        series_in="rows",
        rows=("turnover", "vacancy", "agency"),
        columns=tuple(day.isoformat() for day in dates),
        unit="%",
    )
    return Section(key="measures", title="Assessing impact", tables=(table,), charts=(chart,))


def vacancies_section(snapshot: EstablishmentSnapshot, roles: list[tuple[int, str]]) -> Section:
    rows = []
    for role_id, name in roles:
        figures = snapshot.by_role.get(role_id)
        if figures is None or not (figures.establishment_fte or figures.in_post_fte):
            continue
        rows.append(
            Row(
                key=f"role-{role_id}",
                cells=(
                    text_cell(name),
                    fte_cell(figures.establishment_fte),
                    fte_cell(figures.in_post_fte),
                    fte_cell(figures.vacancy_fte),
                    rate_cell(figures.vacancy_rate),
                ),
            )
        )
    total = snapshot.total
    rows.append(
        Row(
            key="total",
            cells=(
                text_cell("Total"),
                fte_cell(total.establishment_fte),
                fte_cell(total.in_post_fte),
                fte_cell(total.vacancy_fte),
                rate_cell(total.vacancy_rate),
            ),
            total=True,
        )
    )
    table = Table(
        key="vacancies_by_role",
        title="Vacancies by role (FTE)",
        columns=(
            Column("role", "Role"),
            Column("establishment", "Establishment FTE"),
            Column("in_post", "In post FTE"),
            Column("vacancy", "Vacancy FTE"),
            Column("vacancy_rate", "Vacancy rate"),
        ),
        rows=tuple(rows),
        footnotes=("vacancy",),
    )
    return Section(key="vacancies", title="Vacancies", tables=(table,))


def agency_section(snapshot: EstablishmentSnapshot) -> Section:
    rows = [
        Row(
            key=reason.value,
            cells=(
                text_cell(reason.label),
                fte_cell(snapshot.agency_fte_by_reason.get(reason.value, D0)),
                count_cell(snapshot.agency_headcount_by_reason.get(reason.value, 0)),
            ),
        )
        for reason in AgencyReason
    ]
    rows.append(
        Row(
            key="total",
            cells=(
                text_cell("Total"),
                fte_cell(snapshot.total.agency_fte),
                count_cell(snapshot.total.agency_headcount),
            ),
            total=True,
        )
    )
    table = Table(
        key="agency_by_reason",
        title="Agency workers by reason",
        columns=(Column("reason", "Reason"), Column("fte", "FTE"), Column("headcount", "Headcount")),
        rows=tuple(rows),
        footnotes=("headcount",),
    )
    return Section(key="agency", title="Agency workers", tables=(table,))


def permanent_fill_section(
    dates: tuple[dt.date, ...], baseline: dt.date | None, snapshots: dict[dt.date, EstablishmentSnapshot]
) -> Section:
    target = Decimal(settings.WORKFORCE.get("PERMANENT_FILL_TARGET", "85"))
    rows = []
    for day in dates:
        total = snapshots[day].total
        rows.append(
            Row(
                key=day.isoformat(),
                cells=(
                    text_cell(column_heading(day, baseline=day == baseline)),
                    fte_cell(total.establishment_fte),
                    fte_cell(total.vacancy_fte),
                    rate_cell(total.permanent_fill_rate),
                    rate_cell(
                        measures.agency_fill_rate(
                            total.agency_covering_vacancies_fte, total.establishment_fte
                        )
                    ),
                    rate_cell(target),
                ),
            )
        )
    table = Table(
        key="permanent_fill",
        title="Posts filled by permanent staff against the target",
        columns=(
            Column("date", "Date"),
            Column("establishment", "Establishment FTE"),
            Column("vacancy", "Vacancy FTE"),
            Column("permanent", "Filled by permanent staff"),
            Column("agency", "Filled by agency staff"),
            Column("target", "Target"),
        ),
        rows=tuple(rows),
        footnotes=("permanent_fill", "agency_fill"),
    )
    return Section(key="permanent_fill", title="Posts filled by permanent staff", tables=(table,))


def _headcount_rows(
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


def _count_row(key: str, label: str, count: int, of: int, *, total: bool = False) -> Row:
    """Return a row of (label, count, % of ``of``)."""
    return Row(
        key=key,
        cells=(text_cell(label), count_cell(count), rate_cell(measures.percentage(count, of))),
        total=total,
    )


def starters_section(starters: analysis.StartersByOrigin) -> Section:
    rows = _headcount_rows(
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
    return Section(key="starters", title="Starters", tables=(table,))


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


def recruitment_section(funnel: Funnel) -> Section:
    rows = [
        _funnel_row(f"role-{row.role_id}", row.role_name, row)
        for row in funnel.rows
        if row.received or row.started
    ]
    rows.append(_funnel_row("total", "Total (newly qualified excluded)", funnel.total, total=True))
    rows.append(_funnel_row("newly_qualified", "Newly qualified (all roles)", funnel.newly_qualified))
    table = Table(
        key="recruitment_funnel",
        title="Recruitment funnel",
        columns=(
            Column("role", "Role"),
            Column("received", "Applications received"),
            Column("interviewed", "Interviewed"),
            Column("offered", "Offered"),
            Column("accepted", "Accepted"),
            Column("started", "Started"),
            Column("offer_rate", "Offered, % of received"),
            Column("internal_offers", "Offers to internal candidates"),
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
                cells=(text_cell("Starts (newly qualified included)"), count_cell(funnel.starts)),
            ),
            Row(key="cost_per_start", cells=(text_cell("Cost per start"), money_cell(funnel.cost_per_start))),
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
    return Section(key="recruitment", title="Recruitment activity", tables=(table, cost), charts=charts)


def leavers_section(leavers: LeaversAnalysis) -> Section:
    share_columns = (Column("label", ""), Column("count", "Leavers"), Column("percent", "% of leavers"))
    headline = Table(
        key="leavers_summary",
        title="Leavers",
        columns=(Column("measure", "Measure"), Column("count", "Leavers"), Column("percent", "% of leavers")),
        rows=(
            _count_row("total", "Leavers", leavers.total, leavers.total, total=True),
            Row(
                key="fte",
                cells=(text_cell("Leavers (FTE at leaving)"), fte_cell(leavers.total_fte), text_cell("")),
            ),
            _count_row("under_3_years", "Less than 3 years' service", leavers.under_3_years, leavers.total),
            _count_row("under_1_year", "Less than 1 year's service", leavers.under_1_year, leavers.total),
            _count_row(
                "without_conversation",
                "No exit conversation recorded yet",
                leavers.without_conversation,
                leavers.total,
            ),
        ),
        footnotes=("leavers",),
    )
    tables = (
        headline,
        Table(
            key="leavers_by_category",
            title="Leavers by leaving category",
            columns=(Column("category", "Category"),) + share_columns[1:],
            rows=_share_rows(leavers.by_category),
        ),
        Table(
            key="leavers_by_service",
            title="Leavers by length of service",
            columns=(Column("band", "Length of service"),) + share_columns[1:],
            rows=_share_rows(leavers.service_bands),
            footnotes=("service",),
        ),
        Table(
            key="leavers_reasons",
            title="Reasons for leaving captured by managers",
            columns=(
                Column("reason", "Reason"),
                Column("count", "Leavers citing it"),
                Column("percent", "% of leavers"),
            ),
            rows=_share_rows(leavers.citing_reason),
            footnotes=("reasons",),
        ),
        Table(
            key="leavers_by_destination",
            title="Where leavers went",
            columns=(Column("destination", "Destination"),) + share_columns[1:],
            rows=_share_rows(leavers.by_destination),
            footnotes=("destination",),
        ),
    )
    reasons = tables[3]
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
        key="leavers", title="Analysis of leavers", tables=tables, charts=charts, quotes=tuple(leavers.quotes)
    )


def experience_section(profile: analysis.ExperienceProfile) -> Section:
    rows = _headcount_rows(
        [
            (band.key, band.label, band.headcount, band.fte)
            for band in profile.bands
            if band.key != analysis.NOT_RECORDED or band.headcount
        ],
        profile.headcount,
        profile.fte,
    )
    table = Table(
        key="experience",
        title="Social workers in post by time since qualifying",
        columns=(
            Column("band", "Time since qualifying"),
            Column("headcount", "Headcount"),
            Column("fte", "FTE"),
            Column("percent", "% of headcount"),
        ),
        rows=tuple(rows),
        footnotes=("experience",),
    )
    return Section(key="experience", title="Experience of the workforce", tables=(table,))


def absence_section(absence: analysis.AbsenceFigures) -> Section:
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
    return Section(key="absence", title="Sickness and other absence", tables=(headline, by_reason))


def strategy_section(progress: StrategyProgress) -> Section:
    rows = [
        *(
            _count_row(status.value, status.label, progress.by_status.get(status.value, 0), progress.total)
            for status in ActionStatus
        ),
        _count_row("total", "Total", progress.total, progress.total, total=True),
        _count_row("overdue", "Not complete and past their due date", progress.overdue, progress.total),
    ]
    table = Table(
        key="strategy",
        title="Strategy actions by status",
        columns=(Column("status", "Status"), Column("actions", "Actions"), Column("percent", "% of actions")),
        rows=tuple(rows),
        footnotes=("strategy",),
        people=False,
    )
    return Section(key="strategy", title="Progress against the strategy", tables=(table,))


def agency_spend_section(spend: AgencySpend) -> Section:
    rows = [
        Row(key="period", cells=(text_cell("Budget period"), text_cell(spend.period_label))),
        Row(key="budget", cells=(text_cell("Agency budget"), money_cell(spend.budget))),
        Row(
            key="spend",
            cells=(
                text_cell(f"Spend from {long_date(spend.start)} to {long_date(spend.end)}"),
                money_cell(spend.spend),
            ),
        ),
        Row(key="basis", cells=(text_cell("Spend based on"), text_cell(_sentence_case(spend.basis_text)))),
        Row(
            key="budget_to_date",
            cells=(
                text_cell("Budget for the same part of the period (pro rata)"),
                money_cell(spend.budget_to_date),
            ),
        ),
        Row(
            key="spend_percent",
            cells=(
                text_cell("Spend as % of the pro rata budget"),
                rate_cell(
                    measures.percentage(spend.spend, spend.budget_to_date) if spend.budget_to_date else None
                ),
            ),
        ),
        Row(
            key="projected",
            cells=(
                text_cell("Projected spend for the whole period at this rate"),
                money_cell(spend.projected),
            ),
        ),
        Row(
            key="projected_variance",
            cells=(
                text_cell("Projected over (under) budget"),
                money_cell(spend.projected - spend.budget if spend.budget is not None else None),
            ),
        ),
    ]
    table = Table(
        key="agency_spend",
        title="Agency spend against budget",
        columns=(Column("measure", "Measure"), Column("value", "Value")),
        rows=tuple(rows),
        footnotes=("agency_spend",),
        people=False,
    )
    return Section(key="agency_spend", title="Agency spend against budget", tables=(table,))


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
