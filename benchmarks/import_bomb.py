"""The workbook bomb: an XLSX of under a megabyte that expands to 3,000,000 rows.

Issue 16 found such a workbook took 160 s and 3.8 GB to refuse. ``bomb()`` writes one
(the zip written directly, a few seconds); ``prepare_bomb`` is the benchmark item, which
times ``run_import`` refusing it (target: under 2 s, under 200 MB at its peak). Run alone,
in a fresh process, it also reports the process's peak resident memory, and a second
workbook that passes the size checks (300,000 rows, compressed as a real one is) to show
the row limit stops the streamed read:

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/import_bomb.py
"""

from __future__ import annotations

import io
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROWS = 3_000_000
PEAK_LIMIT = 200 * 2**20
HEADINGS = ["post_reference", "team", "role", "fte", "active_from", "active_to", "funding"]
ROW = ["CPE-01", "Child Protection East", "Social Worker", "1", "2010-04-01", "", "establishment"]

STRINGS = [*HEADINGS, *ROW]
SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="posts" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>'
    ),
    "xl/sharedStrings.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(STRINGS)}" '
        f'uniqueCount="{len(STRINGS)}">' + "".join(f"<si><t>{text}</t></si>" for text in STRINGS) + "</sst>"
    ),
}


def _row(indexes: list[int], number: int | None) -> str:
    """Return a row of shared-string cells (as Excel writes text), numbered or not."""
    reference = f' r="{number}"' if number is not None else ""
    return f"<row{reference}>" + "".join(f'<c t="s"><v>{index}</v></c>' for index in indexes) + "</row>"


def workbook(rows: int, *, numbered: bool = False) -> bytes:
    """Return an XLSX of the posts headings and ``rows`` rows, written without openpyxl.

    Unnumbered, every row is the same three cells and the sheet compresses about 240 times:
    3,000,000 rows in about 876 KB, a bomb. ``numbered`` rows carry their numbers and every
    column, compressed as a real sheet is.
    """
    headings = list(range(len(HEADINGS)))
    values = list(range(len(HEADINGS), len(STRINGS)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            sheet.write(_row(headings, 1 if numbered else None).encode())
            if numbered:
                for start in range(2, rows + 2, 10_000):
                    chunk = [
                        _row(values, number).replace("<v>7</v>", f"<v>{number % 7 + 7}</v>", 1)
                        for number in range(start, min(start + 10_000, rows + 2))
                    ]
                    sheet.write("".join(chunk).encode())
            else:
                block = (_row(values[:3], None) * 10_000).encode()
                for _ in range(rows // 10_000):
                    sheet.write(block)
                sheet.write((_row(values[:3], None) * (rows % 10_000)).encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def bomb() -> bytes:
    """Return the workbook bomb: 3,000,000 identical rows, under a megabyte zipped (213 MB unzipped)."""
    return workbook(ROWS)


def refuse(content: bytes, name: str = "posts.xlsx") -> Any:
    """Import ``content`` as a dry run and return the report, which must refuse it."""
    from dataio.importing.engine import Source, run_import

    report = run_import([Source(name=name, content=content)], dry_run=True)
    if report.ok:
        raise RuntimeError(f"{name} was not refused")
    if report.problem_count > 1:
        raise RuntimeError(f"{name} was refused with {report.problem_count} problems, not one")
    return report


def prepare_bomb() -> Callable[[], Any]:
    """Return the benchmark's run: refusing the 876 KB, 3,000,000-row workbook."""
    content = bomb()

    def run() -> Any:
        report = refuse(content)
        if tracemalloc.is_tracing() and tracemalloc.get_traced_memory()[1] > PEAK_LIMIT:
            raise RuntimeError(f"refusing the bomb took more than {PEAK_LIMIT // 2**20} MB")
        return report

    run.size = len(content)  # type: ignore[attr-defined]
    return run


def _measure(label: str, content: bytes) -> None:
    import gc

    gc.collect()
    tracemalloc.start()
    began = time.perf_counter()
    report = refuse(content)
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label}: {len(content) / 1024:,.0f} KB, refused in {seconds:.3f} s, peak {peak / 2**20:.1f} MB")
    print(f"  {report.problems[0]}")


def main() -> None:
    import resource

    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    django.setup()
    from django.test.utils import override_settings

    _measure("workbook bomb, 3,000,000 rows", bomb())
    _measure("300,000 rows compressed as a real sheet", workbook(300_000, numbered=True))
    with override_settings(IMPORT_MAX_XLSX_RATIO=10_000):
        _measure("the bomb, with the compression check off", bomb())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory: {peak:,.0f} MB (the workbooks made in memory included)")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    main()
