"""The pure measures and their formatting, against hand-worked figures."""

from decimal import Decimal

import pytest
from django.test import override_settings

from foundation import measures

D = Decimal


def test_vacancy_rate_default_is_vacancies_over_vacancies_plus_in_post():
    assert measures.vacancy_rate(D("1.9"), D("2.6")) == D("42.2")


@override_settings(WORKFORCE={"VACANCY_RATE_DENOMINATOR": "in_post"})
def test_vacancy_rate_can_divide_by_social_workers_in_post_as_a_council_setting():
    assert measures.vacancy_rate(D("1.9"), D("2.6")) == D("73.1")


def test_agency_rate():
    assert measures.agency_rate(D("2.5"), D("2.6")) == D("49.0")


def test_posts_filled_by_permanent_staff():
    assert measures.permanent_fill_rate(D("4.5"), D("1.9")) == D("57.8")


def test_turnover_rate():
    assert measures.turnover_rate(D("1.8"), D("2.6")) == D("69.2")


def test_rounding_is_half_up():
    assert measures.percentage(1, 8) == D("12.5")
    assert measures.percentage(D("0.0625"), 1) == D("6.3")


@pytest.mark.parametrize(
    "rate",
    [measures.vacancy_rate(D(0), D(0)), measures.agency_rate(D(0), D(0)), measures.turnover_rate(D(3), D(0))],
)
def test_zero_denominator_is_undefined_and_shown_as_a_dash(rate):
    assert rate is None
    assert measures.format_rate_fte(rate, D(0)) == "–"


def test_rate_and_fte_are_shown_as_the_papers_show_them():
    assert measures.format_rate_fte(D("13.3"), D("31.25")) == "13.3% (31.3)"
    assert measures.format_rate_fte(D("9.6"), D("25")) == "9.6% (25.0)"


@pytest.mark.parametrize(
    ("values", "median", "shown"),
    [
        ([], None, "–"),
        ([40, 21, 30], D("30"), "30"),  # the middle one, in any order
        ([21, 21, 30, 40], D("25.5"), "25.5"),  # the mean of the middle two
        ([1, 3, 3, 400], D("3.0"), "3"),
        ([7], D("7"), "7"),
    ],
)
def test_a_median_number_of_days(values, median, shown):
    assert measures.median(values) == median
    assert measures.format_median_days(measures.median(values)) == shown


def test_a_negative_amount_of_money_carries_its_sign_before_the_pound():
    assert measures.format_money(Decimal("-1000.4")) == "-£1,000"
    assert measures.format_money(Decimal("-0.4")) == "£0"  # rounds to nothing: no sign
    assert measures.format_money(Decimal("250000")) == "£250,000"


def test_an_amount_under_budget_is_in_brackets_and_over_it_plain():
    assert measures.format_variance(Decimal("-23741.6")) == "(£23,742)"
    assert measures.format_variance(Decimal("1000")) == "£1,000"
    assert measures.format_variance(Decimal("-0.4")) == "£0"  # rounds to nothing: no brackets
    assert measures.format_variance(None) == measures.format_money(None)
