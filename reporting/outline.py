"""The committee paper laid out: parts in the papers' order, paragraphs numbered once.

The print-ready HTML (and so the PDF), the Word document and every page that previews
the paper lay out this outline, so their paragraph numbers, footnote marks, column widths
and page orientation agree. Pure functions over a ``CommitteeSummary``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reporting.figures import (
    DEFAULT_PURPOSE,
    DEFAULT_TITLE,
    TEXT,
    Chart,
    CommitteeSummary,
    PaperText,
    Table,
    long_date,
)

# The printable width in characters of the paper's table text (9 pt Arial: about 5 pt a
# character) on A4 with 2 cm margins: 17 cm portrait, 25.7 cm landscape. A table whose
# columns need more than the portrait width goes on a landscape page.
PORTRAIT_CHARACTERS = 92
LANDSCAPE_CHARACTERS = 140
CELL_PADDING = 2  # characters a cell's padding and borders take
LABEL_MIN = 16  # a row label may wrap, but not into a column narrower than this
LABEL_MAX = 34
APPENDIX_ROWS = 10  # with the appendix on, tables of more rows than this go there
QUOTES_SHOWN = 12  # the most recent consented quotes the paper prints


@dataclass(frozen=True)
class Paragraph:
    number: int | None
    text: str


@dataclass(frozen=True)
class RowLayout:
    cells: tuple[str, ...]
    total: bool
    marks: str  # footnote numbers, e.g. "2" or "2, 3"


@dataclass(frozen=True)
class Footnote:
    number: int
    term: str
    text: str


@dataclass(frozen=True)
class TableLayout:
    key: str
    title: str
    headings: tuple[str, ...]
    numeric: tuple[bool, ...]  # per column: right-align it
    rows: tuple[RowLayout, ...]
    marks: str
    widths: tuple[int, ...] = ()  # per column, % of the table's width (adding up to 100)
    width: int = 100  # the table's width, % of the printable width
    landscape: bool = False  # too wide for a portrait page
    notes: tuple[Footnote, ...] = ()  # the definitions first marked in this table, printed under it
    appendix: str = ""  # "Appendix A" when the table is printed in the appendix


@dataclass(frozen=True)
class Part:
    key: str
    heading: str
    paragraphs: tuple[Paragraph, ...] = ()
    tables: tuple[TableLayout, ...] = ()
    charts: tuple[Chart, ...] = ()
    quotes: tuple[str, ...] = ()
    closing: tuple[Paragraph, ...] = ()  # the author's paragraphs after the figures
    period: str = ""  # the window the part's figures count over, e.g. "1 April 2015 to 31 May 2016"
    notes: tuple[str, ...] = ()  # unnumbered lines after the tables: where a table went, quotes left out
    numbered: bool = True  # background papers are a plain list

    @property
    def title(self) -> str:
        """Return the heading with the window: "Starters: 1 October 2025 to 30 September 2026"."""
        return f"{self.heading}: {self.period}" if self.period else self.heading


@dataclass(frozen=True)
class Outline:
    title: str
    committee: str
    meeting: str
    subtitle: str
    status: str
    parts: tuple[Part, ...]
    footnotes: tuple[Footnote, ...]  # the definitions not printed beside a table
    officer_to_contact: tuple[str, ...]
    summary: tuple[str, ...] = ()
    recommendation: tuple[str, ...] = ()
    appendix: tuple[TableLayout, ...] = ()
    footer: str = ""  # committee and meeting date, for each page's foot
    version: str = ""


NARRATIVE_BEFORE = (
    ("purpose", "Purpose of report"),
    ("policy_framework", "Policy framework and previous decisions"),
    ("background", "Background"),
)
FIGURES = (
    "measures",
    "forecast",  # optional: only where the report includes it
    "vacancies",
    "agency",
    "agency_rules",
    "permanent_fill",
    "starters",
    "recruitment",
    "leavers",
    "reasons",
    "experience",
    "caseloads",
    "absence",
    "strategy",
)
NARRATIVE_AFTER = (
    ("financial_implications", "Financial implications"),
    ("legal_implications", "Legal implications"),
    ("equality_implications", "Equality and human rights implications"),
    ("conclusion", "Conclusion"),
    ("recommendations", "Recommendations"),
)
QUOTES_INTRODUCTION = "Leavers who agreed to be quoted anonymously gave their managers examples including:"


def paragraphs_of(text: str) -> list[str]:
    """Return the paragraphs of ``text``: blocks separated by blank lines, lines joined."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in text.split("\n\n")]
    return [block.strip() for block in blocks if block.strip()]


