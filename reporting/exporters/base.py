"""The exporter contract, and the plain rows the data exports (XLSX, CSV) share."""

from __future__ import annotations

from decimal import Decimal

from django.utils.text import slugify

from reporting.figures import FTE, TEXT, Cell, CommitteeSummary, Table


class Exporter:
    """Turn a committee summary into a file. Subclasses set the attributes and ``render``."""

    identifier: str = ""
    verbose_name: str = ""
    extension: str = ""
    content_type: str = "application/octet-stream"

    def filename(self, summary: CommitteeSummary) -> str:
        """Return e.g. ``committee-report-2019-06-30.pdf`` (the scope added unless it is all teams)."""
        scope = "" if summary.scope_text == "all" else f"-{slugify(summary.scope_label)}"
        return f"committee-report-{summary.as_of.isoformat()}{scope}.{self.extension}"

    def render(self, summary: CommitteeSummary) -> tuple[str, str, bytes]:
        raise NotImplementedError


def definition_keys(table: Table) -> list[str]:
    """Return the keys of every definition behind ``table``, the scope first."""
    keys = ["scope", *table.footnotes]
    for row in table.rows:
        keys.extend(row.footnotes)
    return list(dict.fromkeys(keys))


def data_columns(table: Table) -> list[tuple[int, bool, str]]:
    """Return the data export's columns as (table column index, is the FTE part, heading).

    A column whose cells carry a rate's FTE ("13.3% (31.3)") becomes two: the rate and
    its FTE, so both are numbers.
    """
    columns = []
    for index, column in enumerate(table.columns):
        columns.append((index, False, column.heading or "Item"))
        if any(row.cells[index].fte is not None for row in table.rows):
            columns.append((index, True, f"{column.heading} FTE"))
    return columns


def data_value(cell: Cell, fte_part: bool) -> tuple[Decimal | str | None, str]:
    """Return what a data export stores for ``cell`` and the kind of number it is.

    Numbers stay numbers (a rate as its percentage, 42.2); withheld figures are their
    text ("<5"); an undefined figure is empty.
    """
    if cell.suppressed:
        return cell.text, TEXT
    if fte_part:
        return cell.fte, FTE
    if cell.kind == TEXT:
        return cell.text, TEXT
    return cell.value, cell.kind
