"""The committee summary: DOMAIN.md's worked example, the papers' tables and sentences,
the council's settings in the definitions, and a query count that does not grow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import override_settings

from foundation.windows import Window
from leavers import services as leaver_services
from reporting.summary import build_committee_summary
from tests import factories
from tests import factories_leavers as lf
from tests import factories_reporting as fr
from workforce.models import AgencyReason, Contract, StartOrigin

pytestmark = pytest.mark.django_db
D = Decimal
JUNE_2019 = dt.date(2019, 6, 30)
COMPARISON = [dt.date(2018, 3, 31), dt.date(2018, 12, 31), dt.date(2019, 3, 31)]


def build(**kwargs):
    kwargs.setdefault("as_of", JUNE_2019)
    kwargs.setdefault("comparison_dates", COMPARISON)
    return build_committee_summary(**kwargs)


def add_worked_example_leavers(worked_example) -> None:
    """DOMAIN.md: leavers of 0.8 FTE on 30 Nov 2018 and 1.0 FTE on 31 Mar 2019, both from P5."""
    p5 = worked_example["posts"]["P5"]
    first = lf.employee_in(p5, fte="0.8", start=dt.date(2016, 1, 1))
    leaver_services.record_leaver(worker=first, leaving_date=dt.date(2018, 11, 30), category=lf.category())
    second = lf.employee_in(p5, fte="1.0", start=dt.date(2018, 12, 1))
    leaver_services.record_leaver(worker=second, leaving_date=dt.date(2019, 3, 31), category=lf.category())


# --- The worked example -------------------------------------------------------------------


def test_worked_example_measures_with_the_real_leavers(worked_example):
    add_worked_example_leavers(worked_example)
    table = build().table("measures")
    june = JUNE_2019.isoformat()
    assert table.cell("vacancy", june).text == "42.2% (1.9)"
    assert table.cell("agency", june).text == "49.0% (2.5)"
    assert table.cell("permanent_fill", june).text == "57.8%"
    assert table.cell("turnover", june).text == "69.2% (1.8)"
    assert table.cell("in_post_headcount", june).text == "3"
    assert table.cell("agency_headcount", june).text == "3"


def test_worked_example_measures_with_leavers_stubbed(worked_example, monkeypatch):
    stubs = fr.install_stubs(monkeypatch)
    stubs.leavers_fte_by_end[JUNE_2019] = D("1.8")
    summary = build()
    june = JUNE_2019.isoformat()
    assert summary.table("measures").cell("turnover", june).value == D("69.2")
    assert summary.table("measures").cell("turnover", june).fte == D("1.8")
    assert summary.table("permanent_fill").cell(june, "permanent").text == "57.8%"
    # Agency covering vacancies: 0.5 of the 4.5 establishment FTE.
    assert summary.table("permanent_fill").cell(june, "agency").text == "11.1%"
    assert summary.table("measures").cell("vacancy_cover", june).text == "26.3% (0.5)"
    # Turnover at each date is over the 12 months to it.
    assert f"leavers_fte 2018-07-01 {june}" in stubs.calls
    assert "leavers_fte 2017-04-01 2018-03-31" in stubs.calls


def test_measures_table_has_the_baseline_then_each_quarter_end(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    table = build().table("measures")
    assert [c.heading for c in table.columns] == [
        "Measure",
        "Baseline (March 2018)",
        "December 2018",
        "March 2019",
        "June 2019",
    ]
    # Before the maternity cover started on 1 March 2019 there was 1.5 FTE agency.
    assert table.cell("agency", "2018-12-31").text == "36.6% (1.5)"
    assert table.cell("agency", "2019-03-31").text == "49.0% (2.5)"


def test_an_as_at_date_that_is_not_a_month_end_is_headed_by_its_full_date(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    table = build(as_of=dt.date(2019, 7, 4)).table("measures")
    assert table.columns[-1].heading == "4 July 2019"


def test_comparison_dates_after_the_as_at_date_are_refused(db, monkeypatch):
    fr.install_stubs(monkeypatch)
    with pytest.raises(ValueError, match="on or before"):
        build(comparison_dates=[dt.date(2019, 9, 30)])


def test_a_zero_denominator_shows_a_dash_never_zero(db, monkeypatch):
    fr.install_stubs(monkeypatch)
    summary = build()
    cell = summary.table("measures").cell("vacancy", JUNE_2019.isoformat())
    assert cell.text == "–" and cell.value is None
    sentence = summary.section("measures").sentence
    assert "there is no vacancy rate at either date (nothing to divide by)" in sentence


# --- The papers' tables and sentences --------------------------------------------------------


@pytest.fixture
def leicestershire_vacancies(db):
    """As at 30 June 2019: 15 social worker, 6.5 senior practitioner and 3.5 team manager vacancies."""
    team = factories.team("Vacancies Team")
    for _ in range(15):
        factories.post(team=team)
    for fte in ["1.0"] * 6 + ["0.5"]:
        factories.post(team=team, role_code="senior-practitioner", fte=fte)
    for fte in ("1.0", "1.0", "1.0", "0.5"):
        factories.post(team=team, role_code="team-manager", fte=fte)
    held = factories.post(team=team)
    factories.assign(held, fte="1.0")
    return team


def test_vacancies_sentence_reads_as_the_paper(leicestershire_vacancies, monkeypatch):
    fr.install_stubs(monkeypatch)
    section = build().section("vacancies")
    assert section.sentence.startswith(
        "As of 30 June 2019 there are 15.0 FTE social worker vacancies, 6.5 FTE senior practitioner "
        "vacancies and 3.5 FTE team manager vacancies."
    )
    table = section.table("vacancies_by_role")
    assert [row.label for row in table.rows] == [
        "Social Worker",
        "Senior Practitioner",
        "Team Manager",
        "Total",
    ]
    assert table.cell("total", "vacancy").text == "25.0"
    assert table.cell("total", "establishment").text == "26.0"


def test_agency_workers_by_reason_with_a_total(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    section = build().section("agency")
    table = section.table("agency_by_reason")
    assert [row.label for row in table.rows] == [
        "Covering vacancies",
        "Covering maternity",
        "Covering long term sickness",
        "Awaiting transfer to permanent roles",
        "ASYE support",
        "Additional capacity",
        "Total",
    ]
    assert table.cell(AgencyReason.VACANCY, "fte").text == "0.5"
    assert table.cell(AgencyReason.MATERNITY, "fte").text == "1.0"
    assert table.cell(AgencyReason.ADDITIONAL_CAPACITY, "fte").text == "1.0"
    assert table.cell("total", "fte").text == "2.5"
    assert table.cell("total", "headcount").text == "3"
    assert section.sentence == (
        "At 30 June 2019 there were 2.5 FTE agency workers (3 people), broken down by the reason they "
        "were engaged as follows."
    )


def test_permanent_fill_against_the_target_from_settings(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    with override_settings(WORKFORCE={**settings.WORKFORCE, "PERMANENT_FILL_TARGET": D("50")}):
        summary = build()
    section = summary.section("permanent_fill")
    assert section.table("permanent_fill").cell(JUNE_2019.isoformat(), "target").text == "50%"
    assert section.sentence == (
        "Across all teams at 30 June 2019, 57.8% of posts were filled by permanent employees (compared to "
        "57.8% at 31 March 2018) with a further 11.1% being filled by agency staff (compared to 11.1% at "
        "31 March 2018). This meets the target of 50%."
    )
    assert "against a target of 50%" in summary.definition("permanent_fill").text


def test_permanent_fill_short_of_the_default_target(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    sentence = build().section("permanent_fill").sentence
    assert sentence.endswith("The target of 85% has not been met.")


@override_settings(WORKFORCE={**settings.WORKFORCE, "VACANCY_RATE_DENOMINATOR": "in_post"})
def test_a_council_dividing_vacancies_by_social_workers_in_post(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    summary = build()
    # V / S = 1.9 / 2.6, the footnoted definition of the 2019 paper.
    assert summary.table("measures").cell("vacancy", JUNE_2019.isoformat()).text == "73.1% (1.9)"
    assert "divided by the FTE of social workers in post" in summary.definition("vacancy").text


def test_definitions_are_footnoted_on_the_rows_they_define(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    summary = build()
    measures = summary.table("measures")
    assert measures.row("turnover").footnotes == ("turnover",)
    assert summary.footnote_number("turnover") == 2  # after the scope
    assert "An agency worker's assignment ending is not a leaver" in summary.definition("turnover").text


def test_the_measures_sentence_says_which_way_each_rate_moved(worked_example, monkeypatch):
    stubs = fr.install_stubs(monkeypatch)
    stubs.leavers_fte_by_end[JUNE_2019] = D("1.8")
    sentence = build().section("measures").sentence
    assert sentence.startswith(
        "Since the baseline (March 2018) the turnover rate has risen from 0.0% to 69.2%, the vacancy "
        "rate is unchanged at 42.2% and the agency rate has risen from 36.6% to 49.0%."
    )


def test_recruitment_funnel_as_the_2016_paper_tabulates_it(worked_example, monkeypatch):
    stubs = fr.install_stubs(monkeypatch)
    sw, sp, tm = (factories.role(code) for code in ("social-worker", "senior-practitioner", "team-manager"))
    stubs.funnel = fr.funnel(
        start=dt.date(2018, 7, 1),
        end=JUNE_2019,
        rows=[
            fr.funnel_row(sw.pk, "Social Worker", received=114, interviewed=35, offered=26, started=20),
            fr.funnel_row(
                sp.pk, "Senior Practitioner", received=66, interviewed=47, offered=23, internal_offered=15
            ),
            fr.funnel_row(
                tm.pk, "Team Manager", received=52, interviewed=27, offered=16, internal_offered=11
            ),
        ],
        newly_qualified=fr.funnel_row(None, "Newly qualified", received=80, offered=46),
        campaign_cost="12000",
        starts=40,
    )
    section = build().section("recruitment")
    table = section.table("recruitment_funnel")
    assert [row.cells[1].text for row in table.rows] == ["114", "66", "52", "232", "80"]
    assert table.cell(f"role-{sw.pk}", "offered").text == "26"
    assert table.cell("total", "offer_rate").text == "28.0%"  # 65 / 232
    assert table.cell("total", "internal_offers").text == "40.0%"  # 26 / 65
    assert section.table("recruitment_cost").cell("cost_per_start", "value").text == "£300"
    assert section.sentence == (
        "In the 12 months to 30 June 2019, 232 applications were received for social work and "
        "management posts (newly qualified applicants excluded): 109 were interviewed, 65 were offered a "
        "post and 20 started by the end of the window; 40.0% of the offers were to internal candidates. "
        "A further 80 newly qualified applications were received, and 46 offered a post."
    )


def test_leavers_analysis_as_the_2016_paper_summarises_it(db, monkeypatch):
    stubs = fr.install_stubs(monkeypatch)
    stubs.analysis = fr.leavers_analysis(
        start=dt.date(2018, 7, 1),
        end=JUNE_2019,
        total=144,
        total_fte="130.5",
        categories=[
            ("new-employment", "Resignation to new employment", 60),
            ("other", "Resignation – other", 32),
            ("personal", "Resignation – personal / domestic reasons", 14),
            ("retirement", "Normal retirement", 14),
            ("fixed-term", "End of fixed term", 24),
        ],
        reasons=[
            ("better-pay", "Better pay elsewhere", 11),
            ("workload", "Workload and work-life balance", 3),
        ],
        bands={"<1": 23, "1-3": 33, "3-5": 40, "5-10": 30, "10+": 18},
        without_conversation=12,
        quotes=["had a 2 hour journey each way from home by train and decided to work closer to home"],
    )
    section = build().section("leavers")
    assert section.sentence == (
        "Of the 144 leavers in the 12 months to 30 June 2019 (130.5 FTE), the highest proportions were in "
        "the following categories: resignation to new employment, 60 (41.7%); resignation – other, 32 "
        "(22.2%); end of fixed term, 24 (16.7%); resignation – personal / domestic reasons, 14 (9.7%). "
        "56 (38.9%) had less than 3 years' service and, of these, 23 (16.0%) had less than 1 year's "
        "service."
    )
    reasons = build().section("reasons")
    assert reasons.table("leavers_reasons").cell("better-pay", "percent").text == "7.6%"  # 11 / 144
    destinations = reasons.table("leavers_by_destination")
    assert destinations.cell("without_conversation", "percent").text == "8.3%"  # 12 / 144
    assert destinations.cell("total", "count").text == "144"
    assert reasons.sentence == (
        "There were 144 leavers in the 12 months to 30 June 2019; 12 leavers have no exit conversation "
        "recorded yet (8.3% of leavers), so the reasons below are incomplete. The reasons most often cited "
        "were: better pay elsewhere, 11 (7.6%); workload and work-life balance, 3 (2.1%)."
    )
    assert reasons.quotes == (
        "had a 2 hour journey each way from home by train and decided to work closer to home",
    )
    assert [chart.key for chart in reasons.charts] == ["leavers_chart"]


def test_strategy_progress_reads_as_the_2019_paper(db, monkeypatch):
    fr.install_stubs(monkeypatch)
    fr.strategy_actions(20, 4, due=dt.date(2019, 9, 30))
    section = build().section("strategy")
    assert section.sentence == (
        "The implementation plan for the strategy has a total of 24 actions identified. Of these, 20 have "
        "been completed and 4 are partially completed."
    )
    assert section.table("strategy").cell("total", "actions").text == "24"


def test_strategy_actions_past_their_due_date_are_called_out(db, monkeypatch):
    fr.install_stubs(monkeypatch)
    fr.strategy_actions(2, 1, 1, due=dt.date(2019, 5, 31))
    section = build().section("strategy")
    assert "2 have been completed, 1 is partially completed and 1 has not been started" in section.sentence
    assert section.sentence.endswith("2 actions not yet complete are past the due date.")


def test_agency_spend_against_the_budget(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    fr.agency_budget(start=dt.date(2019, 4, 1), end=dt.date(2020, 3, 31), amount="250000")
    quarter = Window(dt.date(2019, 4, 1), JUNE_2019)
    section = build(windows={"agency_spend": quarter}).section("agency_spend")
    table = section.table("agency_spend")
    assert section.window == quarter
    # Three agency workers at £1,700 a week for the 91 days from 1 April to 30 June 2019.
    assert table.cell("spend", "value").value == D("66300.00")
    # £250,000 x 91 / 366 days of the year to 31 March 2020.
    assert table.cell("budget_to_date", "value").value == D("62158.47")
    assert table.cell("variance", "value").value == D("4141.53")
    assert table.cell("projected", "value").value == D("266657.14")  # 66,300 x 366 / 91
    assert section.sentence == (
        "Agency spend in the period 1 April 2019 to 30 June 2019 was £66,300, estimated from weekly charges "
        "as no supplier invoices are recorded, against a budget of £62,158 for the same days, so spend was "
        "£4,142 over budget (106.7% of the budget). At this rate spend for 2019/20 would be £266,657 against "
        "its budget of £250,000, £16,657 over budget."
    )


def test_agency_spend_over_a_window_across_two_budgets_takes_each_for_its_days(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    fr.agency_budget(start=dt.date(2018, 4, 1), end=dt.date(2019, 3, 31), amount="365000")
    fr.agency_budget(start=dt.date(2019, 4, 1), end=dt.date(2020, 3, 31), amount="366000")
    section = build().section("agency_spend")  # the 12 months to 30 June 2019
    table = section.table("agency_spend")
    # 2 workers x £1,700 x 365 / 7 days, and one x £1,700 x 122 / 7 (from 1 March 2019).
    assert table.cell("spend", "value").value == D("206914.29")
    # £1,000 a day in both years: 274 days of 2018/19 and 91 of 2019/20.
    assert table.cell("budget_to_date", "value").value == D("365000.00")
    assert not table.has_row("projected")  # the window does not start with a budget period
    assert section.sentence == (
        "Agency spend in the 12 months to 30 June 2019 was £206,914, estimated from weekly charges as no "
        "supplier invoices are recorded, against a budget of £365,000 for the same days, so spend was "
        "£158,086 under budget (56.7% of the budget)."
    )


def test_agency_spend_with_a_budget_for_part_of_its_window_gives_no_verdict(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    fr.agency_budget(start=dt.date(2019, 4, 1), end=dt.date(2020, 3, 31), amount="250000")
    section = build().section("agency_spend")
    assert section.table("agency_spend").cell("budget_days", "value").text == "91 of 365"
    assert "over budget" not in section.sentence and "under budget" not in section.sentence
    assert "only 91 of 365 days of that window (£62,158 for those days)" in section.sentence


def test_agency_spend_without_a_budget(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    section = build().section("agency_spend")
    assert section.sentence == (
        "Agency spend in the 12 months to 30 June 2019 was £206,914, estimated from weekly charges as no "
        "supplier invoices are recorded. No agency budget is recorded for any part of the 12 months to 30 "
        "June 2019, so there is none to compare."
    )


def test_starters_experience_and_absence_sections(db, monkeypatch):
    fr.install_stubs(monkeypatch)
    team = factories.team()
    newly = factories.worker(start_origin=StartOrigin.NEWLY_QUALIFIED, date_qualified=dt.date(2018, 9, 1))
    factories.assign(factories.post(team=team), worker_=newly, start=dt.date(2018, 10, 1))
    from_la = factories.worker(start_origin=StartOrigin.OTHER_LA, date_qualified=dt.date(2016, 7, 1))
    factories.assign(factories.post(team=team), worker_=from_la, fte="0.5", start=dt.date(2019, 1, 7))
    veteran = factories.worker(date_qualified=dt.date(2001, 7, 1))
    factories.assign(factories.post(team=team), worker_=veteran)
    factories.absence(veteran, reason="SIC", start=dt.date(2019, 6, 3), end=dt.date(2019, 6, 7), days="5")

    summary = build()
    starters = summary.section("starters")
    assert starters.table("starters_by_origin").cell("1", "headcount").text == "1"
    assert starters.sentence == (
        "In the 12 months to 30 June 2019, 2 employees started in social work and management roles "
        "(1.5 FTE), 1 of them newly qualified."
    )
    experience = summary.section("experience")
    assert experience.table("experience").cell("asye", "headcount").text == "1"
    assert experience.table("experience").cell("2_to_5", "fte").text == "0.5"
    assert experience.sentence.startswith("At 30 June 2019, 1 (33.3%) of the 3 social workers in post are in")
    absence = summary.section("absence")
    assert absence.table("absence").cell("lost", "value").text == "5.0"
    assert absence.sentence.startswith(
        "In the 12 months to 30 June 2019, 5.0 working days were lost to absence"
    )


# --- Query counts -------------------------------------------------------------------------------


def grow(teams: int) -> None:
    """Add ``teams`` teams, each with people, vacancies, agency cover, absences, starters and actions."""
    for _ in range(teams):
        team = factories.team()
        for number in range(3):
            post = factories.post(team=team, role_code=("social-worker", "senior-practitioner")[number % 2])
            person = factories.worker(date_qualified=dt.date(2015, 1, 1), start_origin=StartOrigin.OTHER_LA)
            factories.assign(post, worker_=person, fte="0.5", start=dt.date(2018, 9, 1))
            factories.absence(
                person, reason="SIC", start=dt.date(2019, 2, 1), end=dt.date(2019, 2, 5), days="3"
            )
            factories.assign(post, fte="0.5", contract=Contract.AGENCY, reason=AgencyReason.VACANCY)
        factories.post(team=team, role_code="team-manager")
    fr.strategy_actions(teams, teams, due=dt.date(2019, 3, 31))


def test_building_takes_the_same_queries_however_much_data(db, monkeypatch, django_assert_num_queries):
    fr.install_stubs(monkeypatch)
    fr.agency_budget(start=dt.date(2019, 4, 1), end=dt.date(2020, 3, 31), amount="250000")
    # 3 for the establishment on every date at once, 1 for the roles, 2 starters, 1 experience,
    # 2 absence, 1 strategy, 1 budget; 1 the comparators, and the caseloads: 5 and 1 a date; 7 for
    # the agency rules and spend by month (the engagements, caps and leavers; the assignments,
    # invoice lines grouped and suppliers; the budgets), whose spend the spend against the budget
    # reuses. Leavers and recruitment are stubbed here.
    expected = 3 + 1 + 2 + 1 + 2 + 1 + 1 + 1 + 5 + len({*COMPARISON, JUNE_2019}) + 7
    grow(2)
    with django_assert_num_queries(expected):
        build()
    grow(12)
    with django_assert_num_queries(expected):
        build()


def test_with_the_real_leavers_and_recruitment_the_count_still_does_not_grow(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grow(2)
    with CaptureQueriesContext(connection) as small:
        build()
    grow(12)
    team = factories.team()
    for number in range(10):
        lf.leaver(team=team, leaving_date=dt.date(2019, 2, 1) + dt.timedelta(days=number))
    with CaptureQueriesContext(connection) as large:
        build()
    assert len(large) == len(small)
