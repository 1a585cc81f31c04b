"""The sections at a date: the measures table, vacancies by role, agency workers by reason,
posts filled by permanent staff against the target, and the workforce's experience."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings

from foundation import measures
from reporting.figures import (
    Chart,
    Column,
    Row,
    Section,
    Table,
    column_heading,
    count_cell,
    fte_cell,
    rate_cell,
    text_cell,
)
from reporting.sections.base import D0, headcount_rows
from workforce import analysis
from workforce.models import AgencyReason
from workforce.selectors import EstablishmentSnapshot


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
            Column("permanent", "Permanent, % of establishment"),
            Column("agency", "Agency, % of establishment"),
            Column("target", "Target for permanent"),
        ),
        rows=tuple(rows),
        footnotes=("permanent_fill", "agency_fill"),
    )
    return Section(key="permanent_fill", title="Posts filled by permanent staff", tables=(table,))


def experience_section(profile: analysis.ExperienceProfile) -> Section:
    rows = headcount_rows(
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
