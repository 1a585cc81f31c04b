"""The national census return: valid against the schema, built from the records, and the rates a
statistician derives from it equal the product's own."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dataio.census.build import build_census_return
from dataio.census.xml import render_census_xml, structure_problems
from foundation import measures
from foundation.periods import census_year
from leavers.models import Destination, ExitReason, LeavingCategory
from leavers.selectors import leavers_fte
from leavers.services import record_exit_conversation, record_leaver
from tests import factories
from workforce import services
from workforce.models import AbsenceReason, AgencyReason, Contract, Role, Worker
from workforce.selectors import establishment_on

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = 2019
START, CENSUS_DAY = census_year(YEAR)  # 1 October 2018 to 30 September 2019
XSD = Path(__file__).resolve().parent.parent.parent / "shared" / "specs" / "social_work_workforce_2022.xsd"
GENERATED = dt.datetime(2019, 10, 14, 9, 30, tzinfo=dt.UTC)


def category(code: str) -> LeavingCategory:
    return LeavingCategory.objects.get(code=code)


def complete(worker: Worker, **fields: object) -> Worker:
    """Fill in the census fields a complete return needs."""
    values = {
        "qualifying_institution": "University of Kent",
        "birth_date": dt.date(1985, 5, 1),
        "gender": "2",
        "ethnicity": "WBRI",
        **fields,
    }
    for name, value in values.items():
        setattr(worker, name, value)
    return services.save_worker(worker=worker)


@pytest.fixture
def county(worked_example):
    """The worked example carried on to the census date, with leavers, a starter and sickness.

    On 30 September 2019: S = 2.6 (the example) + 1.0 (a newly qualified starter) = 3.6;
    A = 2.5; V = 1.9 (the example) + 0.8 + 1.0 (the two leavers' posts) = 3.7.
    Leavers in the year: 0.8 FTE on 30 November 2018 and 1.0 FTE on 31 March 2019, L = 1.8.
    """
    team = worked_example["team"]
    p7 = factories.post(team=team, reference="P7", fte="0.8")
    p8 = factories.post(team=team, reference="P8", fte="1.0")
    p9 = factories.post(team=team, reference="P9", fte="1.0")
    w5 = factories.worker(staff_reference="W5")
    w6 = factories.worker(staff_reference="W6")
    factories.assign(p7, worker_=w5, fte="0.8", start=dt.date(2015, 1, 5))
    factories.assign(p8, worker_=w6, fte="1.0", start=dt.date(2016, 1, 4))
    hr = factories.user("hr1", "hr", staff=True)
    left_first = record_leaver(
        worker=w5, leaving_date=dt.date(2018, 11, 30), category=category("resignation-new-employment")
    )
    record_exit_conversation(
        leaver=left_first,
        held_on=dt.date(2018, 11, 28),
        destination=Destination.objects.get(code="another-la"),
        reasons=[ExitReason.objects.get(code="better-pay")],
        user=hr,
    )
    record_leaver(worker=w6, leaving_date=dt.date(2019, 3, 31), category=category("normal-retirement"))
    starter = factories.worker(
        staff_reference="W7",
        date_qualified=dt.date(2019, 7, 1),
        start_origin=1,
        service_start=dt.date(2019, 9, 2),
    )
    factories.assign(p9, worker_=starter, fte="1.0", start=dt.date(2019, 9, 2))
    first = Worker.objects.get(assignments__post__reference="P1")
    factories.absence(
        first, reason=AbsenceReason.SIC, start=dt.date(2018, 9, 24), end=dt.date(2018, 10, 5), days="10"
    )
    factories.absence(
        first, reason=AbsenceReason.SIC, start=dt.date(2019, 1, 7), end=dt.date(2019, 1, 11), days="5"
    )
    factories.absence(
        first, reason=AbsenceReason.TRN, start=dt.date(2019, 2, 4), end=dt.date(2019, 2, 4), days="1"
    )
    for worker in Worker.objects.all():
        complete(worker)
    # The case management system's extract for 30 September (the starter's on 27 September).
    for post, cases in (("P1", 19), ("P2", 11), ("P3", 8), ("P6", 15)):
        factories.caseload(Worker.objects.get(assignments__post__reference=post), on=CENSUS_DAY, cases=cases)
    factories.caseload(starter, on=dt.date(2019, 9, 27), cases=6)
    maternity_cover = Worker.objects.get(
        assignments__post__reference="P4", assignments__contract=Contract.AGENCY
    )
    factories.caseload(maternity_cover, on=CENSUS_DAY, cases=12)  # a senior practitioner with cases
    return {**worked_example, "hr": hr, "first": first, "starter": starter}


def workers_in(content: bytes) -> list[dict[str, list[str]]]:
    """Return each CSWWWorker of the XML as {element: [texts]}."""
    records = []
    for element in ET.fromstring(content).iter("CSWWWorker"):
        record: dict[str, list[str]] = {}
        for child in element:
            record.setdefault(child.tag, []).append(child.text or "")
        records.append(record)
    return records


def by_swe(content: bytes) -> dict[str, dict[str, list[str]]]:
    return {record["SWENo"][0]: record for record in workers_in(content)}


def swe(reference: str) -> str:
    return Worker.objects.get(staff_reference=reference).swe_number


def written(census=None) -> bytes:
    return render_census_xml(census or build_census_return(year=YEAR, la_code="886"), generated_at=GENERATED)


# --- Validity ------------------------------------------------------------------------------------


@pytest.mark.skipif(not XSD.exists(), reason="the national schema is not beside the product")
def test_the_return_is_valid_against_the_national_schema(county):
    import xmlschema

    xmlschema.XMLSchema(str(XSD)).validate(io.BytesIO(written()))


def test_the_return_passes_the_products_own_structural_check(county):
    assert structure_problems(written()) == []


def test_the_structural_check_catches_what_the_schema_would():
    broken = (
        b"<Message><LALevelVacancies><NumberOfVacancies>1.234</NumberOfVacancies><NoAgencyFTE>1.00"
        b"</NoAgencyFTE><NoAgencyHeadcount>2</NoAgencyHeadcount></LALevelVacancies><CSWWWorker>"
        b"<SWENo>SW12</SWENo><AgencyWorker>2</AgencyWorker><FTE>1.5</FTE><QualInst>X</QualInst>"
        b"</CSWWWorker></Message>"
    )
    assert structure_problems(broken) == [
        "Message/LALevelVacancies/NumberOfVacancies: '1.234' has more than 2 decimal places",
        "Message/CSWWWorker[1]: AgencyWorker is missing",
        "Message/CSWWWorker[1]/SWENo: 'SW12' is not two letters and ten digits",
        "Message/CSWWWorker[1]: QualInst is missing",
        "Message/CSWWWorker[1]: AgencyWorker is not expected here",
        "Message/CSWWWorker[1]: FTE is not expected here",
        "Message/CSWWWorker[1]: QualInst is not expected here",
    ]
    assert structure_problems(b"<Message>") == ["not well-formed XML: no element found: line 1, column 9"]


# --- The figures ---------------------------------------------------------------------------------


def test_the_rates_a_statistician_derives_from_the_return_equal_the_products_own(county):
    content = written()
    records = workers_in(content)
    employees = [r for r in records if r["AgencyWorker"] == ["0"]]
    agency = [r for r in records if r["AgencyWorker"] == ["1"]]
    vacancies = ET.fromstring(content).find("LALevelVacancies")

    s = sum((D(r["FTE30"][0]) for r in employees if "FTE30" in r), D(0))
    a = sum((D(r["FTE30"][0]) for r in agency), D(0))  # every agency worker: AgencyWorker 1
    v = D(vacancies.findtext("NumberOfVacancies"))
    leavers = sum((D(r["FTE"][0]) for r in employees if "RoleEndDate" in r), D(0))
    assert (s, a, v, leavers) == (D("3.6"), D("2.5"), D("3.7"), D("1.8"))  # worked by hand above
    assert len(agency) == 3

    product = establishment_on(CENSUS_DAY).total
    assert measures.vacancy_rate(v, s) == product.vacancy_rate == D("50.7")  # 3.7 / 7.3
    assert measures.agency_rate(a, s) == product.agency_rate == D("41.0")  # 2.5 / 6.1
    turnover = measures.turnover_rate(leavers_fte(start=START, end=CENSUS_DAY), product.in_post_fte)
    assert measures.turnover_rate(leavers, s) == turnover == D("50.0")  # 1.8 / 3.6


def test_each_worker_carries_the_census_fields_from_the_records(county):
    records = by_swe(written())
    assert len(records) == 9  # 3 employees in post, 2 leavers and a starter; 3 agency workers
    first = records[swe(county["first"].staff_reference)]
    assert first["FTE"] == first["FTE30"] == ["1.000000"]
    assert first["OrgRole"] == ["5"] and first["RoleStartDate"] == ["2018-01-01"]
    # Sickness only, pro rata: 10 days x 5 of 12 calendar days in the year, plus 5 = 9.17.
    assert first["WorkingDaysLost"] == ["9.17"] and first["Absat30Sept"] == ["0"]
    assert "ReasonAbsence" not in first and "RoleEndDate" not in first

    mother = records[swe(Worker.objects.get(first_name="Wendy").staff_reference)]
    assert (
        mother["OrgRole"] == ["4"] and mother["Absat30Sept"] == ["1"] and mother["ReasonAbsence"] == ["MAT"]
    )

    fixed_term = records[
        swe(
            Worker.objects.get(
                assignments__post__reference="P2", assignments__contract=Contract.FIXED_TERM
            ).staff_reference
        )
    ]
    assert fixed_term["FTE"] == ["0.600000"] and fixed_term["AgencyWorker"] == ["0"]

    resigned = records[swe("W5")]
    assert resigned["RoleEndDate"] == ["2018-11-30"] and resigned["FTE"] == ["0.800000"]
    assert resigned["ReasonLeave"] == ["1"] and resigned["LeaverDestination"] == ["1"]
    assert "FTE30" not in resigned and "Absat30Sept" not in resigned
    retired = records[swe("W6")]
    assert retired["ReasonLeave"] == ["5"] and retired["LeaverDestination"] == ["9"]  # no conversation yet

    starter = records[swe("W7")]
    assert starter["RoleStartDate"] == ["2019-09-02"] and starter["StartOrigin"] == ["1"]
    assert starter["CFKSSstatus"] == ["1"]  # ASYE: qualified 1 July 2019

    agency = [r for r in records.values() if r["AgencyWorker"] == ["1"]]
    assert sorted(r["FTE"][0] for r in agency) == ["0.500000", "1.000000", "1.000000"]
    assert all("StartOrigin" not in r and "ReasonLeave" not in r for r in agency)


def test_lalevel_vacancies_count_agency_workers_covering_vacancies_only(county):
    # Worked by hand: of the three agency workers on 30 September, only P3's (0.5 FTE, covering
    # the vacancy in an establishment post) covers a vacancy; P4's covers maternity leave and
    # P6's is additional capacity in a temporary post. The vacancies are 3.7 FTE.
    vacancies = ET.fromstring(written()).find("LALevelVacancies")
    assert [child.text for child in vacancies] == ["3.70", "0.50", "1"]


def test_no_agency_fte_is_the_reports_agency_covering_vacancies_at_30_september(county):
    from reporting.summary import build_committee_summary

    summary = build_committee_summary(as_of=CENSUS_DAY, comparison_dates=[])
    cover = summary.table("measures").cell("vacancy_cover", CENSUS_DAY.isoformat())
    vacancies = ET.fromstring(written()).find("LALevelVacancies")
    assert D(vacancies.findtext("NoAgencyFTE")) == cover.fte == D("0.5")


def test_someone_covering_two_vacancies_is_one_agency_worker(county):
    cover = Worker.objects.get(assignments__post__reference="P3")
    half = factories.post(team=county["team"], reference="P11", fte="0.5")
    factories.assign(
        half, worker_=cover, fte="0.5", contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=START
    )
    vacancies = ET.fromstring(written()).find("LALevelVacancies")
    assert [child.text for child in vacancies] == ["4.20", "1.00", "1"]


def test_cases30_is_each_case_holders_caseload_at_30_september(county):
    records = by_swe(written())
    cases = {label: records[swe(reference)].get("Cases30") for reference, label in references(county).items()}
    assert cases == {
        "P1": ["19"],
        "P2": ["11"],
        "P3": ["8"],
        "P4 agency": ["12"],  # a senior practitioner, a case holder by holding cases
        "P4": None,  # on maternity leave, with no caseload: not a case holder
        "P6": ["15"],
        "starter": ["6"],  # counted on 27 September, the latest within 45 days
    }
    assert "Cases30" not in records[swe("W5")] and "Cases30" not in records[swe("W6")]  # leavers


def references(county) -> dict[str, str]:
    """Return the staff reference of each person in the county by the post they hold."""

    def holder(post: str, **filters: object) -> str:
        return Worker.objects.get(assignments__post__reference=post, **filters).staff_reference

    return {
        holder("P1"): "P1",
        holder("P2"): "P2",
        holder("P3"): "P3",
        holder("P4", assignments__contract=Contract.AGENCY): "P4 agency",
        holder("P4", assignments__contract=Contract.PERMANENT): "P4",
        holder("P6"): "P6",
        county["starter"].staff_reference: "starter",
    }


def test_a_case_holder_with_no_caseload_near_30_september_is_listed(county, tmp_path):
    from workforce.models import Caseload

    Caseload.objects.filter(worker=county["starter"]).update(recorded_on=dt.date(2019, 8, 15))
    census = build_census_return(year=YEAR, la_code="886")
    assert [str(problem) for problem in census.blocking_problems] == [
        "W7: Cases30: holds a case-holding post on 30 September 2019 but no caseload is recorded in the "
        "45 days to it (import the case management extract for the date)."
    ]
    assert census.workers[0].cases30 is not None
    starter = next(record for record in census.workers if record.staff_reference == "W7")
    assert starter.cases30 is None


def test_roles_outside_childrens_social_work_are_left_out(county):
    support = Role.objects.create(
        name="Family Support Worker", code="family-support", org_role=6, in_scope=False
    )
    post = services.save_post(
        post=factories.post(team=county["team"], reference="FS1").__class__(
            reference="FS2", team=county["team"], role=support, fte=D("1"), active_from=dt.date(2010, 1, 1)
        )
    )
    outsider = complete(factories.worker(staff_reference="FSW1"))
    factories.assign(post, worker_=outsider, fte="1.0", start=dt.date(2019, 1, 7))
    assert swe("FSW1") not in by_swe(written())


def test_someone_who_left_and_came_back_within_the_year_has_two_records(county):
    post = factories.post(team=county["team"], reference="P10", fte="1.0")
    worker = complete(factories.worker(staff_reference="W10", start_origin=2))
    factories.assign(post, worker_=worker, fte="1.0", start=dt.date(2015, 6, 1))
    record_leaver(worker=worker, leaving_date=dt.date(2018, 12, 31), category=category("resignation-other"))
    factories.assign(post, worker_=worker, fte="0.5", start=dt.date(2019, 4, 1))
    records = [r for r in workers_in(written()) if r["SWENo"] == [worker.swe_number]]
    assert [(r.get("RoleStartDate"), r.get("RoleEndDate"), r["FTE"]) for r in records] == [
        (["2015-06-01"], ["2018-12-31"], ["1.000000"]),
        (["2019-04-01"], None, ["0.500000"]),
    ]


def test_building_the_return_takes_the_same_queries_whatever_the_number_of_workers(
    county, django_assert_num_queries
):
    # 7 for the establishment on 30 September, the agency workers covering vacancies, 4 for the
    # case holders with their caseloads, then assignments, absences and leavers.
    with django_assert_num_queries(15):
        build_census_return(year=YEAR, la_code="886")
    for _ in range(6):
        post = factories.post(team=county["team"])
        worker = complete(factories.worker())
        factories.assign(post, worker_=worker, fte="1.0", start=dt.date(2017, 1, 2))
        factories.absence(
            worker, reason=AbsenceReason.SIC, start=dt.date(2019, 1, 7), end=dt.date(2019, 1, 8)
        )
        factories.assign(
            post, fte="0.5", contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=dt.date(2019, 1, 7)
        )
        factories.caseload(worker, on=CENSUS_DAY, cases=14)
    with django_assert_num_queries(15):
        census = build_census_return(year=YEAR, la_code="886")
    assert len(census.workers) == 21
    # Six case holders before and six employees since; the six agency workers have no caseload.
    assert sum(1 for record in census.workers if record.cases30 is not None) == 6 + 6
    assert sum(1 for problem in census.blocking_problems if problem.item == "Cases30") == 6


# --- Problems, and the command -------------------------------------------------------------------


def test_a_complete_return_is_written(county, tmp_path):
    output = tmp_path / "census.xml"
    out = io.StringIO()
    call_command("census_return", "--year", "2019", "--la-code", "886", "--output", str(output), stdout=out)
    assert "Wrote" in out.getvalue() and "complete" in out.getvalue()
    assert "W6: LeaverDestination: no exit conversation is recorded" in out.getvalue()  # a note only
    assert structure_problems(output.read_bytes()) == []
    header = ET.fromstring(output.read_bytes()).find("Header")
    assert header.findtext("CollectionDetails/ReferenceDate") == "2019-09-30"
    assert header.findtext("Source/LEA") == "886"


def test_every_problem_is_listed_with_the_staff_reference_and_nothing_is_written(county, tmp_path):
    team = county["team"]
    nobody = complete(factories.worker(staff_reference="W11", swe_number="", start_origin=None))
    factories.assign(factories.post(team=team), worker_=nobody, start=dt.date(2019, 5, 1))
    gone = complete(factories.worker(staff_reference="W12"))
    held = factories.assign(factories.post(team=team), worker_=gone, start=dt.date(2014, 1, 6))
    services.end_assignment(assignment=held, last_day=dt.date(2019, 2, 28))
    unknown = complete(factories.worker(staff_reference="W13"), qualifying_institution="")
    factories.assign(factories.post(team=team), worker_=unknown, start=dt.date(2012, 1, 2))
    twin = complete(factories.worker(staff_reference="W14", swe_number=swe("W13")))
    factories.assign(factories.post(team=team), worker_=twin, start=dt.date(2012, 1, 2))

    output = tmp_path / "census.xml"
    err = io.StringIO()
    # Six problems with their records, and three case holders (W11, W13, W14) with no caseload.
    with pytest.raises(CommandError, match="9 problems would make the return wrong; nothing was written"):
        call_command(
            "census_return",
            "--year",
            "2019",
            "--la-code",
            "886",
            "--output",
            str(output),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert not output.exists()
    listed = err.getvalue()
    assert "W11: SWENo: no Social Work England number is recorded." in listed
    assert "W11: StartOrigin: started on 1 May 2019 but where they came from is not recorded." in listed
    assert (
        "W12: ReasonLeave: employment in a children's social work role ended on 28 February 2019 "
        "but no leaver"
        in listed
    )
    assert "W13: QualInst: the qualifying institution is not recorded." in listed
    assert f"W13: SWENo: the Social Work England number {swe('W13')} is also recorded for W14." in listed
    assert "W14: Cases30: holds a case-holding post on 30 September 2019 but no caseload is recorded" in (
        listed
    )

    call_command(
        "census_return",
        "--year",
        "2019",
        "--la-code",
        "886",
        "--output",
        str(output),
        "--allow-incomplete",
        stdout=io.StringIO(),
        stderr=err,
    )
    assert output.exists()
    assert "left out  W11: no valid Social Work England number" in err.getvalue()
    gone_record = by_swe(output.read_bytes())[swe("W12")]
    assert gone_record["RoleEndDate"] == ["2019-02-28"] and gone_record["ReasonLeave"] == ["10"]
    assert gone_record["LeaverDestination"] == ["9"]


def test_a_wrong_la_code_is_refused(county, tmp_path):
    with pytest.raises(CommandError, match="three-digit LA code, not '88'"):
        call_command(
            "census_return", "--year", "2019", "--la-code", "88", "--output", str(tmp_path / "x.xml")
        )


def test_a_year_with_nobody_in_scope_writes_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="Nobody was in a children's social work role"):
        call_command(
            "census_return",
            "--year",
            "2019",
            "--la-code",
            "886",
            "--output",
            str(tmp_path / "x.xml"),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def test_the_sample_extract_gives_a_complete_valid_return(tmp_path):
    samples = sorted((Path(__file__).resolve().parent.parent / "docs" / "samples").glob("*.csv"))
    call_command("import_workforce", *map(str, samples), stdout=io.StringIO())
    census = build_census_return(year=2025, la_code="886")
    assert census.blocking_problems == []
    content = written(census)
    assert structure_problems(content) == []
    vacancies = ET.fromstring(content).find("LALevelVacancies")
    # The worked example's V, and its one agency worker covering a vacancy (P3's, 0.5 FTE).
    assert [child.text for child in vacancies] == ["1.90", "0.50", "1"]
    cases = {
        record.staff_reference: record.cases30 for record in census.workers if record.cases30 is not None
    }
    assert cases == {"W1001": 19, "W1002": 13, "A2001": 9, "A2002": 11, "A2003": 17, "W1006": 12}
