"""The paper as print-ready HTML, and as a PDF made from that HTML (A4, page numbers,
charts as vector graphics)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from reporting import charts
from reporting.exporters.base import Exporter
from reporting.figures import CommitteeSummary
from reporting.outline import Outline, Part, outline


@dataclass(frozen=True)
class PartView:
    part: Part
    charts: tuple[tuple[str, SafeString], ...]  # (title, inline SVG)


def paper_context(summary: CommitteeSummary, *, with_charts: bool = True) -> dict[str, Any]:
    """Return the template context that lays out the paper: ``paper`` and ``parts``."""
    laid_out: Outline = outline(summary)
    parts = [
        PartView(
            part=part,
            charts=tuple(
                # matplotlib's own SVG, drawn from our figures: no user text is in it unescaped.
                (chart.title, mark_safe(charts.svg(chart, summary)))  # noqa: S308
                for chart in (part.charts if with_charts else ())
            ),
        )
        for part in laid_out.parts
    ]
    return {"paper": laid_out, "parts": parts, "summary": summary}


class HtmlExporter(Exporter):
    identifier = "html"
    verbose_name = "Print-ready HTML"
    extension = "html"
    content_type = "text/html; charset=utf-8"

    def html(self, summary: CommitteeSummary) -> str:
        return render_to_string("reporting/paper_document.html", paper_context(summary))

    def render(self, summary: CommitteeSummary) -> tuple[str, str, bytes]:
        return self.filename(summary), self.content_type, self.html(summary).encode("utf-8")


class PdfExporter(Exporter):
    identifier = "pdf"
    verbose_name = "PDF"
    extension = "pdf"
    content_type = "application/pdf"

    def render(self, summary: CommitteeSummary) -> tuple[str, str, bytes]:
        from weasyprint import HTML

        # fontTools reports every font it subsets at INFO; keep the logs for what matters.
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        document = HTML(string=HtmlExporter().html(summary), base_url=None)
        return self.filename(summary), self.content_type, document.write_pdf()
