"""The file formats the admin's exports (django-import-export) write, made safe to open.

Settings name these as ``EXPORT_FORMATS``, so an export added to any admin later writes
no text a spreadsheet would run as a formula (``foundation.cells``), without more code.
django-import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only drops a
leading "=", so it is left off.
"""

from __future__ import annotations

from typing import Any

from import_export.formats import base_formats

from foundation.cells import safe_row


def _inert(dataset: Any) -> Any:
    """Return a copy of a tablib ``dataset`` with every cell made safe by ``safe_text``."""
    copy = dataset.__class__(headers=safe_row(dataset.headers or []) or None, title=dataset.title)
    for row in dataset:
        copy.append(safe_row(row))
    return copy


class CSV(base_formats.CSV):
    def export_data(self, dataset: Any, **kwargs: Any) -> Any:
        return super().export_data(_inert(dataset), **kwargs)


class XLSX(base_formats.XLSX):
    def export_data(self, dataset: Any, **kwargs: Any) -> Any:
        return super().export_data(_inert(dataset), **kwargs)


class TSV(base_formats.TSV):
    def export_data(self, dataset: Any, **kwargs: Any) -> Any:
        return super().export_data(_inert(dataset), **kwargs)


FORMATS = [CSV, XLSX, TSV]
