"""Every table of the summary as a sheet of an Excel workbook, numbers stored as numbers."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from foundation.cells import make_inert
from reporting.exporters.base import Exporter, data_columns, data_value, definition_keys
from reporting.figures import COUNT, DAYS, FTE, MONEY, RATE, CommitteeSummary, long_date

NUMBER_FORMATS = {RATE: "0.0%", FTE: "0.0", COUNT: "#,##0", MONEY: "£#,##0.00", DAYS: "#,##0.0"}
BOLD = Font(bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")


SHEET_NAME_LENGTH = 31  # Excel's limit
DANGLING = {"and", "or", "of", "by", "to", "the", "a", "in", "for", "with", "at", "on"}


def shorten_words(text: str, length: int) -> str:
    """Return ``text`` cut to at most ``length`` characters at a word boundary, without a
    dangling "and", "of"... or trailing punctuation ("Turnover, vacancy and agency")."""
    if len(text) <= length:
        return text
    words = text[: length + 1].split()
    if len(text[: length + 1].rstrip()) > length or not text[length].isspace():
        words = words[:-1]  # the last word was cut
    while words and words[-1].lower().strip(",;:-–") in DANGLING:
        words.pop()
    shortened = " ".join(words).rstrip(",;:-– ")
    return shortened or text[:length].strip()


def _sheet_title(title: str, used: set[str]) -> str:
    """Return a sheet name Excel accepts (31 characters, none of []:*?/\\), cut at a word
    boundary and unique in the book ("Agency workers by reason (2)")."""
    clean = " ".join("".join(" " if ch in "[]:*?/\\" else ch for ch in title).split())
    name = shorten_words(clean, SHEET_NAME_LENGTH)
    number = 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = shorten_words(clean, SHEET_NAME_LENGTH - len(suffix)) + suffix, number + 1
    used.add(name.lower())
    return name


def _print_ready(sheet: Worksheet, width: int, first_note: int) -> None:
    """Set ``sheet`` to print as the paper does: landscape, one page wide, the heading row on
    every page and wrapped, and each definition under the table wrapped across its columns."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"
    for cell in sheet[1]:
        cell.alignment = WRAPPED
    last = get_column_letter(max(width, 4))
    for row in range(first_note, sheet.max_row + 1):
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet[f"A{row}"].alignment = WRAPPED
        # Merged cells do not grow to fit: about 150 characters a line across the table.
        sheet.row_dimensions[row].height = 13 * (1 + len(str(sheet[f"A{row}"].value or "")) // 150)


class XlsxExporter(Exporter):
    identifier = "xlsx"
    verbose_name = "Excel (XLSX)"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, summary: CommitteeSummary) -> tuple[str, str, bytes]:
        book = Workbook()
        contents = book.active
        contents.title = "Contents"
        used = {"contents", "definitions"}
        contents.append([summary.paper.title if summary.paper else "Committee report figures"])
        contents["A1"].font = Font(bold=True, size=14)
        contents.append(["Figures as at", summary.as_of])
        contents["B2"].number_format = "d mmmm yyyy"
        contents.append(["Scope", summary.scope_label])
        contents.append(
            ["Analysis window", f"{long_date(summary.window_start)} to {long_date(summary.window_end)}"]
        )
        contents.append(["Built", summary.built_at.replace(tzinfo=None)])
        contents["B5"].number_format = "d mmmm yyyy hh:mm"
        if summary.suppression_threshold:
            contents.append(["Small counts", f"Counts under {summary.suppression_threshold} are withheld"])
        contents.append([])
        contents.append(["Sheet", "Table"])
        for cell in contents[contents.max_row]:
            cell.font = BOLD

        for table in summary.tables():
            sheet = book.create_sheet(_sheet_title(table.title, used))
            contents.append([sheet.title, table.title])
            columns = data_columns(table)
            sheet.append([heading for _, _, heading in columns])
            for cell in sheet[1]:
                cell.font = BOLD
            for row in table.rows:
                values = []
                formats = []
                for index, fte_part, _ in columns:
                    value, kind = data_value(row.cells[index], fte_part)
                    if isinstance(value, Decimal):
                        value = value / 100 if kind == RATE else value
                        value = int(value) if kind == COUNT else float(value)
                    values.append(value)
                    formats.append(NUMBER_FORMATS.get(kind))
                sheet.append(values)
                for cell, number_format in zip(sheet[sheet.max_row], formats, strict=True):
                    if number_format and isinstance(cell.value, int | float):
                        cell.number_format = number_format
                    if row.total:
                        cell.font = BOLD
            sheet.append([])
            for key in definition_keys(table):
                definition = summary.definition(key)
                sheet.append([f"{definition.term}: {definition.text}"])
            sheet.column_dimensions["A"].width = 44
            for number in range(2, len(columns) + 1):
                sheet.column_dimensions[get_column_letter(number)].width = 18
            sheet.freeze_panes = "B2"
            _print_ready(sheet, len(columns), first_note=len(table.rows) + 3)

        definitions = book.create_sheet("Definitions")
        definitions.append(["Term", "Definition"])
        for definition in summary.definitions:
            definitions.append([definition.term, definition.text])
        definitions.column_dimensions["A"].width = 34
        definitions.column_dimensions["B"].width = 120
        for sheet in (contents, definitions):
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        for row in definitions.iter_rows(min_row=2, min_col=2, max_col=2):
            row[0].alignment = WRAPPED
        contents.column_dimensions["A"].width = 34
        contents.column_dimensions["B"].width = 60

        buffer = io.BytesIO()
        make_inert(book).save(buffer)  # no text from the records becomes a formula
        return self.filename(summary), self.content_type, buffer.getvalue()
