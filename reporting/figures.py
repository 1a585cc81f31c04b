"""The committee summary's plain data: cells that carry both the number and the text the
paper prints, rows, tables, charts, sections, definitions, and the summary itself.

Frozen dataclasses only; ``reporting.summary`` builds them, ``reporting.frozen`` stores
them, and the outline, pages and exporters lay them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from foundation import measures
from foundation.dates import long_date  # noqa: F401 - the papers write dates in the one style
from foundation.periods import is_month_end
from foundation.windows import Window

# What a cell holds; the exporters choose number formats by it.
TEXT = "text"
RATE = "rate"  # a percentage, e.g. 13.3 for 13.3%
FTE = "fte"
COUNT = "count"  # people (or records, in tables that are not of people)
MONEY = "money"
DAYS = "days"


@dataclass(frozen=True)
class Cell:
    """One figure (or label) as the paper prints it, with the number behind it."""

    text: str
    kind: str = TEXT
    value: Decimal | None = None
    fte: Decimal | None = None  # a rate's FTE, printed in brackets: "13.3% (31.3)"
    suppressed: bool = False


@dataclass(frozen=True)
class Column:
    key: str
    heading: str


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Cell, ...]  # one per column; the first is the row's label
    total: bool = False
    footnotes: tuple[str, ...] = ()  # keys of definitions

    @property
    def label(self) -> str:
        return self.cells[0].text


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    footnotes: tuple[str, ...] = ()
    people: bool = True  # counts in it are of people, so small ones are suppressed when published

    def row(self, key: str) -> Row:
        return next(row for row in self.rows if row.key == key)

    def column_index(self, key: str) -> int:
        return next(i for i, column in enumerate(self.columns) if column.key == key)

    def cell(self, row_key: str, column_key: str) -> Cell:
        return self.row(row_key).cells[self.column_index(column_key)]

    def has_row(self, key: str) -> bool:
        return any(row.key == key for row in self.rows)


@dataclass(frozen=True)
class Chart:
    """A chart drawn from a table: one series per row (``series_in="rows"``, the columns
    along the axis) or one series per column (the rows along the axis)."""

    key: str
    title: str
    kind: str  # "line", "bar" or "barh"
    table: str
    series_in: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    unit: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...]
    sentence: str = ""  # what the paper prints: the author's wording, or the draft
    drafted: str = ""  # the sentence drafted from the figures
    charts: tuple[Chart, ...] = ()
    quotes: tuple[str, ...] = ()
    window: Window | None = None  # what a section counted over a period counts over

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


@dataclass(frozen=True)
class Definition:
    key: str
    term: str
    text: str


@dataclass(frozen=True)
class PaperText:
    """The report's own words around the figures: written in the admin."""

    title: str
    committee: str = ""
    meeting_date: dt.date | None = None
    summary: str = ""  # printed at the top, with the recommendations, when given
    purpose: str = ""
    policy_framework: str = ""
    background: str = ""
    resource_implications: str = ""
    conclusion: str = ""
    recommendations: str = ""
    financial_implications: str = ""
    legal_implications: str = ""
    equality_implications: str = ""
    background_papers: str = ""
    officer_to_contact: str = ""
    status: str = "draft"
    published_at: dt.datetime | None = None
    version: int = 1
    supersedes: str = ""  # e.g. "This version corrects the paper published on 3 September 2026."
    large_tables_in_appendix: bool = False


DEFAULT_TITLE = "Recruitment and retention of children's social workers"
DEFAULT_PURPOSE = (
    "The purpose of this report is to provide an update on the recruitment and retention of "
    "children's social workers and the current position."
)


@dataclass(frozen=True)
class CommitteeSummary:
    as_of: dt.date
    dates: tuple[dt.date, ...]  # the measures table's dates, oldest first; the last is ``as_of``
    baseline: dt.date | None
    scope_text: str
    scope_label: str
    window_start: dt.date
    window_end: dt.date
    window_months: int
    built_at: dt.datetime
    sections: tuple[Section, ...]
    definitions: tuple[Definition, ...]
    suppression_threshold: int | None = None
    paper: PaperText | None = None

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def table(self, key: str) -> Table:
        return next(table for section in self.sections for table in section.tables if table.key == key)

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def definition(self, key: str) -> Definition:
        return next(definition for definition in self.definitions if definition.key == key)

    def footnote_number(self, key: str) -> int:
        """Return the number the paper gives definition ``key`` in its footnotes."""
        return next(i for i, definition in enumerate(self.definitions, 1) if definition.key == key)

    @property
    def scope_phrase(self) -> str:
        """Return how a sentence opens on the scope: "Across all teams", "In case-holding teams"."""
        if self.scope_text == "all":
            return "Across all teams"
        if self.scope_text == "case-holding":
            return "In case-holding teams"
        label = self.scope_label
        if label.startswith(("All teams", "Case-holding teams")):
            label = label[0].lower() + label[1:]
        return f"In {label}"


# --- Cells ---------------------------------------------------------------------------------


def text_cell(text: str) -> Cell:
    return Cell(text=text)


def rate_cell(rate: Decimal | None, fte: Decimal | None = None) -> Cell:
    text = measures.format_rate(rate) if fte is None else measures.format_rate_fte(rate, fte)
    return Cell(text=text, kind=RATE, value=rate, fte=fte)


def fte_cell(value: Decimal) -> Cell:
    return Cell(text=measures.format_fte(value), kind=FTE, value=Decimal(value))


def count_cell(value: int) -> Cell:
    return Cell(text=measures.format_count(value), kind=COUNT, value=Decimal(value))


def money_cell(value: Decimal | None) -> Cell:
    return Cell(text=measures.format_money(value), kind=MONEY, value=value)


def variance_cell(value: Decimal | None) -> Cell:
    """Return an amount over (under) a budget: "£1,234" over, "(£1,234)" under."""
    return Cell(text=measures.format_variance(value), kind=MONEY, value=value)


def days_cell(value: Decimal) -> Cell:
    return Cell(text=measures.format_days(value), kind=DAYS, value=value)


def column_heading(day: dt.date, *, baseline: bool) -> str:
    """Return a measures table heading: "June 2019" for a month-end, else the full date."""
    label = f"{day:%B %Y}" if is_month_end(day) else long_date(day)
    return f"Baseline ({label})" if baseline else label
