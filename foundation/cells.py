"""Cells of the CSV and XLSX files the product writes, made safe to open in a spreadsheet.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula: a team named ``=HYPERLINK("http://x","y")`` or
``-2+3+cmd|' /C calc'!A0``, imported from an extract, would run on every reader's machine.
Following OWASP's guidance on CSV injection, such text is written with a single quote in
front, which spreadsheets show as text and never evaluate. Numbers, negative ones
included, stay numbers: in a CSV a number is written as its digits ("-3.5"), which is not a
formula; in an XLSX it is a number cell.

Every writer of a CSV or XLSX file calls ``safe_text`` on each cell (``safe_row`` on each
row), or ``make_inert`` on a finished openpyxl workbook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# The characters that make a spreadsheet read a cell as a formula (or DDE), with their
# full-width forms, which some spreadsheets read the same way.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# Characters a spreadsheet may skip before the ones above.
LEADING = " \t\r\n\u00a0\u3000"
NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")
QUOTE = "'"


def dangerous(text: str) -> bool:
    """Return whether a spreadsheet could read ``text`` as a formula."""
    if not text:
        return False
    if text[0] in "\t\r":
        return True
    start = text.lstrip(LEADING)
    if len(start) < 2:
        return False  # "-" alone (a blank in a table) is no formula
    return start[0] in FORMULA_STARTS and not NUMBER.fullmatch(start)


def safe_text(value: Any) -> Any:
    """Return ``value`` as it may be written to a cell: text a spreadsheet could read as a formula
    gets a single quote in front; anything else (numbers, dates, safe text) is returned as it is."""
    if isinstance(value, str) and dangerous(value):
        return QUOTE + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Return a row of cells with each made safe by ``safe_text``."""
    return [safe_text(value) for value in values]


def make_inert(workbook: Any) -> Any:
    """Make every cell of an openpyxl ``workbook`` safe before it is saved; return the workbook.

    Text is made safe by ``safe_text`` and stored as text. openpyxl stores any text that
    starts with "=" as a formula; the product writes no formulas, so a cell that would be
    one is written as the text it holds, quoted.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and (cell.data_type == "f" or dangerous(value)):
                    cell.value = safe_text(value) if dangerous(value) else QUOTE + value
                    cell.data_type = "s"
    return workbook
