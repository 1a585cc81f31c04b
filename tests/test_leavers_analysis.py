"""The leavers analysis over a window and scope, against hand-worked figures."""

import datetime as dt
from decimal import Decimal

import pytest

from foundation import measures
from foundation.periods import twelve_months_to
from leavers import services
from leavers.selectors import leavers_analysis, leavers_fte, leavers_fte_over
from tests import factories
from tests import factories_leavers as lf
from workforce.models import Role
from workforce.scopes import Scope
from workforce.selectors import establishment_on

pytestmark = pytest.mark.django_db
START, END = dt.date(2018, 7, 1), dt.date(2019, 6, 30)


def shares(items) -> dict[str, tuple[int, str | None]]:
    return {s.key: (s.count, None if s.percent is None else str(s.percent)) for s in items}


@pytest.fixture
def county():
    """Four leavers in the 12 months to 30 June 2019, and two that do not count.

    A (case-holding): 1.0 FTE, new employment, 6 months' service, to a local agency for
       better pay and workload, consented quote; 0.5 FTE, new employment, 2 years, to
       another authority for better pay, quote without consent; 1.0 FTE, normal
       retirement, 20 years, no conversation yet.
    B (not case-holding): 0.8 FTE senior practitioner, resignation - other, 4 years, to
       leave social work for workload.
    """
    a = factories.team("Assessment North")
    b = factories.team("Fostering Support", case_holding=False)
    manager = factories.user("mgr", "manager", teams=[a, b])
    one = lf.leaver(team=a, start=dt.date(2018, 6, 1), leaving_date=dt.date(2018, 12, 31))
    lf.conversation(
        one,
        user=manager,
        destination_code="agency-local",
        reason_codes=("better-pay", "workload"),
        quote="…chose to go locum",
        quote_consent=True,
        notes="Private note",
    )
    two = lf.leaver(team=a, fte="0.5", start=dt.date(2017, 1, 1), leaving_date=dt.date(2019, 3, 1))
    lf.conversation(two, user=manager, reason_codes=("better-pay",), quote="Not for sharing")
    lf.leaver(
        post=factories.post(team=a, active_from=dt.date(1990, 1, 1)),
        start=dt.date(1999, 1, 1),
        leaving_date=dt.date(2019, 6, 30),
        category_code="normal-retirement",
    )
    four = lf.leaver(
        team=b,
        fte="0.8",
        role_code="senior-practitioner",
        start=dt.date(2015, 2, 1),
        leaving_date=dt.date(2019, 5, 31),
        category_code="resignation-other",
    )
    lf.conversation(four, user=manager, destination_code="leaving-social-work", reason_codes=("workload",))
    # Outside the window, and a role outside the social work measures: neither counts.
    lf.leaver(team=a, leaving_date=dt.date(2018, 6, 30))
    support = Role.objects.create(name="Family Support Worker", code="fsw", org_role=6, in_scope=False)
    lf.leaver(post=factories.post(team=a, role_code=support.code), leaving_date=dt.date(2019, 1, 31))
    return {"a": a, "b": b, "manager": manager}


def test_counts_and_percentages_by_category_and_census_reason(county):
    analysis = leavers_analysis(start=START, end=END)
    assert analysis.total == 4
    assert analysis.total_fte == Decimal("3.3")
    by_category = shares(analysis.by_category)
    assert by_category["resignation-new-employment"] == (2, "50.0")
    assert by_category["normal-retirement"] == (1, "25.0")
    assert by_category["resignation-other"] == (1, "25.0")
    assert by_category["dismissal"] == (0, "0.0")
    assert shares(analysis.by_census_reason) == {
        "1": (3, "75.0"),
        "3": (0, "0.0"),
        "4": (0, "0.0"),
        "5": (1, "25.0"),
        "6": (0, "0.0"),
        "7": (0, "0.0"),
        "8": (0, "0.0"),
    }
    assert {s.key: s.census_code for s in analysis.by_category}["normal-retirement"] == 5


def test_length_of_service_in_the_domain_bands(county):
    analysis = leavers_analysis(start=START, end=END)
    assert shares(analysis.service_bands) == {
        "<1": (1, "25.0"),
        "1-3": (1, "25.0"),
        "3-5": (1, "25.0"),
        "5-10": (0, "0.0"),
        "10+": (1, "25.0"),
    }
    assert (analysis.under_1_year, analysis.under_3_years) == (1, 2)


