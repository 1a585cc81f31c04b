"""Reading an uploaded file into a table of rows, whatever the HR system saved it as.

CSV files may be UTF-8 (with or without the byte-order mark Excel writes), UTF-16 with
its byte-order mark, or Windows-1252 (what Excel writes by default on a UK Windows PC)
where the whole file plausibly is; any other encoding, or a file mixing them, is refused
naming the first line that does not fit (``foundation.encodings``). Comma, semicolon or
tab separated. XLSX workbooks are read from their first sheet, streamed, with formulas
read as the values Excel saved and the other sheets named (``foundation.workbooks``).
Both are bounded: at most ``IMPORT_MAX_ROWS`` rows and ``MAX_COLUMNS`` columns a file, and
a workbook's expanded size and compression are checked before it is parsed.

Row numbers are the ones the person sees in Excel: the heading row is row 1, and
completely empty rows (such as the trailing rows a spreadsheet leaves) are skipped
without changing the numbering. A cell that cannot be read (a formula without a saved
value, an error) is an ``Unreadable`` value, reported with its row and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from foundation.encodings import NotDecodable, decode_text
from foundation.workbooks import Limits, NotReadable, Unreadable, count_rows, read_first_sheet

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format
MAX_COLUMNS = 200

__all__ = ["FileUnreadable", "Table", "Unreadable", "count_file_rows", "normal_heading", "read_table"]


class FileUnreadable(ValueError):
    """The file cannot be read as a table at all; the message says what to do instead."""


@dataclass
class Table:
    """One file's heading row and data rows, as the person saw them."""

    name: str
    headings: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the file, cells)
    notes: list[str] = field(default_factory=list)


def limits() -> Limits:
    """Return how much work reading one file may take, from the settings."""
    return Limits(
        max_rows=int(getattr(settings, "IMPORT_MAX_ROWS", 200_000)),
        max_cells=int(getattr(settings, "IMPORT_MAX_CELLS", 6_000_000)),
        max_columns=MAX_COLUMNS,
        max_expanded_bytes=int(getattr(settings, "IMPORT_MAX_XLSX_EXPANDED_BYTES", 256 * 2**20)),
        max_ratio=int(getattr(settings, "IMPORT_MAX_XLSX_RATIO", 100)),
    )


def normal_heading(heading: Any) -> str:
    """Return a heading as a column name: "Post reference" and "post-reference" read as ``post_reference``."""
    return re.sub(r"[^a-z0-9]+", "_", str(heading or "").strip().lower()).strip("_")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _too_many_rows(bounds: Limits) -> FileUnreadable:
    return FileUnreadable(
        f"The file has more than {bounds.max_rows:,} rows under its headings. Import at most that many "
        "at a time (split the file)."
    )


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_csv(name: str, content: bytes) -> Table:
    """Return the table in a CSV file's bytes."""
    try:
        decoded = decode_text(content)
    except NotDecodable as error:
        raise FileUnreadable(str(error)) from None
    text = decoded.text
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    bounds = limits()
    raw = []
    try:
        for number, row in enumerate(reader, start=1):
            if number > bounds.max_rows + 1:
                raise _too_many_rows(bounds)
            if len(row) > MAX_COLUMNS and any(not _blank(cell) for cell in row[MAX_COLUMNS:]):
                raise FileUnreadable(
                    f"Row {number} has more than the {MAX_COLUMNS} columns an import reads."
                )
            raw.append((number, row[:MAX_COLUMNS]))
    except csv.Error as error:
        raise FileUnreadable(f"The CSV cannot be read ({error}).") from None
    return _table(name, raw, [decoded.note] if decoded.note else [])


def read_xlsx(name: str, content: bytes) -> Table:
    """Return the table on the first sheet of an XLSX workbook's bytes."""
    bounds = limits()
    try:
        sheet = read_first_sheet(content, bounds)
    except NotReadable as error:
        raise FileUnreadable(str(error)) from None
    if len(sheet.rows) > bounds.max_rows + 1:
        raise _too_many_rows(bounds)
    notes = []
    if sheet.other_sheets:
        others = ", ".join(f"'{title}'" for title in sheet.other_sheets)
        notes.append(
            f"read the first sheet, '{sheet.title}', only; the workbook's other sheets ({others}) were "
            "not read"
        )
    table = _table(name, sheet.rows, notes)
    for column, (count, first) in sorted(sheet.formulas.items()):
        heading = table.headings[column - 1] if column <= len(table.headings) else f"column {column}"
        cells = f"{count} cells" if count != 1 else "1 cell"
        table.notes.append(
            f"{cells} of column {heading or column} hold formulas (first {first}): the values Excel saved "
            "for them were read"
        )
    return table


def _table(name: str, raw: list[tuple[int, list[Any]]], notes: list[str]) -> Table:
    rows = [(number, cells) for number, cells in raw if not all(_blank(cell) for cell in cells)]
    if not rows:
        raise FileUnreadable("The file is empty; the first row must hold the column headings.")
    heading_number, headings = rows[0]
    unreadable = next((heading for heading in headings if isinstance(heading, Unreadable)), None)
    if unreadable is not None:
        raise FileUnreadable(f"A heading cannot be read: {unreadable}.")
    if heading_number != 1:
        notes.append(f"the column headings are on row {heading_number}")
    # Trailing empty heading cells (a spreadsheet's unused columns) are dropped with
    # their cells, provided no data was typed under them.
    width = len(headings)
    while width and _blank(headings[width - 1]):
        width -= 1
    data = []
    for number, cells in rows[1:]:
        if any(not _blank(cell) for cell in cells[width:]):
            column = next(index for index, cell in enumerate(cells) if index >= width and not _blank(cell))
            raise FileUnreadable(
                f"Row {number} has a value in column {column + 1}, which has no heading. "
                "Give the column a heading or remove the value."
            )
        cells = list(cells[:width]) + [None] * (width - len(cells))
        data.append((number, cells))
    return Table(
        name=name,
        headings=[str(h).strip() if h is not None else "" for h in headings[:width]],
        rows=data,
        notes=notes,
    )


def read_table(name: str, content: bytes) -> Table:
    """Return the table in an uploaded file, recognising XLSX and CSV by their bytes."""
    if not content.strip():
        raise FileUnreadable("The file is empty; the first row must hold the column headings.")
    if content.startswith(XLSX_MAGIC):
        return read_xlsx(name, content)
    if content.startswith(OLE_MAGIC):
        raise FileUnreadable(
            "This is an old Excel 97-2003 (.xls) workbook. Save it as .xlsx or CSV and import again."
        )
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise FileUnreadable("The name ends in .xlsx but the file is not an Excel workbook.")
    return read_csv(name, content)


def count_file_rows(content: bytes, *, stop_after: int) -> int:
    """Return about how many rows a file holds (at least as many as it does), counting no further
    than ``stop_after``: cheap, for deciding whether an import goes to the background."""
    if content.startswith(XLSX_MAGIC):
        return count_rows(content, stop_after=stop_after, limits=limits())
    return min(content.count(b"\n") + 1, stop_after)
