"""The paper as a Word document to finish in Word: numbered paragraphs (Word's own
numbering), real tables and the charts as images."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from reporting import charts
from reporting.exporters.base import Exporter
from reporting.figures import CommitteeSummary
from reporting.outline import TableLayout, outline

NUMBERED = "List Number"


def _table(document: Document, layout: TableLayout) -> None:
    caption = document.add_paragraph(style="Caption")
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
    document.add_paragraph()


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

        document.add_heading(paper.title, level=0)
        for line in (paper.meeting, paper.subtitle, paper.status):
            if line:
                document.add_paragraph(line)
        for part in paper.parts:
            document.add_heading(part.heading, level=1)
            for paragraph in part.paragraphs:
                document.add_paragraph(paragraph.text, style=NUMBERED)
            for quote in part.quotes:
                document.add_paragraph(f"“{quote}”", style="Quote")
            for layout in part.tables:
                _table(document, layout)
            for chart in part.charts:
                document.add_picture(io.BytesIO(charts.png(chart, summary)), width=Cm(16))
                document.add_paragraph(chart.title, style="Caption")
            for paragraph in part.closing:
                document.add_paragraph(paragraph.text, style=NUMBERED)

        document.add_heading("Definitions", level=1)
        for footnote in paper.footnotes:
            paragraph = document.add_paragraph()
            paragraph.add_run(str(footnote.number)).font.superscript = True
            paragraph.add_run(f" {footnote.term}: ").bold = True
            paragraph.add_run(footnote.text)
        if paper.officer_to_contact:
            document.add_heading("Officer to contact", level=1)
            for line in paper.officer_to_contact:
                document.add_paragraph(line)

        buffer = io.BytesIO()
        document.save(buffer)
        return self.filename(summary), self.content_type, buffer.getvalue()
