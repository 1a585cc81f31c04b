"""The paper as print-ready HTML, and as a PDF made from that HTML (A4, page numbers,
charts as vector graphics)."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from reporting import charts
from reporting.exporters.base import Exporter
from reporting.figures import Chart, CommitteeSummary
from reporting.outline import Outline, Part, outline


@dataclass(frozen=True)
class PartView:
    part: Part
    charts: tuple[tuple[str, SafeString], ...]  # (title, the chart's markup)


def inline_svg(chart: Chart, summary: CommitteeSummary) -> SafeString:
    """Return ``chart`` as an inline ``<svg>`` element, for HTML read in a browser."""
    # matplotlib's own SVG, drawn from our figures: no user text is in it unescaped.
    return mark_safe(charts.svg(chart, summary))  # noqa: S308


def svg_image(chart: Chart, summary: CommitteeSummary) -> SafeString:
    """Return ``chart`` as an ``<img>`` of its SVG (a data URL), for the PDF.

    WeasyPrint draws it as the same vector graphics as the inline SVG, but without running
    the HTML style cascade over every element of the drawing (which logs each SVG style
    property as an unknown CSS property) and without the drawing's ids becoming anchors.
    """
    data = base64.b64encode(charts.svg(chart, summary).encode("utf-8")).decode("ascii")
    # Base64 text and a fixed tag: nothing from the figures is in it unescaped.
    return mark_safe(f'<img class="chart" alt="" src="data:image/svg+xml;base64,{data}">')  # noqa: S308


def paper_context(
    summary: CommitteeSummary,
    *,
    with_charts: bool = True,
    chart_markup: Callable[[Chart, CommitteeSummary], SafeString] = inline_svg,
) -> dict[str, Any]:
    """Return the template context that lays out the paper: ``paper`` and ``parts``, each
    part's charts drawn once, as ``chart_markup`` makes them (inline SVG unless told)."""
    laid_out: Outline = outline(summary)
    parts = [
        PartView(
            part=part,
            charts=tuple(
                (chart.title, chart_markup(chart, summary)) for chart in (part.charts if with_charts else ())
            ),
        )
        for part in laid_out.parts
    ]
    return {"paper": laid_out, "parts": parts, "summary": summary, "footer_css": css_string(laid_out.footer)}


def css_string(text: str) -> SafeString:
    """Return ``text`` as a quoted CSS string, safe inside a ``<style>`` element."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>&\n' else ch for ch in text)
    # Every character that could end the string or the element is escaped above.
    return mark_safe(f'"{escaped}"')  # noqa: S308


class HtmlExporter(Exporter):
    identifier = "html"
    verbose_name = "Print-ready HTML"
    extension = "html"
    content_type = "text/html; charset=utf-8"

    def html(
        self,
        summary: CommitteeSummary,
        chart_markup: Callable[[Chart, CommitteeSummary], SafeString] = inline_svg,
    ) -> str:
        """Return the paper as a standalone HTML document, the charts as ``chart_markup`` makes them."""
        return render_to_string(
            "reporting/paper_document.html", paper_context(summary, chart_markup=chart_markup)
        )

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
        document = HTML(string=HtmlExporter().html(summary, chart_markup=svg_image), base_url=None)
        return self.filename(summary), self.content_type, document.write_pdf()
