"""Reading one cell: text, dates, numbers, yes/no and coded values, from CSV text or XLSX cells.

Each reader takes the raw cell (a string from a CSV file; a string, number, date or
boolean from an XLSX cell) and returns the value to store, or raises ``CellError``
with a message a person can act on. A blank cell is ``None`` before it gets here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils.datetime import from_excel

# Excel serial day numbers that are plausible dates in a workforce record: 1 Jan 1900
# to 31 Dec 2199. Anything else written as a bare number in a date column is refused.
EXCEL_SERIAL_MIN = 1
EXCEL_SERIAL_MAX = 109573
TEXT_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%B-%Y",
)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_HELP = "write dates as YYYY-MM-DD or DD/MM/YYYY (day first), or use an Excel date cell"
YES = {"yes", "y", "true", "1", "t"}
NO = {"no", "n", "false", "0", "f"}


class CellError(ValueError):
    """A cell's value cannot be read; the message says why and what would be accepted."""


def text(value: Any) -> str:
    """Return the cell as trimmed text; whole numbers from Excel lose their ".0"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _serial_date(number: float) -> dt.date:
    if not EXCEL_SERIAL_MIN <= number <= EXCEL_SERIAL_MAX or not float(number).is_integer():
        raise CellError(f"{text(number)} is not a date: {DATE_HELP}")
    return from_excel(int(number)).date()


def date(value: Any) -> dt.date:
    """Return the cell as a date: a date cell, an Excel serial day number or written text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(f"{text(value)} is not a date: {DATE_HELP}")
    if isinstance(value, int | float):
        return _serial_date(value)
    written = text(value)
    if ISO_DATE.fullmatch(written):
        # The usual case, read quickly: what the first of TEXT_DATE_FORMATS reads.
        try:
            return dt.date.fromisoformat(written)
        except ValueError:
            pass  # not a real day: refused below, with the same message as any unreadable date
    # A date exported from Excel as its serial number ("43646") or with a time of midnight.
    if re.fullmatch(r"\d{5,6}", written):
        return _serial_date(int(written))
    written = re.sub(r"[ T]00:00(:00(\.0+)?)?$", "", written)
    for pattern in TEXT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(written, pattern).date()
        except ValueError:
            continue
    raise CellError(f"'{written}' is not a date: {DATE_HELP}")


def decimal(value: Any) -> Decimal:
    """Return the cell as a Decimal (an Excel float is trimmed of binary noise)."""
    if isinstance(value, bool):
        raise CellError(f"{text(value)} is not a number")
    if isinstance(value, float):
        # 0.1 + 0.2 in a spreadsheet formula is 0.30000000000000004; no figure here needs
        # more than six decimal places.
        return Decimal(repr(round(value, 6))).normalize()
    if isinstance(value, int):
        return Decimal(value)
    written = text(value)
    try:
        number = Decimal(written)
    except InvalidOperation:
        raise CellError(f"'{written}' is not a number (write it like 0.5 or 1)") from None
    if not number.is_finite():
        raise CellError(f"'{written}' is not a number (write it like 0.5 or 1)")
    return number


def money(value: Any) -> Decimal:
    """Return the cell as an amount of money; a leading £ and thousands commas are allowed."""
    if isinstance(value, str):
        value = value.strip().lstrip("£").replace(",", "")
    return decimal(value)


def yes_no(value: Any) -> bool:
    """Return the cell as True or False (yes/no, y/n, true/false, 1/0)."""
    if isinstance(value, bool):
        return value
    written = text(value).lower()
    if written in YES:
        return True
    if written in NO:
        return False
    raise CellError(f"'{text(value)}' is not yes or no")


def _normal(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def choice(options: Iterable[tuple[Any, str]], *, what: str) -> Callable[[Any], Any]:
    """Return a reader accepting a value or its label from ``options`` (a Django ``choices``).

    Case, spaces, hyphens and underscores do not matter ("Fixed term" reads as
    ``fixed_term``); census codes may be written as numbers.
    """
    options = list(options)
    lookup: dict[str, Any] = {}
    for stored, label in options:
        lookup[_normal(str(stored))] = stored
        lookup[_normal(label)] = stored
    for stored, _ in options:
        if lookup[_normal(str(stored))] == stored:
            lookup.setdefault(str(stored), stored)  # read as written, without normalising
    accepted = ", ".join(str(stored) for stored, _ in options)

    def read(value: Any) -> Any:
        written = text(value)
        found = lookup.get(written)  # as stored ("permanent", "WBRI"), the usual case
        if found is None:
            found = lookup.get(_normal(written))
        if found is None:
            raise CellError(f"'{written}' is not a known {what} (use one of: {accepted})")
        return found

    return read


def whole_number(value: Any) -> int:
    """Return the cell as a whole number of things (0 or more)."""
    number = decimal(value)
    if number != number.to_integral_value() or number < 0:
        raise CellError(f"'{text(value)}' is not a whole number")
    return int(number)


def names(value: Any) -> list[str]:
    """Return the cell as a list of names separated by semicolons (or commas)."""
    return [name.strip() for name in text(value).replace(",", ";").split(";") if name.strip()]