def test_destinations_reasons_and_missing_conversations(county):
    analysis = leavers_analysis(start=START, end=END)
    assert (analysis.with_conversation, analysis.without_conversation) == (3, 1)
    destinations = shares(analysis.by_destination)
    assert destinations["agency-local"] == (1, "33.3")  # of the three conversations
    assert destinations["another-la"] == (1, "33.3")
    assert destinations["leaving-social-work"] == (1, "33.3")
    assert destinations["not-known"] == (0, "0.0")
    assert shares(analysis.by_census_destination)["3"] == (1, "33.3")
    citing = shares(analysis.citing_reason)
    assert citing["better-pay"] == (2, "50.0")  # of all four leavers
    assert citing["workload"] == (2, "50.0")
    assert citing["caring"] == (0, "0.0")


def test_quotes_only_with_consent_and_never_notes_or_names(county):
    analysis = leavers_analysis(start=START, end=END)
    assert analysis.quotes == ["…chose to go locum"]
    text = repr(analysis)
    assert "Not for sharing" not in text and "Private note" not in text and "Worker" not in text


def test_scope_narrows_to_a_team_case_holding_or_a_role(county):
    assert leavers_analysis(start=START, end=END, scope=Scope.team(county["b"].pk)).total == 1
    assert leavers_analysis(start=START, end=END, scope=Scope.case_holding()).total == 3
    senior = Scope.everything().with_role(factories.role("senior-practitioner").pk)
    analysis = leavers_analysis(start=START, end=END, scope=senior)
    assert (analysis.total, analysis.total_fte) == (1, Decimal("0.8"))
    assert leavers_fte(start=START, end=END, scope=Scope.case_holding()) == Decimal("2.5")


def test_retired_codes_stay_in_the_analysis_while_used(county):
    from leavers.models import LeavingCategory

    LeavingCategory.objects.filter(code__in=["normal-retirement", "dismissal"]).update(active=False)
    keys = [s.key for s in leavers_analysis(start=START, end=END).by_category]
    assert "normal-retirement" in keys and "dismissal" not in keys


def test_an_empty_window_has_no_percentages():
    analysis = leavers_analysis(start=START, end=END)
    assert analysis.total == 0 and analysis.total_fte == Decimal("0")
    assert all(share.percent is None for share in analysis.by_category)
    assert analysis.quotes == []


def test_worked_example_turnover_is_69_2_percent(worked_example):
    """DOMAIN.md: leavers of 0.8 FTE on 30 Nov 2018 and 1.0 FTE on 31 Mar 2019; S = 2.6."""
    p5 = worked_example["posts"]["P5"]
    first = lf.employee_in(p5, fte="0.8", start=dt.date(2016, 1, 1))
    services.record_leaver(worker=first, leaving_date=dt.date(2018, 11, 30), category=lf.category())
    second = lf.employee_in(p5, fte="1.0", start=dt.date(2018, 12, 1))
    services.record_leaver(worker=second, leaving_date=dt.date(2019, 3, 31), category=lf.category())

    start, end = twelve_months_to(worked_example["day"])
    leavers = leavers_fte(start=start, end=end)
    assert leavers == Decimal("1.8")
    in_post = establishment_on(end).total.in_post_fte
    assert in_post == Decimal("2.6")
    assert measures.format_rate_fte(measures.turnover_rate(leavers, in_post), leavers) == "69.2% (1.8)"
    assert leavers_analysis(start=start, end=end).total_fte == Decimal("1.8")


