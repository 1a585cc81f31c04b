"""The paper over a generated 4,000-post workforce, printed: every character inside the
margins, no table caption left at the foot of a page, each measure printed with one value.

The workforce is generated once for this module, inside a transaction rolled back after.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from foundation.periods import default_comparison_dates
from reporting.exporters import EXPORTERS
from reporting.exporters.paper import HtmlExporter
from reporting.figures import PaperText
from reporting.summary import build_committee_summary, with_paper
from tests.paper_checks import layout_problems, repeated_measures

TODAY = dt.date(2026, 11, 22)
AS_OF = dt.date(2026, 9, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scale_summary(django_db_setup, django_db_blocker):
    """Return the committee summary of a generated 4,000-post workforce, with the paper's words."""
    import time_machine

    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0), tick=False):
            call_command(
                "generate_scale", posts=4000, years=3, seed=7, today=TODAY.isoformat(), stdout=io.StringIO()
            )
            summary = build_committee_summary(as_of=AS_OF, comparison_dates=default_comparison_dates(AS_OF))
            yield with_paper(
                summary,
                PaperText(
                    title="Recruitment and retention of children's social workers",
                    committee="Children's Services Scrutiny Committee",
                    meeting_date=dt.date(2026, 11, 30),
                    summary="An update on the workforce.",
                    recommendations="The Committee is asked to note the report.",
                ),
            )
        transaction.set_rollback(True)


def test_the_pdf_of_a_large_council_keeps_inside_its_margins(scale_summary):
    _, _, content = EXPORTERS["pdf"].render(scale_summary)
    assert layout_problems(content, scale_summary) == []


def test_the_paper_of_a_large_council_prints_each_measure_with_one_value(scale_summary):
    facts = repeated_measures(HtmlExporter().html(scale_summary), scale_summary)
    assert {name: texts for name, texts in facts.items() if len(texts) != 1} == {}


def test_the_paper_shows_a_few_of_many_quotes_and_says_so(scale_summary):
    from reporting.outline import QUOTES_SHOWN, outline

    reasons = next(part for part in outline(scale_summary).parts if part.key == "reasons")
    quotes = scale_summary.section("reasons").quotes
    assert len(quotes) > QUOTES_SHOWN and len(reasons.quotes) == QUOTES_SHOWN
    assert reasons.notes == (
        f"The {QUOTES_SHOWN} most recent of the {len(quotes)} quotes leavers agreed to share are shown.",
    )
