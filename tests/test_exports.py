"""Every export opened and read: the worked example's figures in the PDF, the Word
document, the workbook, the zipped CSV files, the JSON and the print-ready HTML."""

import base64
import csv
import datetime as dt
import io
import json
import logging
import re
import zipfile
from dataclasses import replace
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting import frozen
from reporting.exporters import EXPORTERS
from reporting.figures import PaperText
from reporting.summary import build_committee_summary, with_paper
from tests import factories
from tests import factories_reporting as fr
from workforce.models import Worker

pytestmark = pytest.mark.django_db
JUNE_2019 = dt.date(2019, 6, 30)
QUOTE = "had a 2 hour journey each way from home by train and decided to work closer to home"


@pytest.fixture
def summary(worked_example, monkeypatch):
    stubs = fr.install_stubs(monkeypatch)
    stubs.leavers_fte_by_end[JUNE_2019] = Decimal("1.8")
    stubs.analysis = fr.leavers_analysis(
        start=dt.date(2018, 7, 1),
        end=JUNE_2019,
        total=2,
        total_fte="1.8",
        categories=[("new-employment", "Resignation to new employment", 2)],
        reasons=[("journey", "Journey to work", 1), ("better-pay", "Better pay elsewhere", 1)],
        bands={"<1": 1, "3-5": 1},
        quotes=[QUOTE],
    )
    sw = factories.role("social-worker")
    stubs.funnel = fr.funnel(
        start=dt.date(2018, 7, 1),
        end=JUNE_2019,
        rows=[fr.funnel_row(sw.pk, "Social Worker", received=114, interviewed=35, offered=26, started=20)],
    )
    fr.strategy_actions(20, 4, due=dt.date(2019, 3, 31))
    fr.agency_budget(start=dt.date(2019, 4, 1), end=dt.date(2020, 3, 31), amount="250000")
    built = build_committee_summary(
        as_of=JUNE_2019, comparison_dates=[dt.date(2018, 3, 31), dt.date(2018, 12, 31), dt.date(2019, 3, 31)]
    )
    return with_paper(
        built,
        PaperText(
            title="Recruitment and retention of children's social workers",
            committee="Children and Families Overview and Scrutiny Committee",
            meeting_date=dt.date(2019, 9, 2),
            purpose="The purpose of this report is to provide an update.",
            conclusion="Recruitment remains a significant challenge.\n\nAgency use remains high.",
            officer_to_contact="Assistant Director, Children's Social Care",
        ),
    )


def render(identifier, summary):
    return EXPORTERS[identifier].render(summary)


def vector_forms(reader: PdfReader) -> int:
    """Return how many distinct vector drawings (form XObjects) the PDF holds."""
    return len(
        {
            ref.idnum
            for page in reader.pages
            for ref in page["/Resources"].get("/XObject", {}).values()
            if ref.get_object()["/Subtype"] == "/Form"
        }
    )


def names_and_references() -> list[str]:
    people = Worker.objects.all()
    return [p.last_name for p in people] + [p.staff_reference for p in people]


def test_the_registry_offers_every_format():
    assert sorted(EXPORTERS) == ["csv", "docx", "html", "json", "pdf", "xlsx"]
    for identifier, exporter in EXPORTERS.items():
        assert exporter.identifier == identifier and exporter.verbose_name


def test_no_exporter_runs_a_query(summary, django_assert_num_queries):
    for identifier in EXPORTERS:
        with django_assert_num_queries(0):
            render(identifier, summary)


