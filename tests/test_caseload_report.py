"""The committee report's caseloads section and the comparators beside the council's figures,
worked by hand, in every export, published and suppressed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting import frozen
from reporting.exporters import EXPORTERS
from reporting.outline import outline
from reporting.summary import build_committee_summary
from tests import factories
from tests import factories_reporting as fr
from tests.factories_caseloads import comparator, worked_caseloads
from workforce.models import ComparatorArea

pytestmark = pytest.mark.django_db
D = Decimal
JUNE = dt.date(2019, 6, 30)
MARCH = dt.date(2019, 3, 31)


@pytest.fixture
def county(worked_example, monkeypatch):
    """The worked example's caseloads at 30 June 2019, and at 31 March 2019 (the baseline).

    31 March: P1 20 (1.0 FTE), P2 10 (0.6, ASYE), P3 9 (0.5), P4's cover 12 (1.0), P6 18 (1.0):
    69 cases held by 4.1 FTE, 16.8 per FTE case holder. 30 June: 57 by 3.1 FTE, 18.4, and P6's
    agency social worker not known.
    """
    fr.install_stubs(monkeypatch)
    people = worked_caseloads(worked_example)
    for key, cases in (("w1", 20), ("w2", 10), ("a3", 9), ("a4", 12), ("a6", 18)):
        factories.caseload(people[key], on=MARCH, cases=cases)
    comparator(ComparatorArea.ENGLAND, 2018, vacancy_rate="17.1", turnover_rate="15.2", caseload="16.9")
    comparator(ComparatorArea.REGION, 2018, area_name="South East", vacancy_rate="19.4", caseload="17.5")
    comparator(ComparatorArea.ENGLAND, 2019, vacancy_rate="16.0", caseload="16.3")  # after 30 June 2019
    return people


def build(**kwargs):
    return build_committee_summary(as_of=JUNE, comparison_dates=[MARCH], **kwargs)


def test_the_caseloads_section_is_worked_by_hand(county):
    section = build().section("caseloads")
    table = section.table("caseloads")
    assert [column.heading for column in table.columns] == ["Measure", "Baseline (March 2019)", "June 2019"]
    rows = {row.key: [cell.text for cell in row.cells[1:]] for row in table.rows}
    assert rows["per_case_holder"] == ["16.8", "18.4"]  # 69 / 4.1 and 57 / 3.1
    assert rows["cases"] == ["69", "57"] and rows["case_holders"] == ["5", "4"]
    assert rows["case_holders_fte"] == ["4.1", "3.1"]
    assert rows["above_threshold"] == ["0", "1"] and rows["above_threshold_share"] == ["0.0%", "25.0%"]
    assert rows["asye"] == ["16.7", "20.0"]  # 10 / 0.6 and 12 / 0.6
    assert rows["others"] == ["16.9", "18.0"]  # 59 / 3.5 and 45 / 2.5
    assert rows["not_known"] == ["0", "1"]

    compared = section.table("caseload_comparators")
    assert [column.heading for column in compared.columns] == [
        "Measure",
        "This council",
        "England 2018",
        "South East 2018",
    ]
    assert [cell.text for cell in compared.row("per_case_holder").cells[1:]] == ["18.4", "16.9", "17.5"]
    assert compared.footnotes == ("comparators",)

    spread = {row.key: [cell.text for cell in row.cells[1:]] for row in section.table("caseload_spread").rows}
    assert spread == {
        "0-10": ["1", "25.0%"],
        "11-15": ["2", "50.0%"],
        "16-20": ["0", "0.0%"],
        "21-25": ["1", "25.0%"],
        "26+": ["0", "0.0%"],
        "total": ["4", "–"],
        "not_known": ["1", ""],
    }
    by_role = {
        row.label: [cell.text for cell in row.cells[1:]] for row in section.table("caseloads_by_role").rows
    }
    assert by_role == {
        "Social Worker": ["3", "2.1", "43", "20.5", "1", "1"],
        "Senior Practitioner": ["1", "1.0", "14", "14.0", "0", "0"],
        "Total": ["4", "3.1", "57", "18.4", "1", "1"],
    }
    (team,) = section.table("caseloads_by_team").rows
    assert [cell.text for cell in team.cells] == ["Worked Example Team", "4", "3.1", "57", "18.4", "1", "1"]
    assert [chart.key for chart in section.charts] == ["caseloads_chart", "caseload_spread_chart"]


def test_the_drafted_sentence_says_what_the_table_shows(county):
    assert build().section("caseloads").sentence == (
        "Across all teams at 30 June 2019 case holders held 57 cases, 18.4 per FTE case holder "
        "(England 2018: 16.9; South East 2018: 17.5), up from 16.8 at the baseline. 1 case holder "
        "(25.0% of those whose caseload is known) held more than 20 cases. Newly qualified (ASYE) social "
        "workers held 20.0 cases per FTE against 18.0 for everyone else. The caseload of 1 case holder "
        "is not known."
    )


def test_comparators_sit_beside_the_measures_with_their_source_and_year(county):
    summary = build()
    measures = summary.table("measures")
    assert not any(column.key.startswith("comparator-") for column in measures.columns)  # as it was
    compared = summary.section("measures").table("measures_comparators")
    assert [column.heading for column in compared.columns] == [
        "Measure",
        "This council",
        "England 2018",
        "South East 2018",
    ]
    rows = {row.key: [cell.text for cell in row.cells] for row in compared.rows}
    assert rows == {
        "turnover": ["Turnover rate", measures.cell("turnover", JUNE.isoformat()).text, "15.2%", "–"],
        "vacancy": ["Vacancy rate", "42.2% (1.9)", "17.1%", "19.4%"],
        "agency": ["Agency rate", "49.0% (2.5)", "–", "–"],  # not given: never made up
    }
    assert summary.definition("comparators").text == (
        "Figures published for other areas, as entered by the council: England 2018: DfE, Children's "
        "social work workforce 2018. South East 2018: DfE, Children's social work workforce 2018."
    )


def test_illustrative_comparators_say_so(county):
    comparator(ComparatorArea.STATISTICAL_NEIGHBOURS, 2018, caseload="15.0", source="Demo", illustrative=True)
    summary = build()
    compared = summary.table("measures_comparators")
    assert compared.columns[-1].heading == "Neighbours 2018*"
    assert compared.title == "Compared with England, the region and statistical neighbours, 30 June 2019"
    assert "Neighbours 2018 (Statistical neighbours): Demo. * Illustrative figures, not published ones." in (
        summary.definition("comparators").text
    )
    assert "(England 2018: 16.9; South East 2018: 17.5; Neighbours 2018: 15.0; illustrative figures)" in (
        summary.section("caseloads").sentence
    )


def test_without_comparators_nothing_is_shown_for_them(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    summary = build()
    assert not any(
        column.key.startswith("comparator-") for table in summary.tables() for column in table.columns
    )
    assert "comparators" not in {definition.key for definition in summary.definitions}
    section = summary.section("caseloads")
    assert section.charts == ()  # nothing to draw until a caseload is recorded
    assert section.sentence == "Across all teams at 30 June 2019 the caseload of 4 case holders is not known."


def test_the_section_is_in_the_paper_after_the_experience_of_the_workforce(county):
    parts = [part.key for part in outline(build()).parts]
    assert parts.index("caseloads") == parts.index("experience") + 1
    laid_out = outline(build())
    # Each definition is printed beneath the first table that uses it, or with the notes.
    footnotes = {footnote.term for footnote in laid_out.footnotes} | {
        note.term for part in laid_out.parts for table in part.tables for note in table.notes
    }
    assert {
        "Caseload per case holder",
        "Caseload not known",
        "Caseload threshold",
        "Comparators",
    } <= footnotes


def test_a_paper_published_before_the_section_existed_still_lays_out(county):
    summary = build()
    data = frozen.dump(summary)
    data["summary"]["sections"] = [s for s in data["summary"]["sections"] if s["key"] != "caseloads"]
    older = frozen.load(data)
    assert "caseloads" not in [part.key for part in outline(older).parts]
    for exporter in EXPORTERS.values():
        exporter.render(older)


def test_every_export_carries_the_caseload_rows(county):
    summary = build()
    name, _, content = EXPORTERS["xlsx"].render(summary)
    book = load_workbook(io.BytesIO(content))
    cells = [
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert "Caseload per case holder (cases per FTE)" in cells and "26 or more cases" in cells

    _, _, content = EXPORTERS["csv"].render(summary)
    archive = zipfile.ZipFile(io.BytesIO(content))
    name = next(n for n in archive.namelist() if "caseload" in n and "spread" not in n and "role" not in n)
    rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert any(row and row[0] == "Caseload per case holder (cases per FTE)" for row in rows)

    _, _, content = EXPORTERS["json"].render(summary)
    assert "caseloads_by_role" in json.dumps(json.loads(content))

    _, _, content = EXPORTERS["docx"].render(summary)
    text = "\n".join(cell.text for table in Document(io.BytesIO(content)).tables for cell in table._cells)
    assert "Caseload per case holder (cases per FTE)" in text and "18.4" in text

    _, _, content = EXPORTERS["pdf"].render(summary)
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Caseloads of case holders" in pdf and "18.4 per FTE case holder" in pdf

    _, _, content = EXPORTERS["html"].render(summary)
    assert "Teams with the highest caseload per case holder" in content.decode()


def test_published_caseloads_withhold_small_counts(county):
    published = frozen.suppress(build(), 5)
    table = published.table("caseloads")
    assert table.cell("case_holders", JUNE.isoformat()).text == "<5"
    # As the measures table's FTE and headcount rows: the FTE is not a count of people.
    assert table.cell("case_holders_fte", JUNE.isoformat()).text == "3.1"
    by_role = published.table("caseloads_by_role")
    assert [cell.text for cell in by_role.row("total").cells[1:]] == ["<5", "*", "57", "*", "<5", "<5"]
    assert published.table("caseload_spread").cell("11-15", "holders").text == "<5"
    assert "<5 case holders" in published.section("caseloads").sentence


def test_a_team_scope_counts_its_own_case_holders(county):
    other = factories.team("Other Team")
    worker = factories.worker()
    factories.assign(factories.post(team=other), worker_=worker, start=dt.date(2018, 1, 1))
    factories.caseload(worker, on=JUNE, cases=30)
    from workforce.scopes import Scope

    everyone = build().section("caseloads").table("caseloads")
    assert everyone.cell("cases", JUNE.isoformat()).text == "87"
    own = build(scope=Scope.team(county["team"].pk)).section("caseloads").table("caseloads")
    assert own.cell("cases", JUNE.isoformat()).text == "57"
