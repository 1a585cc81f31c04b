"""The demo's latest quarter-end paper as it is printed: every character inside the
margins, no caption stranded at the foot of a page, no measure printed with two values,
the sentences agreeing with the budget, and quotes of the demo county's own."""

import pytest

from reporting.exporters import EXPORTERS
from reporting.exporters.paper import HtmlExporter
from reporting.models import CommitteeReport, ReportStatus
from reporting.selectors import report_summary
from tests.paper_checks import layout_problems, repeated_measures

pytestmark = pytest.mark.django_db


@pytest.fixture
def latest(demo):
    """The summary of the draft paper as at the latest quarter-end."""
    return report_summary(CommitteeReport.objects.get(status=ReportStatus.DRAFT))


def test_the_pdf_keeps_inside_its_margins_and_no_caption_ends_a_page(latest):
    _, _, content = EXPORTERS["pdf"].render(latest)
    assert layout_problems(content, latest) == []


def test_the_paper_prints_each_measure_with_one_value(latest):
    facts = repeated_measures(HtmlExporter().html(latest), latest)
    assert {name: texts for name, texts in facts.items() if len(texts) != 1} == {}
    assert all(texts for texts in facts.values())


def test_the_agency_spend_sentence_agrees_with_the_budget(latest):
    table = latest.table("agency_spend")
    variance = table.cell("variance", "value").value
    sentence = latest.section("agency_spend").sentence
    assert variance is not None and ("over budget" if variance > 0 else "under budget") in sentence
    # The budget is in proportion to the county's agency use: within a quarter either way.
    assert 75 < table.cell("spend_percent", "value").value < 125


def test_no_quote_is_taken_from_the_2016_paper(latest, demo):
    from pathlib import Path

    from django.conf import settings

    seed = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "004_35c83999a19a06ea.txt"
    if not seed.exists():
        pytest.skip("the source paper is not beside the project")
    text = " ".join(seed.read_text(encoding="utf-8").split()).lower()
    quotes = latest.section("reasons").quotes
    assert quotes
    for quote in quotes:
        words = quote.lower().split()
        # No run of six words of a quote is in the source paper.
        assert not any(" ".join(words[i : i + 6]) in text for i in range(len(words) - 5)), quote
