"""No names, staff references or exit-conversation notes in any export of figures.

Built on the demonstration county, so the search covers hundreds of real-looking names.
"""

import datetime as dt
import io
import json
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from foundation.periods import default_comparison_dates, quarter_end_on_or_before
from leavers.models import ExitConversation
from reporting.exporters import EXPORTERS
from reporting.summary import build_committee_summary
from workforce.models import Worker

TODAY = dt.date(2026, 11, 22)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def exports(demo, django_db_blocker):
    """Export the latest quarter's summary in every format, and collect the text."""
    with django_db_blocker.unblock():
        as_of = quarter_end_on_or_before(TODAY)
        summary = build_committee_summary(as_of=as_of, comparison_dates=default_comparison_dates(as_of))
        texts = {
            identifier: text_of(identifier, exporter.render(summary)[2])
            for identifier, exporter in EXPORTERS.items()
        }
        people = [(w.full_name, w.staff_reference) for w in Worker.objects.all()]
        conversations = list(ExitConversation.objects.values_list("notes", "quote", "quote_consent"))
    return {"texts": texts, "people": people, "conversations": conversations}


def text_of(identifier: str, content: bytes) -> str:
    """Return the readable text of an export, opened as its reader would open it."""
    if identifier == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if identifier == "docx":
        document = Document(io.BytesIO(content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if identifier == "xlsx":
        book = load_workbook(io.BytesIO(content))
        return "\n".join(
            str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
        )
    if identifier == "csv":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    if identifier == "json":
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content.decode()


def test_every_format_was_produced_with_figures(exports):
    assert set(exports["texts"]) == {"pdf", "docx", "xlsx", "csv", "json", "html"}
    for identifier, text in exports["texts"].items():
        assert "%" in text, identifier


def test_no_name_or_staff_reference_in_any_export(exports):
    assert len(exports["people"]) > 500
    for identifier, text in exports["texts"].items():
        found = [who for who in exports["people"] if who[0] in text or who[1] in text]
        assert not found, f"{identifier} export names {found[:3]}"


def test_no_exit_conversation_notes_or_unconsented_quotes_in_any_export(exports):
    notes = [n for n, _, _ in exports["conversations"] if n]
    unconsented = [q for _, q, consent in exports["conversations"] if q and not consent]
    assert unconsented, "the demo has quotes given without consent, to prove they stay out"
    for identifier, text in exports["texts"].items():
        flat = " ".join(text.split())
        for private in notes + unconsented:
            assert " ".join(private.split())[:60] not in flat, f"{identifier} export shows {private[:40]!r}"


def test_figures_exports_carry_no_quotes_at_all(exports):
    consented = [q for _, q, consent in exports["conversations"] if q and consent]
    assert consented
    for identifier in ("xlsx", "csv", "json"):
        flat = " ".join(exports["texts"][identifier].split())
        assert not [q for q in consented if " ".join(q.split())[:60] in flat], identifier
