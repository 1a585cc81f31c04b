"""The committee reports stage of the demonstration: the strategy's actions, an agency
budget, the previous quarter's paper published and the latest in draft."""

import datetime as dt

import pytest

from reporting import demo_stage, frozen
from reporting.exporters import EXPORTERS
from reporting.models import ActionStatus, AgencyBudget, CommitteeReport, ReportStatus, StrategyAction
from reporting.selectors import changes_since_published, report_summary

TODAY = dt.date(2026, 11, 22)


@pytest.mark.django_db
def test_the_strategy_has_24_actions_20_complete_and_4_partial(demo):
    assert StrategyAction.objects.count() == 24
    assert StrategyAction.objects.filter(status=ActionStatus.COMPLETE).count() == 20
    assert StrategyAction.objects.filter(status=ActionStatus.PARTIAL).count() == 4


@pytest.mark.django_db
def test_an_agency_budget_for_the_financial_year_and_the_one_before(demo):
    budgets = AgencyBudget.objects.order_by("period_start")
    assert [(budget.period_start, budget.period_end) for budget in budgets] == [
        (dt.date(2025, 4, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2027, 3, 31)),
    ]


@pytest.mark.django_db
def test_the_previous_quarter_is_published_and_the_latest_is_a_draft(demo):
    published = CommitteeReport.objects.get(status=ReportStatus.PUBLISHED)
    draft = CommitteeReport.objects.get(status=ReportStatus.DRAFT)
    assert published.as_at == dt.date(2026, 6, 30) and draft.as_at == dt.date(2026, 9, 30)
    figures = frozen.load(published.frozen_summary)
    assert figures.section("strategy").sentence.startswith(
        "The implementation plan for the strategy has a total of 24 actions identified. Of these, 20 have "
        "been completed and 4 are partially completed."
    )
    assert figures.table("leavers_summary").cell("total", "count").value > 0
    assert figures.table("agency_spend").cell("budget", "value").value == 3000000
    assert changes_since_published(published) == []


@pytest.mark.django_db
def test_the_draft_exports_as_a_paper(demo):
    draft = CommitteeReport.objects.get(status=ReportStatus.DRAFT)
    summary = report_summary(draft)
    assert summary.dates[0] == dt.date(2025, 3, 31) and summary.dates[-1] == dt.date(2026, 9, 30)
    _, _, content = EXPORTERS["docx"].render(summary)
    assert content[:2] == b"PK"


@pytest.mark.django_db
def test_running_the_stage_again_adds_nothing(demo):
    assert demo_stage.build(today=TODAY) is False
    assert CommitteeReport.objects.count() == 2 and StrategyAction.objects.count() == 24
