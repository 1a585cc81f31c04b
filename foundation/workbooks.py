"""Reading the first sheet of an XLSX workbook honestly, with bounded work.

An XLSX file is a zip of XML. Before anything is parsed, the zip's directory is checked:
the whole workbook's size once expanded, and how far each part is compressed (a few
hundred kilobytes that expand to gigabytes are a "zip bomb", not a workbook). The sheet
is then streamed row by row (openpyxl's read-only parser), stopping as soon as it holds
more rows than an import accepts.

Each cell is read as Excel shows it:

- a formula is read as the value Excel saved with it, and counted so the person importing
  is told; a formula with no saved value (the workbook was written by a program that does
  not calculate, and never opened and saved in Excel) is not guessed: it is an
  ``Unreadable`` cell, naming the cell;
- an error (``#N/A``, ``#REF!``) is an ``Unreadable`` cell;
- text has Excel's escapes of control characters (``_x000D_``) turned back into the
  characters they stand for, so that the checks on text see them.

Other sheets are named in the notes, never silently ignored; a hidden first sheet is
refused, as the person would not see what is being imported.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

FORMULA_TAG = f"{{{SHEET_MAIN_NS}}}f"
VALUE_TAG = f"{{{SHEET_MAIN_NS}}}v"
MAX_MEMBERS = 1000  # parts of the zip; a real workbook has a few dozen
RATIO_FLOOR = 1024 * 1024  # parts smaller than this expanded are never a bomb
END_OF_DIRECTORY = b"PK\x05\x06"
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
ROW_TAGS = (b"<row", b":row")
CELL_TAGS = (b"<c ", b"<c>", b"<c/", b":c ", b":c>", b":c/")
CELLS_A_ROW = 25  # for deciding what is a large upload, a row's worth of cells


class NotReadable(ValueError):
    """The workbook cannot be read (or is refused unread); the message says why and what to do."""


@dataclass(frozen=True)
class Unreadable:
    """A cell whose value cannot be read; ``message`` says why, naming the cell."""

    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Limits:
    """How much work reading one workbook may take."""

    max_rows: int = 200_000  # rows under the heading row
    max_cells: int = 6_000_000  # cells of a sheet, empty or not: 200,000 rows of 30 columns
    max_columns: int = 200
    max_expanded_bytes: int = 256 * 1024 * 1024  # the whole zip's parts, expanded
    max_ratio: int = 100  # how far a part of more than RATIO_FLOOR may be compressed


@dataclass
class Sheet:
    """The first sheet's rows that hold anything, numbered as Excel numbers them."""

    title: str
    rows: list[tuple[int, list[Any]]]
    other_sheets: list[str] = field(default_factory=list)
    formulas: dict[int, tuple[int, str]] = field(default_factory=dict)  # column -> (count, first cell)


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size / 1024:,.0f} KB"


def _directory_entries(content: bytes) -> int | None:
    """Return the number of parts the zip's end-of-directory record declares (None: not found)."""
    at = content.rfind(END_OF_DIRECTORY, max(0, len(content) - 65_557))
    if at < 0 or len(content) < at + 22:
        return None
    return struct.unpack("<H", content[at + 10 : at + 12])[0]