def test_pdf_is_a4_with_page_numbers_the_figures_and_vector_charts(summary):
    filename, content_type, content = render("pdf", summary)
    assert filename == "committee-report-2019-06-30.pdf" and content_type == "application/pdf"
    reader = PdfReader(io.BytesIO(content))
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for figure in ("42.2% (1.9)", "49.0% (2.5)", "69.2% (1.8)", "57.8%", "Baseline (March 2018)"):
        assert figure in flat
    assert f"Page 1 of {len(reader.pages)}" in flat
    assert "As of 30 June 2019 there are 0.9 FTE social worker vacancies and 1.0 FTE team manager" in flat
    assert "20 have been completed and 4 are partially completed" in flat
    assert "vacancy and agency rates (%)" in flat  # a chart's caption
    # Charts are drawn as vector forms (the SVG), never as pictures.
    assert all(not page.images for page in reader.pages)
    without_charts = replace(summary, sections=tuple(replace(s, charts=()) for s in summary.sections))
    plain = PdfReader(io.BytesIO(render("pdf", without_charts)[2]))
    assert vector_forms(reader) > vector_forms(plain)
    assert QUOTE in flat
    for name in names_and_references():
        assert name not in flat


def test_docx_has_numbered_paragraphs_real_tables_and_chart_images(summary):
    _, content_type, content = render("docx", summary)
    assert content_type.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(content))
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert numbered[0] == "The purpose of this report is to provide an update."
    assert numbered[1].startswith("Since the baseline (March 2018) the turnover rate has risen")
    assert numbered[-2:] == ["Recruitment remains a significant challenge.", "Agency use remains high."]
    measures = document.tables[0]
    assert [cell.text for cell in measures.rows[0].cells] == [
        "Measure",
        "Baseline (March 2018)",
        "December 2018",
        "March 2019",
        "June 2019",
    ]
    rows = {row.cells[0].text: [cell.text for cell in row.cells] for row in measures.rows}
    assert rows["Vacancy rate3"][-1] == "42.2% (1.9)"  # the label carries its footnote mark
    assert rows["Turnover rate2"][-1] == "69.2% (1.8)"
    # The measures, agency spend by month, the funnel and the leavers' reasons.
    assert len(document.inline_shapes) == 4
    alt_texts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert all(text.endswith("The figures are in the table above.") for text in alt_texts)
    assert alt_texts[0].startswith("Turnover, vacancy and agency rates")
    body = "\n".join(p.text for p in document.paragraphs)
    assert f"“{QUOTE}”" in body
    assert "Turnover rate: The FTE at leaving of employees" in body
    for name in names_and_references():
        assert name not in body


def test_xlsx_has_a_sheet_per_table_with_numbers_stored_as_numbers(summary):
    _, _, content = render("xlsx", summary)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "Contents" and book.sheetnames[-1] == "Definitions"
    assert len(book.sheetnames) == len(summary.tables()) + 2
    sheet = book["Turnover, vacancy and agency"]
    assert [cell.value for cell in sheet[1]][:4] == [
        "Measure",
        "Baseline (March 2018)",
        "Baseline (March 2018) FTE",
        "December 2018",
    ]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2) if row[0].value}
    vacancy = rows["Vacancy rate"]
    assert vacancy[7].value == pytest.approx(0.422) and vacancy[7].number_format == "0.0%"
    assert vacancy[8].value == pytest.approx(1.9) and vacancy[8].number_format == "0.0"
    assert rows["Social workers in post (headcount)"][7].value == 3
    assert rows["Turnover rate"][7].value == pytest.approx(0.692)
    assert any("Turnover rate: The FTE at leaving" in str(row[0].value) for row in sheet.iter_rows())
    spend = {row[0].value: row[1] for row in book["Agency spend against budget"].iter_rows()}
    budget = spend["Agency budget for 2019/20"]
    assert budget.value == 250000 and budget.number_format == "£#,##0.00"
    values = [str(cell.value) for ws in book.worksheets for row in ws.iter_rows() for cell in row]
    assert QUOTE not in " ".join(values)
    for name in names_and_references():
        assert name not in " ".join(values)


