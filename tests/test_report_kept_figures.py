"""A draft report's figures are kept in the shared cache while nothing they are built from
changes: opened again or exported, the draft is not built again; a change to the records,
to the report or to the day builds it afresh."""

import datetime as dt
import re
from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from reporting import selectors, services
from reporting.data_version import data_version
from reporting.summary import build_committee_summary
from tests import factories
from tests import factories_reporting as fr
from workforce.models import Contract

pytestmark = pytest.mark.django_db
JUNE = dt.date(2019, 6, 30)


@pytest.fixture
def builds():
    with mock.patch("reporting.selectors.build_committee_summary", wraps=build_committee_summary) as built:
        yield built


def vacancy(summary) -> str:
    return summary.table("measures").cell("vacancy", JUNE.isoformat()).text


def test_a_draft_opened_again_is_not_built_again(client, worked_example, builds):
    draft = fr.report()
    client.force_login(factories.user("director-user", "director"))
    for _ in range(2):
        page = client.get(reverse("reporting:report", args=[draft.pk])).content.decode()
        assert "42.2% (1.9)" in page  # DOMAIN.md's worked example: 1.9 of 4.5 FTE vacant
    assert builds.call_count == 1
    assert vacancy(selectors.report_summary(draft)) == "42.2% (1.9)"
    assert builds.call_count == 1


def test_a_change_to_the_records_builds_the_draft_afresh(worked_example, builds):
    draft = fr.report()
    assert vacancy(selectors.report_summary(draft)) == "42.2% (1.9)"
    # P5, the vacant team manager post (1.0 FTE), filled: 0.9 of the 4.5 FTE vacant.
    factories.assign(worked_example["posts"]["P5"], fte="1.0", contract=Contract.PERMANENT)
    assert vacancy(selectors.report_summary(draft)) == "20.0% (0.9)"
    assert builds.call_count == 2


def test_a_change_to_the_report_builds_it_afresh(worked_example, builds):
    draft = fr.report()
    selectors.report_summary(draft)
    draft.as_at = dt.date(2019, 9, 30)
    services.save_report(report=draft)
    summary = selectors.report_summary(draft)
    assert builds.call_count == 2
    assert summary.as_of == dt.date(2019, 9, 30)


def test_the_next_day_builds_it_afresh(worked_example, builds):
    draft = fr.report()
    with time_machine.travel(dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC), tick=False):
        selectors.report_summary(draft)
        selectors.report_summary(draft)
    with time_machine.travel(dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC), tick=False):
        selectors.report_summary(draft)
    assert builds.call_count == 2


def test_a_published_report_shows_its_frozen_figures_not_kept_ones(worked_example, builds):
    report = fr.report()
    services.publish_report(report=report, user=None)
    factories.assign(worked_example["posts"]["P5"], fte="1.0", contract=Contract.PERMANENT)
    assert vacancy(selectors.report_summary(report)) == "42.2% (1.9)"  # as published
    assert builds.call_count == 1  # publishing built it; showing it builds nothing


def test_a_change_to_a_forecast_scenario_changes_the_version_of_the_records(db):
    """A report with the forecast shows a scenario's levers (the planning app's records)."""
    from planning import services as planning_services
    from planning.models import Scenario

    owner = factories.user("planner", "hr")
    scenario = planning_services.save_scenario(
        scenario=Scenario(name="More newly qualified", owner=owner, shared=True), levers=[], user=owner
    )
    before = data_version()
    scenario.description = "Two more cohorts a year."
    planning_services.save_scenario(scenario=scenario, levers=[], user=owner)
    assert data_version() != before


def test_an_export_leaves_the_version_of_the_records_and_the_kept_figures_alone(worked_example, builds):
    """Every export is logged (``ExportLog``); no figure reads that log, so logging one must
    not put the dashboard's or a draft's kept figures out of date."""
    draft = fr.report()
    before = data_version()
    selectors.report_summary(draft)
    services.log_export(user=None, format="pdf", as_at=draft.as_at, scope=draft.scope, report=draft)
    assert data_version() == before
    selectors.report_summary(draft)
    assert builds.call_count == 1


def test_a_draft_s_charts_drawn_by_one_process_are_not_drawn_again_by_another(client, worked_example):
    """A web worker just started (a reload) finds the charts another drew in the shared
    cache: opening the draft there draws none."""
    from reporting import charts

    draft = fr.report()
    client.force_login(factories.user("director-user", "director"))
    first = client.get(reverse("reporting:report", args=[draft.pk])).content.decode()
    assert first.count("<svg") >= 2
    charts._DRAWN.clear()  # another process: nothing drawn in it yet
    with mock.patch("reporting.charts._figure", side_effect=AssertionError("drawn again")):
        again = client.get(reverse("reporting:report", args=[draft.pk])).content.decode()
    assert re.findall(r"<svg.*?</svg>", again, re.S) == re.findall(r"<svg.*?</svg>", first, re.S)


@pytest.mark.queue
def test_after_a_change_the_preview_shows_the_older_figures_marked_while_the_worker_builds(
    client, worked_example, queue
):
    """An import changes the records: the director's next preview shows the figures built
    before it at once, saying so, and the task worker builds the current ones (queued once);
    an export meanwhile takes the records as they are, never the older figures."""
    draft = fr.report()
    client.force_login(factories.user("director-user", "director"))
    url = reverse("reporting:report", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "42.2% (1.9)" in page and "figures-updating" not in page
    factories.assign(worked_example["posts"]["P5"], fte="1.0", contract=Contract.PERMANENT)  # 0.9 vacant
    queue.commit()
    for _ in range(2):
        page = client.get(url).content.decode()
        assert "42.2% (1.9)" in page and "20.0% (0.9)" not in page
        assert "Records have changed since these figures were worked out" in page
        assert "Publishing freezes the figures of the records as they are when you publish" in page
    assert queue.waiting() == 1  # one build queued, however many visits
    queue.run()
    page = client.get(url).content.decode()
    assert "20.0% (0.9)" in page and "figures-updating" not in page
    assert "Publishing freezes exactly the figures shown below" in page


def test_an_export_after_a_change_takes_the_records_as_they_are(worked_example, builds):
    draft = fr.report()
    assert selectors.draft_preview(draft).updating is False
    factories.assign(worked_example["posts"]["P5"], fte="1.0", contract=Contract.PERMANENT)
    assert vacancy(selectors.report_summary(draft)) == "20.0% (0.9)"  # what an export uses
    assert builds.call_count == 2
