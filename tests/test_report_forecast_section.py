"""The committee report's optional "Looking ahead" section: the forecast, a shared scenario beside
it, why the rates moved, and every export carrying it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from planning.models import LeverKind
from planning.outlook import build_outlook
from reporting import forecast_section, frozen, services
from reporting.exporters import EXPORTERS
from reporting.outline import outline
from reporting.selectors import report_summary
from reporting.summary import build_committee_summary
from tests import factories
from tests import factories_planning as planning_f
from tests import factories_reporting as reporting_f
from tests.test_forecast import AS_OF, small_team  # noqa: F401 - the fixture

D = Decimal
DATES = [dt.date(2024, 3, 31)]


@pytest.fixture
def scenario(small_team):  # noqa: F811
    director = factories.user("director", "director", staff=True)
    lever = planning_f.lever(LeverKind.POSTS, role_code="social-worker", fte="5", team=small_team)
    return planning_f.scenario(owner=director, name="Five more posts", levers=[lever], shared=True)


def test_the_section_comes_after_the_measures_only_when_asked_for(small_team):  # noqa: F811
    without = build_committee_summary(as_of=AS_OF, comparison_dates=DATES)
    assert "forecast" not in [section.key for section in without.sections]
    summary = build_committee_summary(
        as_of=AS_OF, comparison_dates=DATES, forecast=forecast_section.Options()
    )
    assert [section.key for section in summary.sections][:2] == ["measures", "forecast"]
    keys = [part.key for part in outline(summary).parts]
    assert keys[keys.index("measures") + 1] == "forecast"


def test_the_forecast_table_shows_the_planning_forecast(small_team, scenario):  # noqa: F811
    summary = build_committee_summary(
        as_of=AS_OF, comparison_dates=DATES, forecast=forecast_section.Options(scenario_id=scenario.pk)
    )
    section = summary.section("forecast")
    table = section.table("forecast")
    expected = build_outlook(as_of=AS_OF, quarters=4, scenario=scenario)
    last = expected.base.quarters[-1]
    assert table.cell("vacancy", last.day.isoformat()).value == last.central.vacancy_rate
    assert table.cell("vacancy", AS_OF.isoformat()).text == "20.0% (2.0)"  # V 2 of V + S = 10
    with_five = expected.with_scenario.quarters[-1].central.vacancy_rate
    assert table.cell("vacancy_scenario", last.day.isoformat()).value == with_five
    assert section.charts[0].rows == ("vacancy", "agency", "vacancy_scenario", "agency_scenario")
    assert "With the scenario “Five more posts”" in section.sentence


def test_why_the_rates_moved_adds_up_in_the_report(small_team):  # noqa: F811
    summary = build_committee_summary(
        as_of=AS_OF, comparison_dates=DATES, forecast=forecast_section.Options()
    )
    movement = summary.section("forecast").table("rate_movement")
    change = movement.cell("change", "vacancy").value
    parts = [row.cells[1].value for row in movement.rows if not row.total]
    assert sum(parts) == change
    # 31 March: V 1 (P10) of 10 -> 10.0%; 30 June: V 2 of 10 -> 20.0% (P9's cover is agency).
    assert change == D("10.0")
    assert "Between 31 March 2024 and 30 June 2024 the vacancy rate rose from 10.0% to 20.0%" in (
        summary.section("forecast").sentence
    )


def test_a_report_asks_for_the_section_and_keeps_it_when_published(small_team, scenario):  # noqa: F811
    report = reporting_f.report(as_at=AS_OF, comparison_dates="2024-03-31")
    report.forecast_included = True
    report.forecast_scenario = scenario
    services.save_report(report=report)
    assert report_summary(report).section("forecast").table("forecast").has_row("vacancy_scenario")
    services.publish_report(report=report, user=None)
    report.refresh_from_db()
    published = frozen.load(report.frozen_summary)
    assert published.section("forecast") == report_summary(report).section("forecast")


def test_only_a_shared_scenario_goes_in_a_report(small_team):  # noqa: F811
    owner = factories.user("hr1", "hr", staff=True)
    private = planning_f.scenario(owner=owner, name="Mine")
    report = reporting_f.report(as_at=AS_OF)
    report.forecast_included, report.forecast_scenario = True, private
    with pytest.raises(ValidationError) as error:
        services.save_report(report=report)
    assert "shared scenario" in str(error.value)


@pytest.mark.parametrize("identifier", ["docx", "xlsx", "pdf", "html", "json", "csv"])
def test_every_export_carries_the_section(small_team, scenario, identifier):  # noqa: F811
    summary = build_committee_summary(
        as_of=AS_OF, comparison_dates=DATES, forecast=forecast_section.Options(scenario_id=scenario.pk)
    )
    _, _, content = EXPORTERS[identifier].render(summary)
    if identifier == "docx":
        text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs)
        assert "Looking ahead" in text
    elif identifier == "xlsx":
        book = load_workbook(io.BytesIO(content))
        cells = {cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row}
        assert "Vacancy rate: range" in cells and "Leavers" in cells
    elif identifier in {"html", "json"}:
        assert b"Looking ahead" in content
    else:
        assert content
