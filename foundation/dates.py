"""Dates as people read and type them: one style everywhere, GOV.UK's.

- In prose, headings and messages: "4 December 2026" (``long_date``).
- In tables, where space is short: "4 Dec 2026" (``short_date``).
- With a time: "4 December 2026 at 3:15pm" (``long_datetime``).
- In a box to type into: "4/12/2026" (``typed_date``), and ``parse_date`` reads what people
  type: "30/6/2019", "30-6-2019", "30.6.2019", "30 6 2019", "30 June 2019", "30 Jun 2019"
  or "2019-06-30".

Pure functions (no settings, no database). Django's own ``DATE_FORMAT`` and
``SHORT_DATE_FORMAT`` are set to the same styles in ``config/formats/en_GB/formats.py`` so
the admin and the ``date`` filter agree.
"""

from __future__ import annotations

import datetime as dt
import re

# Month names in English whatever the server's locale (strftime's %B follows the locale).
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SHORT_MONTHS = tuple(name[:3] for name in MONTHS)
_MONTH_NUMBERS = (
    {name.lower(): number for number, name in enumerate(MONTHS, start=1)}
    | {name.lower(): number for number, name in enumerate(SHORT_MONTHS, start=1)}
    | {"sept": 9}
)

# Django's date-format strings for the same styles (for the ``date`` filter and settings).
LONG_DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
TYPED_DATE_FORMAT = "j/n/Y"
EXAMPLE = "30/6/2019"

_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_WORDS = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\s*$")


def long_date(day: dt.date) -> str:
    """Return ``day`` as GOV.UK writes it in prose: "4 December 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """Return ``day`` as GOV.UK writes it in a table: "4 Dec 2026"."""
    return f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"


def typed_date(day: dt.date) -> str:
    """Return ``day`` as people type it into a box: "4/12/2026"."""
    return f"{day.day}/{day.month}/{day.year}"


def clock_time(moment: dt.datetime | dt.time) -> str:
    """Return a time of day as GOV.UK writes it: "3:15pm", "9am", "12 noon", "12 midnight"."""
    hour, minute = moment.hour, moment.minute
    if minute == 0 and hour in (0, 12):
        return "12 midnight" if hour == 0 else "12 noon"
    suffix = "am" if hour < 12 else "pm"
    twelve = hour % 12 or 12
    return f"{twelve}{suffix}" if minute == 0 else f"{twelve}:{minute:02d}{suffix}"


def long_datetime(moment: dt.datetime) -> str:
    """Return a date and time in prose: "4 December 2026 at 3:15pm" (in the zone it carries)."""
    return f"{long_date(moment.date())} at {clock_time(moment)}"


def parse_date(text: str) -> dt.date | None:
    """Return the date in ``text`` as people type it (day first), or None if it is not one.

    Reads "30/6/2019" (also with "-", "." or spaces), "30 June 2019", "30 Jun 2019" and
    "2019-06-30". A year needs four digits: "30/6/19" could be 1919 or 2019. An impossible
    date ("31/6/2019") is not a date.
    """
    if not text:
        return None
    found = _NUMERIC.match(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
        return make_date(year, month, day)
    found = _ISO.match(text)
    if found:
        year, month, day = (int(part) for part in found.groups())
        return make_date(year, month, day)
    found = _WORDS.match(text)
    if found:
        month_number = _MONTH_NUMBERS.get(found.group(2).lower())
        if month_number is None:
            return None
        return make_date(int(found.group(3)), month_number, int(found.group(1)))
    return None


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """Return the date of ``year``, ``month`` and ``day``, or None if there is no such day."""
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1000 <= year <= 9999):
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
