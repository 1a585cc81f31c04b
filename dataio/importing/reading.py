"""Reading an uploaded file into a table of rows, whatever the HR system saved it as.

CSV files may be UTF-8 (with or without the byte-order mark Excel writes), Windows-1252
(what Excel writes by default on a UK Windows PC) or UTF-16; comma, semicolon or tab
separated. XLSX workbooks are read from their first sheet, with date cells as dates.
Row numbers are the ones the person sees in Excel: the heading row is row 1, and
completely empty rows (such as the trailing rows a spreadsheet leaves) are skipped
without changing the numbering.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format
MAX_COLUMNS = 200


class FileUnreadable(ValueError):
    """The file cannot be read as a table at all; the message says what to do instead."""


@dataclass
class Table:
    """One file's heading row and data rows, as the person saw them."""

    name: str
    headings: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the file, cells)
    notes: list[str] = field(default_factory=list)


def normal_heading(heading: Any) -> str:
    """Return a heading as a column name: "Post reference" and "post-reference" read as ``post_reference``."""
    return re.sub(r"[^a-z0-9]+", "_", str(heading or "").strip().lower()).strip("_")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _decode(content: bytes) -> tuple[str, str | None]:
    """Return the text of a CSV file and a note on its encoding if it was not UTF-8."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "read as UTF-16 text"
    try:
        return content.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "read as Windows-1252 text (not UTF-8)"
    except UnicodeDecodeError as error:
        raise FileUnreadable(
            f"The file is neither UTF-8 nor Windows-1252 text (byte {error.start + 1} cannot be "
            "read). Save it from Excel as 'CSV UTF-8 (Comma delimited)' and import it again."
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_csv(name: str, content: bytes) -> Table:
    """Return the table in a CSV file's bytes."""
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileUnreadable("This is not a text file. Upload a CSV or XLSX file.")
    decoded, note = _decode(content)
    lines = decoded.splitlines()
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=_delimiter(first))
    try:
        raw = [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error as error:
        raise FileUnreadable(f"The CSV cannot be read ({error}).") from None
    return _table(name, raw, [note] if note else [])


def read_xlsx(name: str, content: bytes) -> Table:
    """Return the table on the first sheet of an XLSX workbook's bytes."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileUnreadable(f"This is not a readable XLSX workbook ({error}).") from None
    try:
        if not workbook.worksheets:
            raise FileUnreadable("The workbook has no sheets.")
        sheet = workbook.worksheets[0]
        raw = [
            (number, list(row[:MAX_COLUMNS]))
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        notes = []
        if len(workbook.worksheets) > 1:
            notes.append(f"read the first sheet, '{sheet.title}'; other sheets are ignored")
    finally:
        workbook.close()
    return _table(name, raw, notes)


def _table(name: str, raw: list[tuple[int, list[Any]]], notes: list[str]) -> Table:
    rows = [(number, cells) for number, cells in raw if not all(_blank(cell) for cell in cells)]
    if not rows:
        raise FileUnreadable("The file is empty; the first row must hold the column headings.")
    heading_number, headings = rows[0]
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
