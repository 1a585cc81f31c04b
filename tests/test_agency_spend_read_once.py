"""The committee summary reads agency spend once: the agency section's breakdown gives the spend
against the budget the same figures as reading the lines afresh, in fewer queries; and the
months a line is put in (by halving the months) are the calendar months it ends in, for windows
of any length."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from foundation.windows import Window
from reporting.selectors import agency_spend_against_budget
from tests import factories
from tests import factories_agency as agency
from tests import factories_reporting as fr
from tests.test_agency_spend import END, START, spend_world  # noqa: F401 (a fixture)
from workforce.scopes import Scope
from workforce.selectors.agency_spend import spend_breakdown, spend_to_date

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    "start,end",
    [(START, END), (D(2026, 5, 20), D(2026, 5, 27)), (D(2026, 3, 15), D(2026, 7, 10)), (D(2026, 6, 1), END)],
)
def test_the_breakdowns_total_is_the_spend_to_date(spend_world, start, end):  # noqa: F811
    one, _ = spend_world["teams"]
    for scope in (None, Scope.team(one.pk)):
        assert spend_breakdown(start=start, end=end, scope=scope).as_total() == spend_to_date(
            start=start, end=end, scope=scope
        )
        assert spend_breakdown(start=start, end=end, scope=scope, dimensions=("supplier",)).as_total() == (
            spend_to_date(start=start, end=end, scope=scope)
        )


def test_the_spend_against_the_budget_reuses_a_breakdown_read_already(
    spend_world, django_assert_num_queries  # noqa: F811
):
    fr.agency_budget(start=D(2026, 4, 1), end=D(2027, 3, 31), amount="365000")
    window = Window(START, END)
    afresh = agency_spend_against_budget(as_of=END, window=window)
    total = spend_breakdown(start=START, end=END, dimensions=("supplier",)).as_total()
    with django_assert_num_queries(1):  # the budgets only
        reused = agency_spend_against_budget(as_of=END, window=window, total=total)
    assert reused == afresh
    assert (reused.spend, reused.invoiced, reused.budget_to_date) == (
        Decimal("25654.00"),
        Decimal("16154.00"),
        Decimal("91000.00"),  # 91 days of £1,000 a day
    )
    # Spend over other days is read afresh, never taken from the wrong window.
    other = Window(D(2026, 5, 1), END)
    expected = agency_spend_against_budget(as_of=END, window=other)
    with django_assert_num_queries(3):  # the budgets, and the lines and assignments of those days
        assert agency_spend_against_budget(as_of=END, window=other, total=total) == expected
    assert expected.spend != reused.spend


@pytest.mark.parametrize("months", [1, 2, 5, 13, 26])
def test_each_line_is_counted_in_the_month_its_week_ends_in(months):
    # One line a month, ending on the 10th, of £(100 x the month's number); the window runs
    # from 5 January 2025 for ``months`` months, so the first month is clipped.
    post = factories.post(team=factories.team("Team One"))
    first = D(2025, 1, 5)
    assignment = agency.engagement(
        post, start=D(2024, 12, 1), supplier_=agency.supplier(), weekly_charge="700"
    )
    for number in range(months):
        year, month = 2025 + number // 12, number % 12 + 1
        amount = f"{100 * (number + 1)}"
        agency.invoice_line(assignment, week_ending=D(year, month, 10), hours="1", amount=amount)
    last_year, last_month = 2025 + (months - 1) // 12, (months - 1) % 12 + 1
    end = D(last_year, last_month, 20)
    breakdown = spend_breakdown(start=first, end=end)
    assert [row.actual for row in breakdown.months] == [Decimal(100 * (n + 1)) for n in range(months)]
    assert breakdown.months[0].key == first
    assert breakdown.total.actual == sum(Decimal(100 * (n + 1)) for n in range(months))


def test_the_spend_page_keeps_its_breakdown_until_the_records_change(spend_world):  # noqa: F811
    """``/agency/spend/``'s breakdown (``kept_spend_breakdown``) is the breakdown, for each
    period and scope, read again only after a change of records: a new invoice line counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workforce.selectors.agency_spend import kept_spend_breakdown

    one, _ = spend_world["teams"]
    assert kept_spend_breakdown(start=START, end=END) == spend_breakdown(start=START, end=END)
    team = Scope.team(one.pk)
    assert kept_spend_breakdown(start=START, end=END, scope=team) == spend_breakdown(
        start=START, end=END, scope=team
    )
    with CaptureQueriesContext(connection) as captured:
        kept = kept_spend_breakdown(start=START, end=END)
    assert len(captured) == 1 and kept.total.actual == Decimal("16154.00")  # the version only
    agency.invoice_line(spend_world["a"], week_ending=D(2026, 6, 7), hours="37", amount="1406")
    fresh = kept_spend_breakdown(start=START, end=END)
    assert fresh == spend_breakdown(start=START, end=END) and fresh.total.actual == Decimal("17560.00")
