"""Exporters of the committee summary: small classes with one contract, in one registry.

Each has an ``identifier``, a ``verbose_name`` and ``render(summary) -> (filename,
content_type, bytes)``. None runs a query: they lay out the summary they are given.
"""

from __future__ import annotations

from reporting.exporters.base import Exporter
from reporting.exporters.csvzip import CsvZipExporter
from reporting.exporters.jsondata import JsonExporter
from reporting.exporters.paper import HtmlExporter, PdfExporter
from reporting.exporters.spreadsheet import XlsxExporter
from reporting.exporters.word import DocxExporter

EXPORTERS: dict[str, Exporter] = {
    exporter.identifier: exporter
    for exporter in (
        PdfExporter(),
        DocxExporter(),
        XlsxExporter(),
        CsvZipExporter(),
        JsonExporter(),
        HtmlExporter(),
    )
}

__all__ = ["EXPORTERS", "Exporter"]
