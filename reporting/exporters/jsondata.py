"""Every figure of the summary as JSON, each table with the definitions behind it."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from foundation.windows import Window
from reporting.exporters.base import Exporter, definition_keys
from reporting.figures import COUNT, Cell, CommitteeSummary


def _number(value: Decimal | None, kind: str) -> int | float | None:
    if value is None:
        return None
    return int(value) if kind == COUNT else float(value)


def _figure(cell: Cell) -> dict[str, Any]:
    figure: dict[str, Any] = {
        "text": cell.text,
        "kind": cell.kind,
        "value": _number(cell.value, cell.kind),
    }
    if cell.fte is not None:
        figure["fte"] = float(cell.fte)
    if cell.suppressed:
        figure["suppressed"] = True
    return figure


def _window(window: Window | None) -> dict[str, Any] | None:
    """Return the window a section counts over, or None for a section at a date."""
    if window is None:
        return None
    return {"start": window.start.isoformat(), "end": window.end.isoformat(), "label": window.label}


class JsonExporter(Exporter):
    identifier = "json"
    verbose_name = "JSON"
    extension = "json"
    content_type = "application/json"

    def data(self, summary: CommitteeSummary) -> dict[str, Any]:
        """Return the summary's figures as JSON-ready data (no narrative, no quotes)."""

        def definitions(keys: list[str]) -> list[dict[str, str]]:
            return [
                {"key": key, "term": summary.definition(key).term, "text": summary.definition(key).text}
                for key in keys
            ]

        return {
            "title": summary.paper.title if summary.paper else None,
            "committee": summary.paper.committee if summary.paper else None,
            "status": summary.paper.status if summary.paper else "draft",
            "as_at": summary.as_of.isoformat(),
            "dates": [day.isoformat() for day in summary.dates],
            "baseline": summary.baseline.isoformat() if summary.baseline else None,
            "scope": {"text": summary.scope_text, "label": summary.scope_label},
            "window": {
                "start": summary.window_start.isoformat(),
                "end": summary.window_end.isoformat(),
                "months": summary.window_months,
            },
            "windows": {
                section.key: _window(section.window) for section in summary.sections if section.window
            },
            "built_at": summary.built_at.isoformat(),
            "suppression_threshold": summary.suppression_threshold,
            "sections": [
                {
                    "key": section.key,
                    "title": section.title,
                    "window": _window(section.window),
                    "sentence": section.sentence,
                    "tables": [
                        {
                            "key": table.key,
                            "title": table.title,
                            "columns": [{"key": c.key, "heading": c.heading} for c in table.columns],
                            "rows": [
                                {
                                    "key": row.key,
                                    "label": row.label,
                                    "total": row.total,
                                    "definitions": list(row.footnotes),
                                    "figures": {
                                        column.key: _figure(cell)
                                        for column, cell in zip(table.columns[1:], row.cells[1:], strict=True)
                                    },
                                }
                                for row in table.rows
                            ],
                            "definitions": definitions(definition_keys(table)),
                        }
                        for table in section.tables
                    ],
                }
                for section in summary.sections
            ],
            "definitions": definitions([d.key for d in summary.definitions]),
        }

    def render(self, summary: CommitteeSummary) -> tuple[str, str, bytes]:
        content = json.dumps(self.data(summary), indent=2, ensure_ascii=False)
        return self.filename(summary), self.content_type, content.encode("utf-8")
