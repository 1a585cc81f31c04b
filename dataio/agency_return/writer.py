"""The agency return as a CSV file: the columns of ``dataio.agency_return.columns``, one row per
engagement, numbers as plain numbers, text cells safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from dataio.agency_return.build import AgencyReturn
from dataio.agency_return.columns import COLUMNS, Value
from foundation.cells import safe_text


def safe_cell(value: Value) -> str:
    """Return ``value`` as the CSV cell to write: numbers as written, text that a spreadsheet would
    take for a formula made inert (``foundation.cells``). Every cell of the file goes through here."""
    if value is None:
        return ""
    if isinstance(value, Decimal | int):
        return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
    return safe_text(str(value))


def render_csv(agency_return: AgencyReturn) -> bytes:
    """Return the return as CSV bytes (UTF-8 with a byte-order mark, so Excel reads it as such)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(column.heading) for column in COLUMNS])
    for row in agency_return.rows:
        writer.writerow([safe_cell(column.value(agency_return, row)) for column in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