def check_archive(content: bytes, limits: Limits) -> None:
    """Raise ``NotReadable`` if the zip's directory shows the workbook is too large once expanded,
    compressed beyond any real workbook, or carries XML declarations no workbook needs."""
    entries = _directory_entries(content)
    if entries is not None and entries > MAX_MEMBERS:
        raise NotReadable(
            f"The workbook is made of {entries:,} parts (a real one has a few dozen); it is refused unread."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise NotReadable(f"This is not a readable XLSX workbook ({error}).") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise NotReadable(f"The workbook is made of {len(infos):,} parts; it is refused unread.")
        expanded = sum(info.file_size for info in infos)
        if expanded > limits.max_expanded_bytes:
            raise NotReadable(
                f"The workbook would expand to {_mib(expanded)} when opened, more than the "
                f"{_mib(limits.max_expanded_bytes)} an import reads. Split it, or save it as CSV."
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
                raise NotReadable(
                    f"The workbook's part {info.filename} is compressed {ratio:,.0f} times over (a real "
                    f"workbook is compressed less than {limits.max_ratio} times): it is refused unread."
                )
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                with archive.open(info) as part:
                    if DTD.search(part.read(2048)):
                        raise NotReadable(
                            f"The workbook's part {info.filename} declares XML entities, which no "
                            "workbook needs; it is refused unread."
                        )


def _unescape(text: str) -> str:
    """Return text with Excel's ``_xHHHH_`` escapes turned back into their characters."""
    if "_x" not in text:
        return text
    return ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


class _Parser(WorkSheetParser):
    """openpyxl's streaming sheet parser, reading saved values and noting formulas and errors."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell = super().parse_cell(element)
        coordinate = f"{get_column_letter(cell['column'])}{cell['row']}"
        if element.find(FORMULA_TAG) is not None:
            saved = element.find(VALUE_TAG)
            if saved is None or (not saved.text and element.get("t") != "str"):
                cell["value"] = Unreadable(
                    f"cell {coordinate} holds a formula with no saved value (the workbook was never "
                    "calculated and saved in Excel); open it in Excel, save it, and import again, or "
                    "type the value in"
                )
                return cell
            cell["formula"] = True
            if cell["value"] is None:
                cell["value"] = ""
        if cell["data_type"] == "e":
            cell["value"] = Unreadable(f"cell {coordinate} holds the error {cell['value']}, not a value")
        elif isinstance(cell["value"], str):
            cell["value"] = _unescape(cell["value"])
        return cell


def _too_many_rows(limits: Limits) -> str:
    return (
        f"A sheet of the workbook has more than {limits.max_rows:,} rows under its headings (empty rows "
        "Excel keeps count too). Import at most that many at a time, or delete the rows not needed."
    )


def _rows(sheet: Any, limits: Limits) -> Iterator[tuple[int, dict[int, Any], list[tuple[int, str]]]]:
    """Yield each row of ``sheet`` with its cells by column and the formulas in it."""
    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = _Parser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for count, (number, cells) in enumerate(parser.parse(), start=1):
            if count > limits.max_rows + 1:
                raise NotReadable(_too_many_rows(limits))
            values: dict[int, Any] = {}
            formulas = []
            for cell in cells:
                values[cell["column"]] = cell["value"]
                if cell.get("formula"):
                    formulas.append((cell["column"], f"{get_column_letter(cell['column'])}{number}"))
            yield number, values, formulas


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_first_sheet(content: bytes, limits: Limits) -> Sheet:
    """Return the rows of the first sheet of the XLSX workbook in ``content``, or raise ``NotReadable``."""
    check_archive(content, limits)
    # Every sheet's rows are counted before openpyxl opens the workbook, as it parses the
    # whole of a sheet that does not declare its size just to open it: scanning is fast,
    # parsing is not.
    # Every XML part is scanned, wherever the workbook's relationships put its sheets.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                rows, cells = scan_part(
                    archive, name, stop_rows=limits.max_rows + 1, stop_cells=limits.max_cells
                )
                if rows > limits.max_rows + 1:
                    raise NotReadable(_too_many_rows(limits))
                if cells > limits.max_cells:
                    raise NotReadable(
                        f"A sheet of the workbook holds more than {limits.max_cells:,} cells (empty cells "
                        "Excel keeps count too), more than an import reads. Delete the rows and columns "
                        "not needed, or split it."
                    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of what it cannot read; errors say it here
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError) as error:
        raise NotReadable(f"This is not a readable XLSX workbook ({error}).") from None
    try:
        if not book.worksheets:
            raise NotReadable("The workbook has no sheets.")
        sheet = book.worksheets[0]
        if sheet.sheet_state != "visible":
            raise NotReadable(
                f"The first sheet, '{sheet.title}', is hidden in Excel. Unhide it, or move the sheet to "
                "import to the front, and import again."
            )
        rows: list[tuple[int, list[Any]]] = []
        formulas: dict[int, tuple[int, str]] = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, values, found in _rows(sheet, limits):
                for column, coordinate in found:
                    count, first = formulas.get(column, (0, coordinate))
                    formulas[column] = (count + 1, first)
                filled = [column for column, value in values.items() if not _blank(value)]
                if not filled:
                    continue
                if max(filled) > limits.max_columns:
                    raise NotReadable(
                        f"Row {number} has a value in column {get_column_letter(max(filled))}, beyond the "
                        f"{limits.max_columns} columns an import reads."
                    )
                width = min(max(values), limits.max_columns)
                rows.append((number, [values.get(column) for column in range(1, width + 1)]))
        others = [name for name in book.sheetnames if name != sheet.title]
    except NotReadable:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError, zlib.error) as error:
        raise NotReadable(f"This is not a readable XLSX workbook ({error}).") from None
    finally:
        book.close()
    return Sheet(title=sheet.title, rows=rows, other_sheets=others, formulas=formulas)


def count_rows(content: bytes, *, stop_after: int, limits: Limits) -> int:
    """Return how many rows the workbook's sheets hold, counting no further than ``stop_after``;
    a wide sheet counts a row for every ``CELLS_A_ROW`` cells, as its work is in its cells.

    Reads the expanded XML a piece at a time without parsing it, so deciding whether an
    upload is large costs little. A workbook that would be refused unread counts as 0 rows:
    reading it is quick.
    """
    try:
        check_archive(content, limits)
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (NotReadable, zipfile.BadZipFile):
        return 0
    with archive:
        try:
            rows = cells = 0
            for name in archive.namelist():
                if name.endswith(".xml"):
                    more_rows, more_cells = scan_part(
                        archive,
                        name,
                        stop_rows=stop_after - rows,
                        stop_cells=(stop_after - rows) * CELLS_A_ROW,
                    )
                    rows, cells = rows + more_rows, cells + more_cells
                    if max(rows, cells // CELLS_A_ROW) >= stop_after:
                        break
        except (zipfile.BadZipFile, OSError, zlib.error, EOFError):
            return 0
    return min(max(rows, cells // CELLS_A_ROW), stop_after)


def scan_part(archive: zipfile.ZipFile, name: str, *, stop_rows: int, stop_cells: int) -> tuple[int, int]:
    """Return how many row and cell tags the part ``name`` holds, stopping once either count
    passes its limit: the expanded XML is scanned a megabyte at a time, not parsed."""
    rows = cells = 0
    tail = b""
    with archive.open(name) as part:
        while chunk := part.read(1 << 20):
            text = tail + chunk
            # "<row" and "<x:row" (a prefixed namespace) open a row, "<c " a cell: counting bytes
            # is many times faster than a pattern; a rare "<rowBreaks" counted too does no harm.
            rows += _tags(text, ROW_TAGS)
            cells += _tags(text, CELL_TAGS)
            # A tag split across two pieces is counted in the next; none is counted twice.
            tail = text[-8:]
            rows -= _tags(tail, ROW_TAGS)
            cells -= _tags(tail, CELL_TAGS)
            if rows > stop_rows or cells > stop_cells:
                return rows, cells
    return rows + _tags(tail, ROW_TAGS), cells + _tags(tail, CELL_TAGS)


def _tags(text: bytes, tags: tuple[bytes, ...]) -> int:
    return sum(text.count(tag) for tag in tags)
