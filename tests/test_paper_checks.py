"""The print checks themselves fail on a stranded caption, text past a margin and a measure
printed two ways, so the paper's tests that use them can fail."""

import datetime as dt
from dataclasses import replace

import pytest
from weasyprint import HTML

from reporting.exporters.paper import HtmlExporter
from reporting.summary import build_committee_summary
from tests.paper_checks import layout_problems, repeated_measures

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2019, 6, 30)


def pdf(body: str) -> bytes:
    footer = "@bottom-right { content: 'Page ' counter(page) ' of ' counter(pages); font-size: 9pt }"
    page = f"@page {{ size: A4; margin: 2cm 2cm 2.2cm; {footer} }}"
    return HTML(string=f"<style>{page} body {{ font: 10pt Arial }}</style>{body}").write_pdf()


def test_a_caption_at_the_foot_of_a_page_and_text_past_the_margin_are_found(db):
    summary = build_committee_summary(as_of=AS_OF, comparison_dates=[])
    stranded = pdf(
        '<div style="height: 24.6cm"></div><p style="margin: 0">Vacancies by role (FTE)5</p>'
        '<table style="break-before: page"><tr><td>Social Worker</td></tr></table>'
    )
    assert layout_problems(stranded, summary) == [
        "page 1: the caption “Vacancies by role (FTE)5” is the last line on its page"
    ]
    wide = pdf('<p style="margin-left: -1cm">Out in the margin</p>')
    assert layout_problems(wide, summary)[0].startswith("page 1: 'O' at (")


def test_a_measure_printed_two_ways_is_found(db):
    summary = build_committee_summary(as_of=AS_OF, comparison_dates=[])
    assert all(len(texts) <= 1 for texts in repeated_measures(HtmlExporter().html(summary), summary).values())
    table = summary.table("leavers_summary")
    total = table.row("total")
    wrong = replace(total, cells=(total.cells[0], replace(total.cells[1], text="3"), *total.cells[2:]))
    table = replace(table, rows=(wrong, *table.rows[1:]))
    leavers = replace(summary.section("leavers"), tables=(table, *summary.section("leavers").tables[1:]))
    summary = replace(summary, sections=tuple(leavers if s.key == "leavers" else s for s in summary.sections))
    assert repeated_measures(HtmlExporter().html(summary), summary)["leavers"] == {"0", "3"}
