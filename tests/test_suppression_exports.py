"""A published paper's exports read its suppressed figures: each format opened and read.

The report is published over the worked example, then its frozen agency table is set to
the case issue 15 found (6, 6, 2, 0, 6, 20 agency workers, 40 in all), as if the records
had held them. Every export of the published paper must show the 2 as "<5", and the
first 6 as "*" so that 40 - 38 no longer gives the 2 back.
"""

import csv
import io
import json
import zipfile
from dataclasses import replace
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting import frozen, services
from reporting.figures import count_cell, fte_cell
from reporting.models import CommitteeReport
from reporting.views import render_export
from tests import factories
from tests import factories_reporting as fr
from workforce.models import AgencyReason

pytestmark = pytest.mark.django_db
HEADS = [6, 6, 2, 0, 6, 20]
FTES = ["5.5", "6.0", "1.6", "0", "5.0", "19.0"]
LABELS = [reason.label for reason in AgencyReason]


@pytest.fixture
def published(worked_example):
    director = factories.user("ad", "director", staff=True)
    report = fr.report(comparison_dates="2018-03-31")
    services.publish_report(report=report, user=director)
    summary = frozen.load(report.frozen_summary)
    table = summary.table("agency_by_reason")
    rows = []
    for row in table.rows:
        if row.total:
            heads, fte = sum(HEADS), sum(Decimal(f) for f in FTES)
        else:
            index = [reason.value for reason in AgencyReason].index(row.key)
            heads, fte = HEADS[index], Decimal(FTES[index])
        rows.append(replace(row, cells=(row.cells[0], fte_cell(fte), count_cell(heads))))
    agency = replace(table, rows=tuple(rows))
    sections = tuple(
        replace(section, tables=(agency,)) if section.key == "agency" else section
        for section in summary.sections
    )
    CommitteeReport.objects.filter(pk=report.pk).update(
        frozen_summary=frozen.dump(replace(summary, sections=sections))
    )
    report.refresh_from_db()
    return report, director


def export(published, identifier: str) -> bytes:
    report, director = published
    return render_export(report, identifier, user=director, via="web")[2]


EXPECTED = {
    "Covering vacancies": ("*", "*"),
    "Covering maternity": ("6.0", "6"),
    "Covering long term sickness": ("*", "<5"),
    "Total": ("37.1", "40"),
}


def test_the_json_export(published):
    data = json.loads(export(published, "json"))
    agency = next(s for s in data["sections"] if s["key"] == "agency")["tables"][0]
    rows = {row["key"]: row["figures"] for row in agency["rows"]}
    assert rows["sickness"]["headcount"] == {"text": "<5", "kind": "count", "value": None, "suppressed": True}
    assert rows["vacancy"]["headcount"] == {"text": "*", "kind": "count", "value": None, "suppressed": True}
    assert rows["vacancy"]["fte"]["value"] is None and rows["maternity"]["headcount"]["value"] == 6
    assert rows["total"]["headcount"]["value"] == 40


def test_the_workbook(published):
    book = load_workbook(io.BytesIO(export(published, "xlsx")))
    rows = {
        row[0].value: (row[1].value, row[2].value) for row in book["Agency workers by reason"].iter_rows()
    }
    # Figures shown stay numbers; withheld ones are their text.
    assert {label: rows[label] for label in EXPECTED} == {
        "Covering vacancies": ("*", "*"),
        "Covering maternity": (6, 6),
        "Covering long term sickness": ("*", "<5"),
        "Total": (37.1, 40),
    }


def test_the_csv_files(published):
    archive = zipfile.ZipFile(io.BytesIO(export(published, "csv")))
    name = next(name for name in archive.namelist() if "agency-workers-by-reason" in name)
    content = archive.read(name).decode("utf-8-sig")
    rows = {row[0]: tuple(row[1:]) for row in csv.reader(io.StringIO(content)) if len(row) == 3}
    assert {label: rows[label] for label in EXPECTED} == {
        "Covering vacancies": ("*", "*"),
        "Covering maternity": ("6", "6"),
        "Covering long term sickness": ("*", "<5"),
        "Total": ("37.1", "40"),
    }


def test_the_word_document(published):
    document = Document(io.BytesIO(export(published, "docx")))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Reason")
    rows = {row.cells[0].text: (row.cells[1].text, row.cells[2].text) for row in table.rows[1:]}
    assert {label: rows[label] for label in EXPECTED} == EXPECTED


def test_the_pdf(published):
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(export(published, "pdf"))).pages)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Covering vacancies * *" in lines
    assert "Covering long term sickness * <5" in lines
    assert "Covering maternity 6.0 6" in lines
    assert not any(line.startswith("Covering vacancies 5.5") for line in lines)