def test_reasons_and_quotes_narrow_with_the_scope(county):
    a = leavers_analysis(start=START, end=END, scope=Scope.team(county["a"].pk))
    assert shares(a.citing_reason)["better-pay"] == (2, "66.7")  # of the team's three leavers
    assert shares(a.citing_reason)["workload"] == (1, "33.3")
    assert a.quotes == ["…chose to go locum"]
    assert shares(a.by_destination)["leaving-social-work"] == (0, "0.0")
    b = leavers_analysis(start=START, end=END, scope=Scope.team(county["b"].pk))
    assert shares(b.citing_reason)["workload"] == (1, "100.0")
    assert shares(b.citing_reason)["better-pay"] == (0, "0.0")
    assert b.quotes == [] and (b.with_conversation, b.without_conversation) == (1, 0)
    senior = leavers_analysis(
        start=START, end=END, scope=Scope.everything().with_role(factories.role("senior-practitioner").pk)
    )
    assert shares(senior.citing_reason)["workload"] == (1, "100.0") and senior.quotes == []
    nobody = leavers_analysis(start=START, end=END, scope=Scope(team_ids=frozenset()))
    assert (nobody.total, nobody.total_fte, nobody.with_conversation, nobody.quotes) == (0, 0, 0, [])


def test_a_leaver_citing_several_reasons_counts_once_for_each(county):
    leaver = lf.leaver(team=county["a"], leaving_date=dt.date(2019, 4, 1))
    lf.conversation(leaver, user=county["manager"], reason_codes=("better-pay", "workload", "caring"))
    analysis = leavers_analysis(start=START, end=END)
    assert (analysis.total, analysis.with_conversation) == (5, 4)
    citing = shares(analysis.citing_reason)
    assert (citing["better-pay"], citing["workload"], citing["caring"]) == (
        (3, "60.0"),
        (3, "60.0"),
        (1, "20.0"),
    )
    assert shares(analysis.by_destination)["another-la"] == (2, "50.0")


WINDOWS = {
    "12 months to June 2019": twelve_months_to(END),
    "12 months to March 2019": twelve_months_to(dt.date(2019, 3, 31)),
    "its last day": (END, END),
    "one leaver's day": (dt.date(2019, 3, 1), dt.date(2019, 3, 1)),
    "the day before the window": (dt.date(2018, 6, 30), dt.date(2018, 6, 30)),
    "nobody left": (dt.date(2019, 7, 1), dt.date(2019, 12, 31)),
}


@pytest.mark.parametrize("scope_name", ["everything", "case holding", "team b", "senior practitioners"])
def test_leavers_fte_over_several_windows_is_leavers_fte_for_each(
    county, scope_name, django_assert_num_queries
):
    scope = {
        "everything": Scope.everything(),
        "case holding": Scope.case_holding(),
        "team b": Scope.team(county["b"].pk),
        "senior practitioners": Scope.everything().with_role(factories.role("senior-practitioner").pk),
    }[scope_name]
    expected = {key: leavers_fte(start=start, end=end, scope=scope) for key, (start, end) in WINDOWS.items()}
    with django_assert_num_queries(1):
        together = leavers_fte_over(WINDOWS, scope=scope)
    assert together == expected
    assert list(together) == list(WINDOWS)


def test_leavers_fte_over_by_hand(county, django_assert_num_queries):
    together = leavers_fte_over(WINDOWS)
    assert together["12 months to June 2019"] == Decimal("3.3")
    assert together["12 months to March 2019"] == Decimal("2.5")  # 31/12/2018, 01/03 and 30/06/2018
    assert (together["its last day"], together["one leaver's day"]) == (Decimal("1.0"), Decimal("0.5"))
    assert together["the day before the window"] == Decimal("1.0")
    assert together["nobody left"] == Decimal("0")
    with django_assert_num_queries(0):
        assert leavers_fte_over({}) == {}


def test_query_count_does_not_depend_on_the_number_of_leavers(county, django_assert_num_queries):
    # categories, leavers by category and destination, destinations, reasons, leavers by
    # reason, quotes.
    with django_assert_num_queries(6):
        small = leavers_analysis(start=START, end=END)
    team = factories.team()
    hr = factories.user("hr1", "hr")
    for week in range(1, 13):
        leaver = lf.leaver(team=team, leaving_date=dt.date(2019, 1, 1) + dt.timedelta(days=week * 7))
        lf.conversation(
            leaver, user=hr, reason_codes=("caring", "journey"), quote=f"Quote {week}", quote_consent=True
        )
    with django_assert_num_queries(6):
        large = leavers_analysis(start=START, end=END)
    assert large.total == small.total + 12
    with django_assert_num_queries(1):
        leavers_fte(start=START, end=END)
