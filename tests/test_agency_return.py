"""DfE's quarterly agency return, read back from the CSV the command writes: one row per agency
engagement in the quarter, in the documented columns, hours and charges worked by hand, the
pre-checks listing what is missing, and every text cell safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dataio.agency_return import COLUMNS, prechecks, safe_cell
from tests import factories
from tests import factories_agency as agency
from workforce.models import AgencyReason, SupplyRoute, SupplyType

pytestmark = pytest.mark.django_db
D = dt.date
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def quarter_world():
    """2026-Q3 (1 July to 30 September). A: every detail, invoiced for the 9 weeks ending 5 July
    to 30 August. B: a project team, over the cap with both sign-offs, 3 August to 27 September,
    never invoiced. Before the quarter: an engagement that ended on 30 June."""
    agency.cap("40.00")
    agency.cap("42.00", job_type_code="senior-social-worker")
    framework = agency.supplier("Framework Co")
    team_co = agency.supplier(
        "Team Co", route=SupplyRoute.CONTRACT, agreement="Contract TC-1", supply_type=SupplyType.PROJECT_TEAM
    )
    team = factories.team("Team One")
    a = agency.engagement(
        factories.post(team=team),
        worker_=factories.worker(swe_number="SW0000000101", date_qualified=D(2015, 7, 1), service_start=None),
        start=D(2026, 3, 1),
        supplier_=framework,
        pay_rate="30.00",
        employer_ni="3.50",
        apprenticeship_levy="0.15",
        agency_margin="4.35",
        hours_per_week="37",
        notice_weeks=4,
        reference_received=True,
        cool_off_declaration="none",
    )
    for week in range(9):
        agency.invoice_line(a, week_ending=D(2026, 7, 5) + dt.timedelta(weeks=week), amount="1406")
    agency.engagement(
        factories.post(team=team, role_code="senior-practitioner"),
        worker_=factories.worker(swe_number="SW0000000102", date_qualified=D(2012, 7, 1), service_start=None),
        start=D(2026, 8, 3),
        end=D(2026, 9, 27),
        reason=AgencyReason.MATERNITY,
        supplier_=team_co,
        pay_rate="40.00",
        employer_ni="4.80",
        agency_margin="5.20",
        hours_per_week="35",
        notice_weeks=4,
        reference_received=True,
        reference_given=True,
        cool_off_declaration="other_region",
        previous_role_left_on=D(2026, 7, 1),
        dcs_sign_off_by="A. Director",
        dcs_sign_off_on=D(2026, 7, 27),
        ceo_sign_off_by="C. Executive",
        ceo_sign_off_on=D(2026, 7, 28),
    )
    agency.engagement(factories.post(team=team), start=D(2026, 1, 5), end=D(2026, 6, 30), supplier_=framework)


def read_return(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_return_read_back(quarter_world, tmp_path):
    output = tmp_path / "agency-2026-Q3.csv"
    out = io.StringIO()
    call_command("agency_return", quarter="2026-Q3", output=str(output), stdout=out, stderr=io.StringIO())
    assert (
        "Agency return 2026-Q3 (1 July 2026 to 30 September 2026): 2 engagements of 2 agency workers."
        in out.getvalue()
    )
    rows = read_return(output)
    assert list(rows[0]) == [column.heading for column in COLUMNS]
    a, b = rows
    assert {
        key: a[key] for key in ("quarter", "swe_number", "job_type", "role", "supplier", "project_team")
    } == {
        "quarter": "2026-Q3",
        "swe_number": "SW0000000101",
        "job_type": "Social worker",
        "role": "Social Worker",
        "supplier": "Framework Co",
        "project_team": "N",
    }
    # Invoiced: 9 weeks x 37 hours = 333 and 9 x £1,406 = £12,654; 31 August to 30 September is
    # not invoiced yet: 31 days x 37 / 7 = 163.86 hours and 31 x 1,406 / 7 = £6,226.57.
    assert (a["hours_in_quarter"], a["charges_in_quarter"], a["hours_basis"]) == (
        "496.86",
        "18880.57",
        "mixed",
    )
    assert (a["hourly_pay_rate"], a["employer_ni_hourly"], a["apprenticeship_levy_hourly"]) == (
        "30",
        "3.5",
        "0.15",
    )
    assert (a["agency_margin_hourly"], a["hourly_charge_rate"]) == ("4.35", "38")
    assert (a["assignment_start"], a["assignment_end"], a["reason"]) == (
        "2026-03-01",
        "",
        "Covering vacancies",
    )
    assert (a["over_price_cap"], a["rules_breached"], a["rule_exceptions"], a["rules_not_known"]) == (
        "N",
        "",
        "",
        "",
    )
    # B: 3 August to 27 September, 56 days: 35 x 8 = 280 hours and 8 x £1,750 = £14,000, estimated.
    assert (b["hours_in_quarter"], b["charges_in_quarter"], b["hours_basis"]) == ("280", "14000", "estimated")
    assert (b["project_team"], b["job_type"], b["assignment_end"]) == (
        "Y",
        "Senior social worker",
        "2026-09-27",
    )
    assert (b["over_price_cap"], b["price_cap_sign_off"]) == (
        "Y",
        "Director of Children's Services 2026-07-27; chief executive 2026-07-28",
    )
    assert b["rule_exceptions"] == (
        "Price cap: over the cap, signed off; Three-month cool-off: Exception: the assignment is in a "
        "different region"
    )
    text = output.read_text(encoding="utf-8")
    for name in ("A. Director", "C. Executive", "Test"):  # no officer's or worker's name
        assert name not in text


def test_the_prechecks_list_what_is_missing(quarter_world):
    assert prechecks("2026-Q3") == []
    missing = agency.engagement(
        factories.post(team=factories.team("Team Two"), role_code="service-manager"),
        worker_=factories.worker(staff_reference="AG9", swe_number="", service_start=None),
        start=D(2026, 9, 1),
    )
    at = f"AG9 ({missing.post.reference} from 1 September 2026)"
    assert prechecks("2026-Q3") == [
        f"{at}: swe_number: no Social Work England number recorded",
        f"{at}: job_type: the role Service Manager has no core job type (set it on the role)",
        f"{at}: supplier: no supplier recorded",
        f"{at}: hourly_pay_rate: no pay rate and employer National Insurance recorded",
        f"{at}: hourly_charge_rate: no agency margin recorded, so no charge rate",
        f"{at}: hours_in_quarter: not all weeks invoiced, and no hours a week recorded",
        f"{at}: charges_in_quarter: not all weeks invoiced, and no weekly charge recorded",
        f"{at}: Price cap: not known: The role has no core job type, so no cap is known.",
        f"{at}: Three years' post-qualifying experience: not known: Neither the date qualified nor the "
        "experience is recorded.",
        f"{at}: Three-month cool-off: not known: No declaration about permanent roles left in other "
        "councils of the region (none in this council's leavers records)",
        f"{at}: Notice period: not known: No notice period recorded (4 weeks needed)",
        f"{at}: Practice-based reference: not known: Whether a reference was received is not recorded",
        f"{at}: Identified and costed separately: not known: No supplier recorded",
    ]


def test_missing_data_stops_the_return_unless_allowed(quarter_world, tmp_path):
    agency.engagement(worker_=factories.worker(swe_number="", service_start=None), start=D(2026, 9, 1))
    output = tmp_path / "return.csv"
    err = io.StringIO()
    with pytest.raises(CommandError, match="items missing would make the return wrong; nothing was written"):
        call_command("agency_return", quarter="2026-Q3", output=str(output), stdout=io.StringIO(), stderr=err)
    assert not output.exists()
    assert "swe_number: no Social Work England number recorded" in err.getvalue()
    call_command(
        "agency_return",
        quarter="2026-Q3",
        output=str(output),
        allow_incomplete=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert len(read_return(output)) == 3


def test_a_bad_quarter_or_an_empty_one_says_so(tmp_path):
    with pytest.raises(
        CommandError, match="--quarter: '2026-3' is not a quarter: write a quarter as YYYY-QN"
    ):
        call_command("agency_return", quarter="2026-3", output=str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="No agency worker in a children's social work role was engaged"):
        call_command("agency_return", quarter="2026-Q3", output=str(tmp_path / "x.csv"))


def test_text_cells_are_safe_against_formulas(quarter_world, tmp_path):
    agency.engagement(
        supplier_=agency.supplier('=HYPERLINK("http://x")', route=SupplyRoute.OFF_CONTRACT, agreement=""),
        worker_=factories.worker(swe_number="SW0000000103", service_start=None),
        start=D(2026, 9, 1),
        weekly_charge="1500",
    )
    output = tmp_path / "return.csv"
    call_command(
        "agency_return",
        quarter="2026-Q3",
        output=str(output),
        allow_incomplete=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    suppliers = [row["supplier"] for row in read_return(output)]
    assert '\'=HYPERLINK("http://x")' in suppliers
    # Text that is a plain number stays as it is (a spreadsheet shows a number); a formula does not.
    assert [safe_cell(value) for value in ("+1", "-1", "@x", "-1+2", "ok", None)] == [
        "+1",
        "-1",
        "'@x",
        "'-1+2",
        "ok",
        "",
    ]


def test_the_columns_are_documented():
    text = (ROOT / "docs" / "agency.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z_]+)` \|", text.split("## The quarterly return")[1], re.M)
    assert documented == [column.heading for column in COLUMNS]


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (D(2026, 10, 1), (D(2026, 7, 1), D(2026, 9, 30))),  # the day after the quarter ends
        (D(2026, 12, 31), (D(2026, 7, 1), D(2026, 9, 30))),  # the next quarter's last day
        (D(2026, 9, 30), (D(2026, 4, 1), D(2026, 6, 30))),  # a quarter is not done on its last day
        (D(2027, 1, 15), (D(2026, 10, 1), D(2026, 12, 31))),
    ],
)
def test_the_quarter_being_prepared_is_the_last_one_ended(today, quarter):
    from dataio.agency_return.precheck import quarter_being_prepared

    assert quarter_being_prepared(today) == quarter


def test_the_scheduled_pre_check_finds_the_returns_problems_while_it_is_due(quarter_world, settings):
    from dataio.prechecks import prechecks as registered

    settings.AGENCY_RETURN_DEADLINE_DAYS = 30
    check = registered()["agency"]
    assert check.run(D(2026, 10, 7)).problems == ()  # complete: nothing to correct
    missing = agency.engagement(
        factories.post(team=factories.team("Team Two")),
        worker_=factories.worker(staff_reference="AG9", swe_number="", service_start=None),
        start=D(2026, 9, 1),
    )
    found = check.run(D(2026, 10, 7))
    # Due from the day after the quarter ends to 30 days after: 30 October 2026.
    assert (found.title, found.period, found.deadline, found.due) == (
        "DfE's agency return 2026-Q3",
        "1 July 2026 to 30 September 2026",
        D(2026, 10, 30),
        True,
    )
    assert found.records == 3  # A, B and AG9's engagement
    assert ("AG9", "swe_number") in [(problem.reference, problem.item) for problem in found.blocking]
    assert all(problem.message.startswith(f"{missing.post.reference} from ") for problem in found.problems)
    assert not check.run(D(2026, 10, 31)).due  # past its deadline: no weekly email