def _marks(summary: CommitteeSummary, keys: tuple[str, ...]) -> str:
    return ", ".join(str(summary.footnote_number(key)) for key in keys)


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def column_characters(table: Table) -> tuple[list[int], int]:
    """Return the characters each column would like, and the fewest the row labels can
    wrap into: a figure never wraps, a heading wraps at its spaces, and a row label wraps
    to no fewer than ``LABEL_MIN`` characters (or its longest word) and needs no more
    than ``LABEL_MAX``."""
    needed, label_min = [], 0
    for index, column in enumerate(table.columns):
        # A row label's footnote marks take a few characters more.
        texts = [row.cells[index].text + (" 00" * bool(index == 0 and row.footnotes)) for row in table.rows]
        if index == 0:
            longest = max((len(text) for text in texts), default=0)
            words = max([_longest_word(column.heading), *(_longest_word(text) for text in texts)])
            label_min = max(LABEL_MIN, words) + CELL_PADDING
            needed.append(max(label_min, min(longest, LABEL_MAX) + CELL_PADDING))
        else:
            figures = max((len(text) for text in texts), default=0)
            needed.append(max(figures, _longest_word(column.heading)) + CELL_PADDING)
    return needed, label_min


def _widths(needed: list[int], label_min: int) -> tuple[tuple[int, ...], int, bool]:
    """Return each column's % of the table, the table's % of the printable width, and
    whether it needs a landscape page (only if it cannot fit with its labels wrapped)."""
    if sum(needed) > PORTRAIT_CHARACTERS:
        needed = [max(label_min, needed[0] - (sum(needed) - PORTRAIT_CHARACTERS)), *needed[1:]]
    total = sum(needed)
    landscape = total > PORTRAIT_CHARACTERS
    capacity = LANDSCAPE_CHARACTERS if landscape else PORTRAIT_CHARACTERS
    widths = [round(100 * n / total) for n in needed]
    widths[0] += 100 - sum(widths)
    # A narrow table is not stretched across the page; a wide one fills it.
    width = min(100, max(45, round(100 * total / capacity) + 8))
    return tuple(widths), width, landscape


def table_layout(summary: CommitteeSummary, table: Table) -> TableLayout:
    """Return ``table`` as printed: texts, footnote marks, which columns are figures, the
    columns' widths and whether it needs a landscape page."""
    numeric = tuple(
        index > 0 and any(row.cells[index].kind != TEXT for row in table.rows)
        for index in range(len(table.columns))
    )
    widths, width, landscape = _widths(*column_characters(table))
    return TableLayout(
        key=table.key,
        title=table.title,
        headings=tuple(column.heading for column in table.columns),
        numeric=numeric,
        rows=tuple(
            RowLayout(
                cells=tuple(cell.text for cell in row.cells),
                total=row.total,
                marks=_marks(summary, row.footnotes),
            )
            for row in table.rows
        ),
        marks=_marks(summary, table.footnotes),
        widths=widths,
        width=width,
        landscape=landscape,
    )


class _Numbers:
    def __init__(self) -> None:
        self.last = 0

    def paragraphs(self, texts: list[str]) -> tuple[Paragraph, ...]:
        numbered = []
        for text in texts:
            self.last += 1
            numbered.append(Paragraph(self.last, text))
        return tuple(numbered)


class _Notes:
    """Hands each definition to the first table that marks it, to print beneath it."""

    def __init__(self, summary: CommitteeSummary) -> None:
        self.summary = summary
        self.given: set[str] = set()

    def beside(self, layout: TableLayout, table: Table) -> TableLayout:
        keys = [*table.footnotes, *(key for row in table.rows for key in row.footnotes)]
        notes = []
        for key in dict.fromkeys(keys):
            if key in self.given:
                continue
            self.given.add(key)
            definition = self.summary.definition(key)
            notes.append(Footnote(self.summary.footnote_number(key), definition.term, definition.text))
        return replace(layout, notes=tuple(sorted(notes, key=lambda note: note.number)))

    def rest(self) -> tuple[Footnote, ...]:
        return tuple(
            Footnote(number, definition.term, definition.text)
            for number, definition in enumerate(self.summary.definitions, 1)
            if definition.key not in self.given
        )


def _appendix_letter(number: int) -> str:
    return f"Appendix {chr(ord('A') + number)}" if number < 26 else f"Appendix {number + 1}"