def test_csv_is_a_zip_of_one_file_per_table(summary):
    filename, content_type, content = render("csv", summary)
    assert filename.endswith(".zip") and content_type == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert len(names) == len(summary.tables()) + 1
    assert names[0] == "01-turnover-vacancy-and-agency-rates.csv" and "definitions.csv" in names
    rows = list(csv.reader(io.StringIO(archive.read(names[0]).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Measure", "Baseline (March 2018)", "Baseline (March 2018) FTE"]
    vacancy = next(row for row in rows if row and row[0] == "Vacancy rate")
    assert vacancy[-2:] == ["42.2", "1.9"]
    agency = next(name for name in names if "agency-workers-by-reason" in name)
    reasons = {
        row[0]: row[1:] for row in csv.reader(io.StringIO(archive.read(agency).decode("utf-8-sig"))) if row
    }
    assert reasons["Total"] == ["2.5", "3"]
    everything = " ".join(archive.read(name).decode("utf-8-sig") for name in names)
    assert QUOTE not in everything


def test_json_has_every_figure_with_its_definition(summary):
    _, content_type, content = render("json", summary)
    data = json.loads(content)
    assert data["as_at"] == "2019-06-30" and data["baseline"] == "2018-03-31"
    measures = data["sections"][0]["tables"][0]
    vacancy = next(row for row in measures["rows"] if row["key"] == "vacancy")
    assert vacancy["figures"]["2019-06-30"] == {
        "text": "42.2% (1.9)",
        "kind": "rate",
        "value": 42.2,
        "fte": 1.9,
    }
    assert vacancy["definitions"] == ["vacancy"]
    terms = {d["key"]: d["text"] for d in measures["definitions"]}
    assert "divided by vacancy FTE plus the FTE of social workers in post" in terms["vacancy"]
    assert "scope" in terms
    headcount = next(row for row in measures["rows"] if row["key"] == "in_post_headcount")
    assert headcount["figures"]["2019-06-30"]["value"] == 3
    assert QUOTE not in content.decode("utf-8")


def test_print_ready_html_has_the_paper_and_inline_svg_charts_but_no_script(summary):
    _, content_type, content = render("html", summary)
    html = content.decode("utf-8")
    assert content_type.startswith("text/html")
    assert "size: A4;" in html and "<svg" in html and "<script" not in html
    assert '<span class="para-num">1.</span> The purpose of this report is to provide an update.' in html
    assert "42.2% (1.9)" in html


def test_published_exports_withhold_small_counts(summary):
    withheld = frozen.suppress(summary, 5)
    data = json.loads(render("json", withheld)[2])
    agency = next(s for s in data["sections"] if s["key"] == "agency")["tables"][0]
    maternity = next(row for row in agency["rows"] if row["key"] == "maternity")
    assert maternity["figures"]["headcount"] == {
        "text": "<5",
        "kind": "count",
        "value": None,
        "suppressed": True,
    }
    book = load_workbook(io.BytesIO(render("xlsx", withheld)[2]))
    rows = {row[0].value: row for row in book["Agency workers by reason"].iter_rows()}
    assert rows["Covering maternity"][2].value == "<5"
    assert rows["Total"][2].value == "<5"  # 3 people
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render("pdf", withheld)[2])).pages)
    assert "shown as '<5'" in " ".join(text.split())


def test_a_scoped_summary_names_its_scope_in_the_filename(worked_example, monkeypatch):
    fr.install_stubs(monkeypatch)
    from workforce.scopes import Scope

    scoped = build_committee_summary(as_of=JUNE_2019, comparison_dates=[], scope=Scope.case_holding())
    assert EXPORTERS["json"].render(scoped)[0] == "committee-report-2019-06-30-case-holding-teams.json"


def test_charts_escape_labels_and_leave_withheld_figures_out(summary):
    from reporting import charts

    withheld = frozen.suppress(summary, 5)
    chart = withheld.section("reasons").charts[0]
    categories, series = charts.chart_series(chart, withheld.table(chart.table))
    assert categories == ["Journey to work", "Better pay elsewhere"]
    assert series == [("Leavers citing it", [None, None])]  # 1 each: withheld
    table = summary.table("recruitment_funnel")
    row = replace(
        table.rows[0],
        cells=(replace(table.rows[0].cells[0], text="<b>Social Worker</b>"), *table.rows[0].cells[1:]),
    )
    escaped = replace(table, rows=(row, *table.rows[1:]))
    sections = tuple(
        replace(s, tables=(escaped, *s.tables[1:])) if s.key == "recruitment" else s for s in summary.sections
    )
    svg = charts.svg(summary.section("recruitment").charts[0], replace(summary, sections=sections))
    assert svg.startswith("<svg")
    assert "<b>" not in svg and "&lt;b&gt;Social" in svg


