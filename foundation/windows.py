"""The windows a committee report counts over: one per section, any start and end.

Starters, recruitment, leavers, reasons and destinations, absence and agency spend are
each counted over their own window (the 2016 paper used 12, 14 and 26 months, ending a
month before its snapshot). The default is the 12 months to the as-at date. Pure
functions: reading what a person typed, checking it, and resolving the windows a report
uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from foundation.dates import long_date
from foundation.periods import add_months, months_to

# (key, what the window counts), in the paper's order. A section counted over a window
# adds its key here; the admin, the command line and the JSON follow.
SECTION_WINDOWS: tuple[tuple[str, str], ...] = (
    ("starters", "Starters"),
    ("recruitment", "Recruitment"),
    ("leavers", "Leavers"),
    ("reasons", "Reasons for leaving and destinations"),
    ("absence", "Absence"),
    ("agency_spend", "Agency spend"),
)
SECTION_KEYS = tuple(key for key, _ in SECTION_WINDOWS)


class WindowError(ValueError):
    """Raised for a window that cannot be read or used, with a one-line message."""


@dataclass(frozen=True)
class Window:
    """The first and last day (inclusive) a section counts over."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> int | None:
        """Return the number of months if the window is whole months ending on its end date
        (e.g. 12 for 1 October 2025 to 30 September 2026), else None."""
        for months in range(1, 241):
            start = add_months(self.end, -months) + dt.timedelta(days=1)
            if start == self.start:
                return months
            if start < self.start:
                return None
        return None

    @property
    def label(self) -> str:
        """Return "1 October 2025 to 30 September 2026"."""
        return f"{long_date(self.start)} to {long_date(self.end)}"

    @property
    def phrase(self) -> str:
        """Return how a sentence names it: "the 12 months to 30 September 2026", or
        "1 April 2014 to 31 May 2016" when it is not whole months."""
        months = self.whole_months
        if months is None:
            return f"the period {self.label}"
        return f"the {'month' if months == 1 else f'{months} months'} to {long_date(self.end)}"

    def as_text(self) -> str:
        """Return the window as ``parse_window`` reads it: ``2014-04-01:2016-05-31``."""
        return f"{self.start.isoformat()}:{self.end.isoformat()}"


def default_window(as_of: dt.date, months: int = 12) -> Window:
    """Return the ``months`` months to ``as_of`` (12 unless told)."""
    return Window(*months_to(as_of, months))


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise WindowError(f"{what} '{text.strip()}' is not a date in the form YYYY-MM-DD.") from None


def parse_window(text: str) -> Window:
    """Return the window written ``START:END`` (``2014-04-01:2016-05-31``)."""
    start, sep, end = (text or "").partition(":")
    if not sep:
        raise WindowError(f"'{text}' is not a window: write it START:END, e.g. 2014-04-01:2016-05-31.")
    window = Window(_date(start, "The start"), _date(end, "The end"))
    if window.end < window.start:
        raise WindowError(f"The window {window.as_text()} ends before it starts.")
    return window


def parse_section_window(text: str) -> tuple[str, Window]:
    """Return the section key and window written ``SECTION=START:END``."""
    key, sep, rest = (text or "").partition("=")
    key = key.strip().replace("-", "_")
    if not sep or key not in SECTION_KEYS:
        raise WindowError(
            f"'{text}' does not name a section: write SECTION=START:END with SECTION one of "
            f"{', '.join(SECTION_KEYS)}."
        )
    return key, parse_window(rest)


def check_window(window: Window, as_of: dt.date, *, what: str = "The window") -> None:
    """Raise ``WindowError`` if ``window`` ends before it starts or after ``as_of``."""
    if window.end < window.start:
        raise WindowError(f"{what} ends ({window.end}) before it starts ({window.start}).")
    if window.end > as_of:
        raise WindowError(f"{what} ends ({window.end}) after the as-at date ({as_of}).")


def resolve_windows(
    as_of: dt.date,
    *,
    default: Window | None = None,
    overrides: Mapping[str, Window] | None = None,
) -> dict[str, Window]:
    """Return every section's window: its override, else ``default`` (else the 12 months
    to ``as_of``). Raises ``WindowError`` naming the first window that cannot be used."""
    default = default or default_window(as_of)
    check_window(default, as_of)
    windows = {}
    for key, name in SECTION_WINDOWS:
        window = (overrides or {}).get(key) or default
        check_window(window, as_of, what=f"The {name.lower()} window")
        windows[key] = window
    unknown = set(overrides or {}) - set(SECTION_KEYS)
    if unknown:
        raise WindowError(f"There is no section '{sorted(unknown)[0]}' with a window.")
    return windows
