"""Publishing a committee report: the figures frozen with who and when, a published paper
untouched by later corrections, what would differ today, and small counts withheld."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from leavers import services as leaver_services
from reporting import frozen, services
from reporting.exporters import EXPORTERS
from reporting.models import CommitteeReport, ExportLog, ReportStatus
from reporting.selectors import changes_since_published, report_summary
from tests import factories
from tests import factories_leavers as lf
from tests import factories_reporting as fr
from workforce import services as workforce_services
from workforce.models import Assignment

pytestmark = pytest.mark.django_db
JUNE = "2019-06-30"


@pytest.fixture
def director(db):
    return factories.user("ad", "director", staff=True, first_name="Sharon", last_name="Director")


@pytest.fixture
def report(worked_example):
    p5 = worked_example["posts"]["P5"]
    first = lf.employee_in(p5, fte="0.8", start=dt.date(2016, 1, 1))
    leaver_services.record_leaver(worker=first, leaving_date=dt.date(2018, 11, 30), category=lf.category())
    second = lf.employee_in(p5, fte="1.0", start=dt.date(2018, 12, 1))
    leaver_services.record_leaver(worker=second, leaving_date=dt.date(2019, 3, 31), category=lf.category())
    return fr.report(comparison_dates="2018-03-31, 2019-03-31")


def test_publishing_freezes_the_figures_with_who_and_when(report, director):
    with time_machine.travel(dt.datetime(2019, 8, 1, 10, 30, tzinfo=dt.UTC), tick=False):
        services.publish_report(report=report, user=director)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.published_by == director
    assert report.published_at == dt.datetime(2019, 8, 1, 10, 30, tzinfo=dt.UTC)
    figures = frozen.load(report.frozen_summary)
    assert figures.table("measures").cell("turnover", JUNE).text == "69.2% (1.8)"
    assert figures.table("measures").cell("vacancy", JUNE).text == "42.2% (1.9)"
    assert figures.built_at == report.published_at


def test_a_published_report_is_unchanged_after_its_records_are_edited(report, worked_example, director):
    services.publish_report(report=report, user=director)
    before = EXPORTERS["json"].render(report_summary(report))[2]

    # Corrections after publication: W1 turns out to have left in May, P5 was filled in April
    # and the agency cover of P3 ended in June.
    posts = worked_example["posts"]
    w1 = Assignment.objects.get(post=posts["P1"]).worker
    leaver_services.record_leaver(worker=w1, leaving_date=dt.date(2019, 5, 31), category=lf.category())
    factories.assign(posts["P5"], start=dt.date(2019, 4, 1))
    cover = Assignment.objects.agency().get(post=posts["P3"])
    workforce_services.end_assignment(assignment=cover, last_day=dt.date(2019, 6, 1))

    report.refresh_from_db()
    assert EXPORTERS["json"].render(report_summary(report))[2] == before
    assert report_summary(report).table("measures").cell("vacancy", JUNE).text == "42.2% (1.9)"


def test_its_page_can_show_what_would_differ_if_built_today(report, worked_example, director):
    services.publish_report(report=report, user=director)
    factories.assign(worked_example["posts"]["P5"], start=dt.date(2019, 4, 1))
    differences = {(d.table, d.row, d.column): (d.published, d.now) for d in changes_since_published(report)}
    assert differences[("Turnover, vacancy and agency rates", "Vacancy rate", "June 2019")] == (
        "42.2% (1.9)",
        "20.0% (0.9)",  # 0.9 / (0.9 + 3.6)
    )
    assert differences[("Vacancies by role (FTE)", "Team Manager", "Vacancy FTE")] == ("1.0", "0.0")


def test_nothing_differs_when_the_records_are_untouched(report, director):
    services.publish_report(report=report, user=director)
    assert changes_since_published(report) == []


def test_a_published_report_cannot_be_changed_or_published_again(report, director):
    services.publish_report(report=report, user=director)
    report.refresh_from_db()
    report.conclusion = "A quiet rewrite."
    with pytest.raises(ValidationError) as error:
        services.save_report(report=report)
    assert "status" in error.value.message_dict
    with pytest.raises(ValidationError, match="already been published"):
        services.publish_report(report=report, user=director)


def test_a_copy_of_a_published_report_is_a_new_draft(report, director):
    services.publish_report(report=report, user=director)
    copy = services.copy_report(report=report)
    assert copy.pk != report.pk and copy.status == ReportStatus.DRAFT and copy.frozen_summary is None
    assert copy.committee == report.committee


def test_small_counts_are_withheld_once_published_not_in_the_draft(report, director):
    assert report_summary(report).table("agency_by_reason").cell("total", "headcount").text == "3"
    services.publish_report(report=report, user=director)
    published = report_summary(report)
    assert published.table("agency_by_reason").cell("total", "headcount").text == "<5"
    assert published.suppression_threshold == 5


def test_edited_sentences_are_printed_and_survive_publication(report, director):
    report.sentences = {"vacancies": "At the end of June 2019 the department had 1.9 FTE vacancies."}
    services.save_report(report=report)
    services.publish_report(report=report, user=director)
    published = report_summary(report)
    assert (
        published.section("vacancies").sentence
        == "At the end of June 2019 the department had 1.9 FTE vacancies."
    )
    assert published.section("agency").sentence == published.section("agency").drafted


def test_comparison_dates_default_to_the_baseline_and_the_last_three_quarter_ends(db):
    report = fr.report(as_at=dt.date(2019, 6, 30))
    assert report.comparison_date_list() == [
        dt.date(2018, 3, 31),
        dt.date(2018, 12, 31),
        dt.date(2019, 3, 31),
        dt.date(2019, 6, 30),
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"comparison_dates": "2018-03-31, 31/12/2018"}, "comparison_dates", "'31/12/2018' is not a date"),
        ({"comparison_dates": "2019-09-30"}, "comparison_dates", "on or before the as-at date"),
        ({"scope": "team:Nowhere"}, "scope", "Unknown team 'Nowhere'"),
        ({"status": ReportStatus.PUBLISHED}, "status", "Publish button"),
    ],
)
def test_a_report_that_cannot_be_built_names_the_field(db, fields, field, message):
    with pytest.raises(ValidationError) as error:
        fr.report(**fields)
    assert message in " ".join(error.value.message_dict[field])


def test_the_scope_is_kept_by_id_so_a_renamed_team_keeps_its_report(worked_example, director):
    team = worked_example["team"]
    report = fr.report(scope=f"team:{team.name}")
    assert report.scope == f"team:{team.pk}"
    team.name = "Renamed Team"
    team.save()
    assert report_summary(report).scope_label == "Renamed Team"


def test_exports_are_logged_with_who_which_report_and_format(report, director):
    services.publish_report(report=report, user=director)
    services.log_export(user=director, format="pdf", as_at=report.as_at, scope=report.scope, report=report)
    entry = ExportLog.objects.get()
    assert (entry.user, entry.report, entry.format, entry.published_figures) == (
        director,
        report,
        "pdf",
        True,
    )
    assert entry.created_at <= timezone.now()


def test_every_change_to_a_report_is_kept_in_its_history(report):
    report.conclusion = "Recruitment remains hard."
    services.save_report(report=report)
    assert report.history.count() == 2
    assert CommitteeReport.history.model._meta.get_field("conclusion")