def test_a_pdf_renders_without_a_warning_from_weasyprint(summary, caplog):
    # The charts once made WeasyPrint log ~430 lines a PDF: their inline SVG styles as unknown
    # CSS properties, and their ids (the same in every chart) as anchors defined twice.
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render("pdf", summary)
    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []


def test_the_pdf_embeds_each_chart_as_its_svg(summary):
    from reporting import charts
    from reporting.exporters.paper import svg_image

    chart = summary.section("recruitment").charts[0]
    markup = svg_image(chart, summary)
    data = re.fullmatch(r'<img class="chart" alt="" src="data:image/svg\+xml;base64,([^"]+)">', markup)
    assert data and base64.b64decode(data.group(1)).decode("utf-8") == charts.svg(chart, summary)


def test_every_id_in_the_paper_is_unique_and_every_chart_reference_resolves(summary):
    html = render("html", summary)[2].decode("utf-8")
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    references = re.findall(r'(?:href="#|url\(#)([^")]+)', html)
    assert references and set(references) <= set(ids)
    assert 'id="measures_chart-figure_1"' in html and 'id="funnel_chart-figure_1"' in html


def test_unique_ids_prefixes_ids_and_references_in_tags_but_never_text():
    from reporting.charts import unique_ids

    svg = (
        '<svg><g id="patch_1"><use xlink:href="#m1" clip-path="url(#p1)"/>'
        '<text>id="x" url(#y)</text></g></svg>'
    )
    assert unique_ids(svg, "chart-") == (
        '<svg><g id="chart-patch_1"><use xlink:href="#chart-m1" clip-path="url(#chart-p1)"/>'
        '<text>id="x" url(#y)</text></g></svg>'
    )


