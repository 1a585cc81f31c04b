"""Every table of the summary as a CSV file, zipped, with the definitions beside them."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

from django.utils.text import slugify

from foundation.cells import safe_row
from reporting.exporters.base import Exporter, data_columns, data_value, definition_keys
from reporting.figures import CommitteeSummary


def _csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(safe_row(row) for row in rows)
    # A byte-order mark so Excel opens "£" and "–" correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return "" if value is None else value


class CsvZipExporter(Exporter):
    identifier = "csv"
    verbose_name = "CSV (a zip of one file per table)"
    extension = "zip"
    content_type = "application/zip"

    def render(self, summary: CommitteeSummary) -> tuple[str, str, bytes]:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for number, table in enumerate(summary.tables(), 1):
                columns = data_columns(table)
                rows: list[list[object]] = [[heading for _, _, heading in columns]]
                for row in table.rows:
                    rows.append([_plain(data_value(row.cells[index], fte)[0]) for index, fte, _ in columns])
                rows.append([])
                rows.extend(
                    [
                        [f"{summary.definition(k).term}: {summary.definition(k).text}"]
                        for k in definition_keys(table)
                    ]
                )
                archive.writestr(f"{number:02d}-{slugify(table.title)}.csv", _csv(rows))
            archive.writestr(
                "definitions.csv",
                _csv(
                    [["key", "term", "definition"]] + [[d.key, d.term, d.text] for d in summary.definitions]
                ),
            )
        return self.filename(summary), self.content_type, buffer.getvalue()
