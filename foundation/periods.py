"""Period maths: quarter-ends, "12 months to", financial years and census dates.

Pure functions with no database access.
"""

from __future__ import annotations

import calendar
import datetime as dt


def month_end(year: int, month: int) -> dt.date:
    """Return the last day of ``month`` in ``year``."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """Return ``day`` moved by ``months``, clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter_end_on_or_before(day: dt.date) -> dt.date:
    """Return the latest calendar quarter-end (31 Mar, 30 Jun, 30 Sep, 31 Dec) on or before ``day``."""
    month = ((day.month - 1) // 3) * 3 + 3
    candidate = month_end(day.year, month)
    if candidate <= day:
        return candidate
    return quarter_end_on_or_before(dt.date(day.year, month - 2, 1) - dt.timedelta(days=1))


def previous_quarter_ends(day: dt.date, count: int) -> list[dt.date]:
    """Return the ``count`` quarter-ends on or before ``day``, oldest first."""
    ends = [quarter_end_on_or_before(day)]
    while len(ends) < count:
        ends.append(quarter_end_on_or_before(ends[-1] - dt.timedelta(days=1)))
    return list(reversed(ends))


def twelve_months_to(day: dt.date) -> tuple[dt.date, dt.date]:
    """Return the window of 12 months ending on ``day`` (first and last day, inclusive)."""
    return add_months(day, -12) + dt.timedelta(days=1), day


def months_to(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """Return the window of ``months`` months ending on ``day``, inclusive."""
    return add_months(day, -months) + dt.timedelta(days=1), day


def financial_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """Return the UK financial year (1 April to 31 March) containing ``day``."""
    start_year = day.year if day.month >= 4 else day.year - 1
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


def census_date(year: int) -> dt.date:
    """Return the national workforce census reference date of ``year`` (30 September)."""
    return dt.date(year, 9, 30)


def census_year(year: int) -> tuple[dt.date, dt.date]:
    """Return the census collection year: 1 October of the year before to 30 September."""
    return dt.date(year - 1, 10, 1), census_date(year)


def whole_years_between(start: dt.date, end: dt.date) -> int:
    """Return the number of whole years from ``start`` to ``end`` (0 if ``end`` is earlier)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(0, years)


def weekdays_between(start: dt.date, end: dt.date) -> int:
    """Return the number of weekdays (Monday to Friday) from ``start`` to ``end`` inclusive."""
    if end < start:
        return 0
    weeks, extra = divmod((end - start).days + 1, 7)
    return weeks * 5 + sum(1 for offset in range(extra) if (start.weekday() + offset) % 7 < 5)


def financial_year_label(day: dt.date) -> str:
    """Return the financial year containing ``day`` as the papers write it: "2019/20"."""
    first, last = financial_year(day)
    return f"{first.year}/{last.year % 100:02d}"


def default_baseline(day: dt.date) -> dt.date:
    """Return the default baseline for a report as at ``day``: the end of the financial year
    before last (for 30 June 2019, 31 March 2018, the "2017/18 baseline")."""
    first, _ = financial_year(day)
    return dt.date(first.year - 1, 3, 31)


def default_comparison_dates(day: dt.date) -> list[dt.date]:
    """Return a report's default comparison dates: the baseline and the last three
    quarter-ends on or before ``day``, oldest first."""
    return [default_baseline(day), *previous_quarter_ends(day, 3)]


def is_month_end(day: dt.date) -> bool:
    """Return whether ``day`` is the last day of its month."""
    return day == month_end(day.year, day.month)


def next_quarter_ends(day: dt.date, count: int) -> list[dt.date]:
    """Return the ``count`` calendar quarter-ends after ``day``, oldest first."""
    ends = []
    current = quarter_end_on_or_before(day)
    while len(ends) < count:
        moved = add_months(current, 3)
        current = month_end(moved.year, moved.month)
        ends.append(current)
    return ends


def share_of_quarter_after(day: dt.date) -> tuple[int, int]:
    """Return (days left, days in all) of the calendar quarter after ``day``: for a quarter-end,
    the whole next quarter; for a day within a quarter, the part of it after ``day``."""
    end = next_quarter_ends(day, 1)[0]
    start = quarter_end_on_or_before(end - dt.timedelta(days=1))
    return (end - day).days, (end - start).days


QUARTER_HELP = "write a quarter as YYYY-QN, e.g. 2026-Q3 (July to September 2026)"


def parse_quarter(text: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a calendar quarter written "2026-Q3" (1 July to 30
    September 2026). Raises ``ValueError`` saying how to write one."""
    written = (text or "").strip().upper().replace(" ", "")
    year, _, quarter = written.partition("-Q")
    if not (year.isdigit() and len(year) == 4 and quarter in {"1", "2", "3", "4"}):
        raise ValueError(f"'{text}' is not a quarter: {QUARTER_HELP}.")
    first_month = (int(quarter) - 1) * 3 + 1
    return dt.date(int(year), first_month, 1), month_end(int(year), first_month + 2)


def quarter_label(start: dt.date) -> str:
    """Return the quarter containing ``start`` as "2026-Q3"."""
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def months_between(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Return each calendar month from ``start`` to ``end`` as (first day, last day), clipped to
    the window: the months a window's figures are shown by."""
    months = []
    day = start
    while day <= end:
        last = min(end, month_end(day.year, day.month))
        months.append((day, last))
        day = last + dt.timedelta(days=1)
    return months


def cool_off_last_day(left_on: dt.date, months: int = 3) -> dt.date:
    """Return the last day of the cool-off after leaving on ``left_on``: the same date
    ``months`` later (clamped to a shorter month's end). An engagement may start the day after."""
    return add_months(left_on, months)


def census_season(day: dt.date, *, deadline: tuple[int, int]) -> tuple[int, dt.date, dt.date]:
    """Return (census year, first day of its checks, deadline) for the census return that
    ``day`` is nearest before: its checks open on 1 September, a month before the reference
    date, and run to the deadline (``deadline`` as (month, day) of the year after, e.g.
    (2, 28)). Between a deadline and the next 1 September, that is the coming year's."""
    month, last_day = deadline
    opens = dt.date(day.year, 9, 1)
    if day < opens and day <= _on_or_before_month_end(day.year, month, last_day):
        year = day.year - 1
    else:
        year = day.year
    return year, dt.date(year, 9, 1), _on_or_before_month_end(year + 1, month, last_day)


def _on_or_before_month_end(year: int, month: int, day: int) -> dt.date:
    """Return the date, or the last of the month when it has fewer days (29 February)."""
    return min(dt.date(year, month, 1) + dt.timedelta(days=day - 1), month_end(year, month))