def outline(summary: CommitteeSummary) -> Outline:
    """Return the paper for ``summary``: its parts in order with paragraphs numbered, each
    table's definitions beneath it and, if the report asks, its large tables in an appendix."""
    paper = summary.paper or PaperText(title=DEFAULT_TITLE, purpose=DEFAULT_PURPOSE)
    numbers = _Numbers()
    notes = _Notes(summary)
    appendix: list[TableLayout] = []
    parts: list[Part] = []

    def laid_out(tables: tuple[Table, ...]) -> tuple[tuple[TableLayout, ...], tuple[str, ...]]:
        kept, moved = [], []
        for table in tables:
            if not table.rows:
                continue
            layout = notes.beside(table_layout(summary, table), table)
            if paper.large_tables_in_appendix and (len(table.rows) > APPENDIX_ROWS or layout.landscape):
                layout = replace(layout, appendix=_appendix_letter(len(appendix)))
                appendix.append(layout)
                moved.append(f"The table “{layout.title}” is in {layout.appendix}.")
            else:
                kept.append(layout)
        return tuple(kept), tuple(moved)

    for key, heading in NARRATIVE_BEFORE:
        texts = paragraphs_of(getattr(paper, key))
        if texts:
            parts.append(Part(key=key, heading=heading, paragraphs=numbers.paragraphs(texts)))
    for key in FIGURES:
        section = next((section for section in summary.sections if section.key == key), None)
        if section is None:  # published before the section was added to the report
            continue
        texts = [section.sentence]
        quotes = section.quotes[-QUOTES_SHOWN:]
        if quotes:
            texts.append(QUOTES_INTRODUCTION)
        tables, moved = laid_out(section.tables)
        if len(section.quotes) > len(quotes):
            moved += (
                f"The {len(quotes)} most recent of the {len(section.quotes)} quotes leavers agreed to "
                "share are shown.",
            )
        parts.append(
            Part(
                key=key,
                heading=section.title,
                paragraphs=numbers.paragraphs(texts),
                tables=tables,
                charts=section.charts,
                quotes=quotes,
                period=section.window.label if section.window else "",
                notes=moved,
            )
        )
    spend = summary.section("agency_spend")
    tables, moved = laid_out(spend.tables)
    parts.append(
        Part(
            key="resource_implications",
            heading="Resource implications",
            paragraphs=numbers.paragraphs([spend.sentence]),
            tables=tables,
            closing=numbers.paragraphs(paragraphs_of(paper.resource_implications)),
            period=spend.window.label if spend.window else "",
            notes=moved,
        )
    )
    for key, heading in NARRATIVE_AFTER:
        texts = paragraphs_of(getattr(paper, key))
        if texts:
            parts.append(Part(key=key, heading=heading, paragraphs=numbers.paragraphs(texts)))
    papers = [line.strip() for line in paper.background_papers.splitlines() if line.strip()]
    if papers:
        parts.append(
            Part(
                key="background_papers",
                heading="Background papers",
                paragraphs=tuple(Paragraph(None, line) for line in papers),
                numbered=False,
            )
        )

    meeting = ", ".join(filter(None, [paper.committee, paper.meeting_date and long_date(paper.meeting_date)]))
    status = "Published" if paper.status == "published" else "Draft: figures are built from today's records"
    if paper.status == "published" and paper.published_at:
        status = f"Published {long_date(paper.published_at.date())}"
    version = ""
    if paper.version > 1 or paper.supersedes:
        version = " ".join(filter(None, [f"Version {paper.version}.", paper.supersedes]))
    summary_lines = tuple(paragraphs_of(paper.summary))
    return Outline(
        title=paper.title or DEFAULT_TITLE,
        committee=paper.committee,
        meeting=meeting,
        subtitle=f"Figures as at {long_date(summary.as_of)}. Scope: {summary.scope_label}.",
        status=status,
        parts=tuple(parts),
        footnotes=notes.rest(),
        officer_to_contact=tuple(
            line.strip() for line in paper.officer_to_contact.splitlines() if line.strip()
        ),
        summary=summary_lines,
        recommendation=tuple(paragraphs_of(paper.recommendations)) if summary_lines else (),
        appendix=tuple(appendix),
        footer=meeting if paper.status == "published" else " ".join(filter(None, [meeting, "(draft)"])),
        version=version,
    )


def without_words(summary: CommitteeSummary) -> CommitteeSummary:
    """Return ``summary`` as readers see it: figures only, no quotes and no narrative."""
    sections = tuple(replace(section, quotes=()) for section in summary.sections)
    words = summary.paper or PaperText(title=DEFAULT_TITLE)
    paper = PaperText(
        title=words.title,
        committee=words.committee,
        meeting_date=words.meeting_date,
        status=words.status,
        published_at=words.published_at,
        version=words.version,
        supersedes=words.supersedes,
    )
    return replace(summary, sections=sections, paper=paper)