def test_each_chart_is_drawn_once(summary, monkeypatch):
    from matplotlib.figure import Figure

    from reporting import charts

    draws = []
    draw = Figure.draw

    def counted(figure, renderer):
        draws.append(renderer)
        return draw(figure, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    chart = summary.section("measures").charts[0]
    charts.svg(chart, summary)
    assert len(draws) == 1  # not a second time before saving
    charts.png(chart, summary)
    assert len(draws) == 2


def test_word_body_paragraphs_are_the_paragraphs_python_docx_would_add():
    from reporting.exporters.word import Run, WordBody

    ours, theirs = Document(), Document()
    body = WordBody(ours)
    body.heading("The paper", level=0)
    theirs.add_heading("The paper", level=0)
    body.heading("Purpose of report", level=1)
    theirs.add_heading("Purpose of report", level=1)
    for text, style in [("One.", "List Number"), ("Two.", "List Number"), ("“A quote”", "Quote")]:
        body.add(text, style=style)
        theirs.add_paragraph(text, style=style)
    body.add(style="Caption")
    theirs.add_paragraph(style="Caption")
    body.add("Plain", style="Normal")  # the default style: no style element at all
    theirs.add_paragraph("Plain", style="Normal")
    body.add()
    theirs.add_paragraph()
    # Spaces kept at either end, tabs and line breaks as Word's own elements, XML escaped.
    for text in (" leading", "trailing\u00a0", "a\tb", "line one\nline two\r\n", '<&> "quoted"'):
        body.add(text, style="Quote")
        theirs.add_paragraph(text, style="Quote")
    body.paragraph(
        [Run("1", superscript=True), Run(" Term: ", bold=True), Run("text"), Run("", bold=False), Run("")]
    )
    paragraph = theirs.add_paragraph()
    paragraph.add_run("1").font.superscript = True
    paragraph.add_run(" Term: ").bold = True
    paragraph.add_run("text")
    paragraph.add_run("").bold = False
    paragraph.add_run("")
    assert ours.element.body.xml == theirs.element.body.xml
    assert [p.style.name for p in ours.paragraphs][:4] == ["Title", "Heading 1", "List Number", "List Number"]


def test_word_body_tables_are_the_tables_python_docx_would_add():
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    from reporting.exporters.word import Run, WordBody

    header = ["Measure", "", "June 2019"]
    right = (False, True, True)
    rows = [
        (
            [Run("Vacancy rate", bold=False), Run("3", superscript=True)],
            [Run("", bold=False)],
            [Run("42.2%")],
        ),
        ([Run("Total", bold=True)], [Run("<5", bold=True)], [Run(" 3 ", bold=True)]),
    ]
    ours, theirs = Document(), Document()
    for document in (ours, theirs):
        document.sections[0].left_margin = Cm(2.2)
    WordBody(ours).table(
        [Run(text, bold=True) for text in header],
        ([list(cell) for cell in row] for row in rows),
        right,
        ours.sections[0].page_width - ours.sections[0].left_margin - ours.sections[0].right_margin,
    )
    table = theirs.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text, numeric in zip(table.rows[0].cells, header, right, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
        if numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in rows:
        for cell, runs, numeric in zip(table.add_row().cells, row, right, strict=True):
            for run in runs:
                added = cell.paragraphs[0].add_run(run.text)
                if run.bold is not None:
                    added.bold = run.bold
                if run.superscript:
                    added.font.superscript = True
            if numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    assert ours.element.body.xml == theirs.element.body.xml
    read = Document(io.BytesIO(_saved(ours))).tables[0]
    assert read.style.name == "Table Grid" and read.alignment == WD_TABLE_ALIGNMENT.CENTER
    assert [[cell.text for cell in row.cells] for row in read.rows] == [
        header,
        ["Vacancy rate3", "", "42.2%"],
        ["Total", "<5", " 3 "],
    ]


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_chart_png_has_the_pixels_matplotlib_saves_by_default(summary):
    """The PNG is compressed faster than Pillow's default, to the very same image."""
    import matplotlib
    import numpy
    from PIL import Image

    from reporting import charts

    chart = summary.section("measures").charts[0]
    ours = Image.open(io.BytesIO(charts.png(chart, summary)))
    with matplotlib.rc_context(charts._settings(chart)):
        buffer = io.BytesIO()
        charts._figure(chart, summary.table(chart.table)).savefig(buffer, format="png", dpi=200)
    default = Image.open(io.BytesIO(buffer.getvalue()))
    assert ours.size == default.size == (1280, 600) and ours.mode == default.mode
    assert round(ours.info["dpi"][0]) == 200
    assert numpy.array_equal(numpy.asarray(ours), numpy.asarray(default))


def test_a_chart_of_the_same_figures_is_drawn_once_and_of_changed_ones_again(summary, monkeypatch):
    """The paper's page draws its charts on every visit; drawn once, a chart is kept by what
    it was drawn from, so changed figures are drawn again, never shown from the old ones."""
    from reporting import charts

    drawn = []
    figure = charts._figure
    monkeypatch.setattr(
        charts, "_figure", lambda chart, table: drawn.append(chart.key) or figure(chart, table)
    )
    chart = summary.section("recruitment").charts[0]
    first = charts.svg(chart, summary)
    assert charts.svg(chart, summary) == first and drawn == [chart.key]
    table = summary.table(chart.table)
    row = table.rows[0]
    changed_row = replace(row, cells=(replace(row.cells[0], text=f"{row.label} (changed)"), *row.cells[1:]))
    changed_table = replace(table, rows=(changed_row, *table.rows[1:]))
    sections = tuple(
        replace(section, tables=tuple(changed_table if t.key == table.key else t for t in section.tables))
        for section in summary.sections
    )
    again = charts.svg(chart, replace(summary, sections=sections))
    assert drawn == [chart.key, chart.key] and again != first and "(changed)" in again
