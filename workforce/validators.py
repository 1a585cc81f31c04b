"""The ranges a real record's numbers and dates can have, enforced once on the model fields.

The admin, the forms, the services and the import all validate through the models
(``full_clean``, or the import's batch check, which runs the same field validators), so a
range set here holds wherever a record comes from. See docs/import.md for the list.

- Dates: from 1 January 1900 to ten years after today. Dates that cannot be in the future
  (a date of birth) end today; a worker is at least 16.
- Money is never negative; a weekly charge, salary or cost has a ceiling far above any
  real one, so that a slipped decimal point (165000 for 1650.00) is caught.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from foundation.dates import long_date

EARLIEST_DATE = dt.date(1900, 1, 1)
FUTURE_YEARS = 10
YOUNGEST_WORKER_YEARS = 16


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


_today: tuple[int, dt.date] = (-1, EARLIEST_DATE)


def _local_today() -> dt.date:
    """Return today's date, worked out once a minute: an import checks thousands of dates."""
    global _today
    minute = int(time.time() // 60)
    if minute != _today[0]:
        _today = (minute, timezone.localdate())
    return _today[1]


def latest_date() -> dt.date:
    """Return the last date a record may hold: ten years after today."""
    return _years_after(_local_today(), FUTURE_YEARS)


def _day(value: dt.date) -> str:
    return long_date(value)


def plausible_date(value: dt.date | None) -> None:
    """Reject a date before 1900 or more than ten years ahead (a mistyped year, a wrong format)."""
    if value is None:
        return
    latest = latest_date()
    if not EARLIEST_DATE <= value <= latest:
        raise ValidationError(
            f"{_day(value)} is not a plausible date: dates run from {_day(EARLIEST_DATE)} to "
            f"{_day(latest)} (ten years from today).",
            code="date_range",
        )


def past_date(value: dt.date | None) -> None:
    """Reject a date before 1900 or after today (for what has already happened)."""
    if value is None:
        return
    today = _local_today()
    if not EARLIEST_DATE <= value <= today:
        raise ValidationError(
            f"{_day(value)} is not a plausible date: it must be from {_day(EARLIEST_DATE)} to today.",
            code="date_range",
        )


def plausible_birth_date(value: dt.date | None) -> None:
    """Reject a date of birth before 1900 or less than 16 years ago."""
    if value is None:
        return
    latest = _years_after(_local_today(), -YOUNGEST_WORKER_YEARS)
    if not EARLIEST_DATE <= value <= latest:
        raise ValidationError(
            f"{_day(value)} is not a plausible date of birth: it must be from {_day(EARLIEST_DATE)} to "
            f"{_day(latest)} (a worker is at least {YOUNGEST_WORKER_YEARS}).",
            code="date_range",
        )


def not_negative(value: Decimal | int | None) -> None:
    """Reject a negative amount (money, days, counts are never below 0)."""
    if value is not None and value < 0:
        raise ValidationError(f"{value} is negative; this cannot be below 0.", code="negative")


class AtMost:
    """Reject an amount above ``limit``, saying what the limit is for (``what``)."""

    def __init__(self, limit: int | Decimal, what: str) -> None:
        self.limit = limit
        self.what = what

    def __call__(self, value: Decimal | int | None) -> None:
        if value is not None and value > self.limit:
            raise ValidationError(
                f"{value} is more than any real {self.what} (at most {self.limit:,}); check the decimal "
                "point.",
                code="too_large",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AtMost) and (self.limit, self.what) == (other.limit, other.what)

    def __hash__(self) -> int:
        return hash((self.limit, self.what))

    def deconstruct(self) -> tuple[str, tuple, dict]:
        return ("workforce.validators.AtMost", (self.limit, self.what), {})
