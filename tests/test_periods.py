import datetime as dt

from foundation import periods

D = dt.date


def test_quarter_end_on_or_before():
    assert periods.quarter_end_on_or_before(D(2019, 6, 30)) == D(2019, 6, 30)
    assert periods.quarter_end_on_or_before(D(2019, 6, 29)) == D(2019, 3, 31)
    assert periods.quarter_end_on_or_before(D(2019, 1, 15)) == D(2018, 12, 31)


def test_previous_quarter_ends_oldest_first():
    assert periods.previous_quarter_ends(D(2019, 7, 10), 3) == [
        D(2018, 12, 31),
        D(2019, 3, 31),
        D(2019, 6, 30),
    ]


def test_twelve_months_to():
    assert periods.twelve_months_to(D(2019, 6, 30)) == (D(2018, 7, 1), D(2019, 6, 30))
    assert periods.twelve_months_to(D(2020, 2, 29)) == (D(2019, 3, 1), D(2020, 2, 29))


def test_add_months_clamps_to_month_end():
    assert periods.add_months(D(2019, 1, 31), 1) == D(2019, 2, 28)
    assert periods.add_months(D(2019, 3, 31), -13) == D(2018, 2, 28)


def test_financial_year_and_census():
    assert periods.financial_year(D(2019, 3, 31)) == (D(2018, 4, 1), D(2019, 3, 31))
    assert periods.financial_year(D(2019, 4, 1)) == (D(2019, 4, 1), D(2020, 3, 31))
    assert periods.census_year(2022) == (D(2021, 10, 1), D(2022, 9, 30))


def test_whole_years_between():
    assert periods.whole_years_between(D(2016, 7, 1), D(2019, 6, 30)) == 2
    assert periods.whole_years_between(D(2016, 7, 1), D(2019, 7, 1)) == 3
    assert periods.whole_years_between(D(2020, 1, 1), D(2019, 1, 1)) == 0
