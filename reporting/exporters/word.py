"""The paper as a Word document to finish in Word: numbered paragraphs (Word's own
numbering), real tables and the charts as images."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from reporting import charts
from reporting.exporters.base import Exporter
from reporting.figures import CommitteeSummary
from reporting.outline import TableLayout, outline

NUMBERED = "List Number"


class StyledParagraphs:
    """Adds paragraphs in named styles to one Word document, each style looked up once.

    ``document.add_paragraph(text, style)`` scans every style of the document twice for
    each paragraph to find the style's id, about half the time of a paper with hundreds of
    quotes. The paragraphs added here carry exactly the style that call would give them.
    """

    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self.style_ids: dict[str, str | None] = {}

    def add(self, text: str = "", style: str | None = None) -> Paragraph:
        """Return a new paragraph at the end of the document holding ``text`` in ``style``."""
        paragraph = self.document.add_paragraph(text)
        if style is not None:
            if style not in self.style_ids:
                self.style_ids[style] = self.document.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
            # What Paragraph.style's setter does with the id it looks up.
            paragraph._p.style = self.style_ids[style]
        return paragraph

    def heading(self, text: str, level: int) -> Paragraph:
        """Return a new heading paragraph, as ``document.add_heading(text, level)`` makes it."""
        return self.add(text, "Title" if level == 0 else f"Heading {level}")


def _table(document: WordDocument, paragraphs: StyledParagraphs, layout: TableLayout) -> None:
    caption = paragraphs.add(style="Caption")
    caption.add_run(layout.title)
    if layout.marks:
        caption.add_run(layout.marks).font.superscript = True
    table = document.add_table(rows=1, cols=len(layout.headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading, numeric in zip(table.rows[0].cells, layout.headings, layout.numeric, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.add_run(heading).bold = True
        if numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in layout.rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row.cells, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(text).bold = row.total
            if index == 0 and row.marks:
                paragraph.add_run(row.marks).font.superscript = True
            if layout.numeric[index]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraphs.add()


class DocxExporter(Exporter):
    identifier = "docx"
    verbose_name = "Word (DOCX)"
    extension = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def render(self, summary: CommitteeSummary) -> tuple[str, str, bytes]:
        paper = outline(summary)
        document = Document()
        section = document.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.2))
        document.styles["Normal"].font.name = "Arial"
        document.styles["Normal"].font.size = Pt(11)

        paragraphs = StyledParagraphs(document)
        paragraphs.heading(paper.title, level=0)
        for line in (paper.meeting, paper.subtitle, paper.status):
            if line:
                paragraphs.add(line)
        for part in paper.parts:
            paragraphs.heading(part.heading, level=1)
            for paragraph in part.paragraphs:
                paragraphs.add(paragraph.text, style=NUMBERED)
            for quote in part.quotes:
                paragraphs.add(f"“{quote}”", style="Quote")
            for layout in part.tables:
                _table(document, paragraphs, layout)
            for chart in part.charts:
                document.add_picture(io.BytesIO(charts.png(chart, summary)), width=Cm(16))
                paragraphs.add(chart.title, style="Caption")
            for paragraph in part.closing:
                paragraphs.add(paragraph.text, style=NUMBERED)

        paragraphs.heading("Definitions", level=1)
        for footnote in paper.footnotes:
            paragraph = paragraphs.add()
            paragraph.add_run(str(footnote.number)).font.superscript = True
            paragraph.add_run(f" {footnote.term}: ").bold = True
            paragraph.add_run(footnote.text)
        if paper.officer_to_contact:
            paragraphs.heading("Officer to contact", level=1)
            for line in paper.officer_to_contact:
                paragraphs.add(line)

        buffer = io.BytesIO()
        document.save(buffer)
        return self.filename(summary), self.content_type, buffer.getvalue()
