"""The committee paper laid out: parts in the papers' order, paragraphs numbered once.

The print-ready HTML (and so the PDF), the Word document and every page that previews
the paper lay out this outline, so their paragraph numbers and footnote marks agree.
Pure functions over a ``CommitteeSummary``.
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
class TableLayout:
    key: str
    title: str
    headings: tuple[str, ...]
    numeric: tuple[bool, ...]  # per column: right-align it
    rows: tuple[RowLayout, ...]
    marks: str


@dataclass(frozen=True)
class Part:
    key: str
    heading: str
    paragraphs: tuple[Paragraph, ...] = ()
    tables: tuple[TableLayout, ...] = ()
    charts: tuple[Chart, ...] = ()
    quotes: tuple[str, ...] = ()
    closing: tuple[Paragraph, ...] = ()  # the author's paragraphs after the figures


@dataclass(frozen=True)
class Footnote:
    number: int
    term: str
    text: str


@dataclass(frozen=True)
class Outline:
    title: str
    committee: str
    meeting: str
    subtitle: str
    status: str
    parts: tuple[Part, ...]
    footnotes: tuple[Footnote, ...]
    officer_to_contact: tuple[str, ...]


NARRATIVE_BEFORE = (
    ("purpose", "Purpose of report"),
    ("policy_framework", "Policy framework and previous decisions"),
    ("background", "Background"),
)
FIGURES = (
    "measures",
    "vacancies",
    "agency",
    "agency_rules",
    "permanent_fill",
    "starters",
    "recruitment",
    "leavers",
    "experience",
    "absence",
    "strategy",
)
NARRATIVE_AFTER = (
    ("conclusion", "Conclusion"),
    ("recommendations", "Recommendations"),
    ("equality_implications", "Equality and human rights implications"),
)
QUOTES_INTRODUCTION = "Leavers who agreed to be quoted anonymously gave their managers examples including:"


def paragraphs_of(text: str) -> list[str]:
    """Return the paragraphs of ``text``: blocks separated by blank lines, lines joined."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in text.split("\n\n")]
    return [block.strip() for block in blocks if block.strip()]


def _marks(summary: CommitteeSummary, keys: tuple[str, ...]) -> str:
    return ", ".join(str(summary.footnote_number(key)) for key in keys)


def table_layout(summary: CommitteeSummary, table: Table) -> TableLayout:
    """Return ``table`` as printed: texts, footnote marks, which columns are figures."""
    numeric = tuple(
        index > 0 and any(row.cells[index].kind != TEXT for row in table.rows)
        for index in range(len(table.columns))
    )
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


def outline(summary: CommitteeSummary) -> Outline:
    """Return the paper for ``summary``: its parts in order with paragraphs numbered."""
    paper = summary.paper or PaperText(title=DEFAULT_TITLE, purpose=DEFAULT_PURPOSE)
    numbers = _Numbers()
    parts: list[Part] = []
    for key, heading in NARRATIVE_BEFORE:
        texts = paragraphs_of(getattr(paper, key))
        if texts:
            parts.append(Part(key=key, heading=heading, paragraphs=numbers.paragraphs(texts)))
    present = {section.key for section in summary.sections}
    for key in FIGURES:
        if key not in present:  # a paper published before the section existed
            continue
        section = summary.section(key)
        texts = [section.sentence]
        if section.quotes:
            texts.append(QUOTES_INTRODUCTION)
        parts.append(
            Part(
                key=key,
                heading=section.title,
                paragraphs=numbers.paragraphs(texts),
                tables=tuple(table_layout(summary, table) for table in section.tables if table.rows),
                charts=section.charts,
                quotes=section.quotes,
            )
        )
    spend = summary.section("agency_spend")
    parts.append(
        Part(
            key="resource_implications",
            heading="Resource implications",
            paragraphs=numbers.paragraphs([spend.sentence]),
            tables=tuple(table_layout(summary, table) for table in spend.tables),
            closing=numbers.paragraphs(paragraphs_of(paper.resource_implications)),
        )
    )
    for key, heading in NARRATIVE_AFTER:
        texts = paragraphs_of(getattr(paper, key))
        if texts:
            parts.append(Part(key=key, heading=heading, paragraphs=numbers.paragraphs(texts)))

    meeting = ""
    if paper.committee or paper.meeting_date:
        meeting = ", ".join(
            filter(None, [paper.committee, paper.meeting_date and long_date(paper.meeting_date)])
        )
    status = "Published" if paper.status == "published" else "Draft: figures are built from today's records"
    if paper.status == "published" and paper.published_at:
        status = f"Published {long_date(paper.published_at.date())}"
    return Outline(
        title=paper.title or DEFAULT_TITLE,
        committee=paper.committee,
        meeting=meeting,
        subtitle=f"Figures as at {long_date(summary.as_of)}. Scope: {summary.scope_label}.",
        status=status,
        parts=tuple(parts),
        footnotes=tuple(
            Footnote(number, definition.term, definition.text)
            for number, definition in enumerate(summary.definitions, 1)
        ),
        officer_to_contact=tuple(
            line.strip() for line in paper.officer_to_contact.splitlines() if line.strip()
        ),
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
    )
    return replace(summary, sections=sections, paper=paper)
