"""Frozen figures: a summary written as JSON and read back exactly, small counts withheld,
sentences the author reworded, and what would differ if built again."""

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

import pytest

from reporting import frozen, sentences
from reporting.outline import outline, without_words
from reporting.summary import build_committee_summary
from tests import factories_reporting as fr

pytestmark = pytest.mark.django_db
JUNE_2019 = dt.date(2019, 6, 30)


@pytest.fixture
def summary(worked_example, monkeypatch):
    stubs = fr.install_stubs(monkeypatch)
    stubs.leavers_fte_by_end[JUNE_2019] = Decimal("1.8")
    stubs.analysis = fr.leavers_analysis(
        start=dt.date(2018, 7, 1),
        end=JUNE_2019,
        total=14,
        total_fte="12.0",
        categories=[
            ("new-employment", "Resignation to new employment", 11),
            ("retirement", "Normal retirement", 3),
        ],
        reasons=[("better-pay", "Better pay elsewhere", 2)],
        bands={"<1": 2, "1-3": 6, "10+": 6},
        quotes=["wanted experiences out of the county"],
    )
    return build_committee_summary(as_of=JUNE_2019, comparison_dates=[dt.date(2018, 3, 31)])


def test_a_summary_survives_being_frozen_as_json(summary):
    data = json.loads(json.dumps(frozen.dump(summary)))
    assert frozen.load(data) == summary
    assert frozen.load(data).table("measures").cell("turnover", "2019-06-30").value == Decimal("69.2")


def test_unreadable_frozen_figures_are_refused():
    with pytest.raises(ValueError, match="format"):
        frozen.load({"version": 99, "summary": {}})


def test_small_counts_of_people_are_withheld_with_the_shares_beside_them(summary):
    withheld = frozen.suppress(summary, 5)
    categories = withheld.table("leavers_by_category")
    assert categories.cell("retirement", "count").text == "<5"
    assert categories.cell("retirement", "percent").text == "*"
    assert categories.cell("retirement", "count").value is None
    # 11 + 3 = the 14 leavers of the headline table: the 11 is withheld too, or 3 = 14 - 11.
    assert categories.cell("new-employment", "count").text == "*"
    assert categories.cell("new-employment", "percent").text == "*"
    assert withheld.table("leavers_summary").cell("total", "count").text == "14"
    assert withheld.table("leavers_summary").cell("under_1_year", "count").text == "<5"
    # Agency headcounts of 1 withhold the FTE beside them too; rates of the whole service stay.
    assert withheld.table("agency_by_reason").cell("maternity", "fte").text == "*"
    assert withheld.table("measures").cell("vacancy", "2019-06-30").text == "42.2% (1.9)"
    assert withheld.suppression_threshold == 5
    assert "shown as '<5'" in withheld.definition("suppression").text


def test_counts_that_are_not_of_people_are_never_withheld(summary, db):
    fr.strategy_actions(2, 1, due=JUNE_2019)
    again = build_committee_summary(as_of=JUNE_2019, comparison_dates=[])
    assert frozen.suppress(again, 5).table("strategy").cell("complete", "actions").text == "2"


def test_withheld_counts_never_reach_the_drafted_sentences(summary):
    withheld = frozen.suppress(summary, 5)
    leavers = withheld.section("leavers").sentence
    assert "normal retirement, <5;" in leavers or "normal retirement, <5." in leavers
    assert "(21.4%)" not in leavers  # 3 of 14
    assert "<5 had less than 1 year's service" in leavers
    assert withheld.section("agency").sentence.startswith("At 30 June 2019 there were <5 agency workers")


def test_a_threshold_of_one_withholds_nothing(summary):
    assert frozen.suppress(summary, 1) == summary


def test_the_authors_wording_replaces_the_draft_and_a_blank_keeps_it(summary):
    edited = sentences.apply(summary, {"vacancies": "  There are 1.9 FTE vacancies. ", "agency": ""})
    assert edited.section("vacancies").sentence == "There are 1.9 FTE vacancies."
    assert edited.section("vacancies").drafted.startswith(
        "As of 30 June 2019 there are 0.9 FTE social worker"
    )
    assert edited.section("agency").sentence == summary.section("agency").drafted


def test_differences_list_every_figure_printed_differently(summary):
    table = summary.table("vacancies_by_role")
    changed_row = replace(
        table.rows[0],
        cells=(
            table.rows[0].cells[0],
            *table.rows[0].cells[1:3],
            replace(table.rows[0].cells[3], text="1.4"),
            table.rows[0].cells[4],
        ),
    )
    changed_table = replace(table, rows=(changed_row, *table.rows[1:]))
    sections = tuple(
        replace(section, tables=(changed_table,)) if section.key == "vacancies" else section
        for section in summary.sections
    )
    rebuilt = replace(summary, sections=sections)
    found = frozen.differences(summary, rebuilt)
    assert [(d.table, d.row, d.column, d.published, d.now) for d in found] == [
        ("Vacancies by role (FTE)", "Social Worker", "Vacancy FTE", "0.9", "1.4")
    ]
    assert frozen.differences(summary, summary) == []


def test_the_outline_numbers_every_paragraph_once_in_the_papers_order(summary):
    paper = outline(summary)
    keys = [part.key for part in paper.parts]
    assert keys[:3] == ["purpose", "measures", "vacancies"]
    assert keys[-1] == "resource_implications"
    numbers = [p.number for part in paper.parts for p in (*part.paragraphs, *part.closing)]
    assert numbers == list(range(1, len(numbers) + 1))
    reasons = next(part for part in paper.parts if part.key == "reasons")
    assert reasons.quotes == ("wanted experiences out of the county",)
    measures = next(part for part in paper.parts if part.key == "measures").tables[0]
    assert measures.rows[0].marks == "2"
    # Each definition sits beneath the first table that marks it; the rest close the paper.
    assert [(note.number, note.term) for note in measures.notes][0] == (2, "Turnover rate")
    assert paper.footnotes[0].term == "Scope"
    assert "Turnover rate" not in [note.term for note in paper.footnotes]


def test_readers_get_the_figures_without_quotes_or_narrative(summary):
    bare = outline(without_words(summary))
    assert all(not part.quotes for part in bare.parts)
    assert "purpose" not in [part.key for part in bare.parts]
