"""The caseloads stage of the demonstration: monthly caseloads for every case holder, a census
return for last year the national schema accepts, and illustrative comparators."""

import datetime as dt
import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from dataio.census.xml import structure_problems
from pages.dashboard import build_dashboard
from reporting.summary import build_committee_summary
from tests import factories
from workforce.models import Caseload, Comparator, Worker
from workforce.selectors.caseloads import case_holders_on, caseloads_on

TODAY = dt.date(2026, 11, 22)
LAST_CENSUS = dt.date(2025, 9, 30)  # last year's census date
XSD = Path(__file__).resolve().parents[3] / "shared" / "specs" / "social_work_workforce_2022.xsd"


@pytest.fixture
def last_years_return(demo, tmp_path):
    output = tmp_path / "census-2025.xml"
    out = io.StringIO()
    call_command("census_return", "--year", "2025", "--la-code", "886", "--output", str(output), stdout=out)
    return out.getvalue(), output.read_bytes()


@pytest.mark.django_db
def test_last_years_census_return_is_complete_and_valid(last_years_return):
    printed, content = last_years_return
    assert "complete." in printed
    assert structure_problems(content) == []
    if XSD.exists():
        import xmlschema

        xmlschema.XMLSchema(str(XSD)).validate(io.BytesIO(content))


@pytest.mark.django_db
def test_every_case_holder_has_cases30_in_last_years_return(last_years_return):
    _, content = last_years_return
    cases = {}
    for record in ET.fromstring(content).iter("CSWWWorker"):
        if record.findtext("Cases30") is not None:
            cases[record.findtext("SWENo")] = int(record.findtext("Cases30"))
    holders = case_holders_on(LAST_CENSUS)
    assert len(holders) > 150
    numbers = dict(
        Worker.objects.filter(pk__in=[h.worker_id for h in holders]).values_list("pk", "swe_number")
    )
    assert {numbers[holder.worker_id]: holder.cases for holder in holders} == cases


@pytest.mark.django_db
def test_no_agency_fte_is_the_reports_agency_covering_vacancies_at_30_september(last_years_return):
    _, content = last_years_return
    vacancies = ET.fromstring(content).find("LALevelVacancies")
    summary = build_committee_summary(as_of=LAST_CENSUS, comparison_dates=[])
    cover = summary.table("measures").cell("vacancy_cover", LAST_CENSUS.isoformat())
    assert Decimal(vacancies.findtext("NoAgencyFTE")) == cover.fte > 0
    agency_records = [
        r for r in ET.fromstring(content).iter("CSWWWorker") if r.findtext("AgencyWorker") == "1"
    ]
    assert int(vacancies.findtext("NoAgencyHeadcount")) < len(agency_records)  # not every agency worker


@pytest.mark.django_db
def test_caseloads_look_like_a_real_countys(demo):
    assert not Caseload.objects.exclude(recorded_on__day__gte=28).exists()  # month-ends
    snapshot = caseloads_on(dt.date(2026, 9, 30))
    total = snapshot.total
    assert total.not_known == 0 and total.holders > 200
    assert Decimal("16") <= total.per_case_holder <= Decimal("19")
    assert snapshot.spread["16-20"] == max(snapshot.spread.values())  # mostly 14-22
    assert 0 < snapshot.spread["26+"] < total.holders // 10  # a few over 25
    assert snapshot.asye.per_case_holder < snapshot.others.per_case_holder - 4  # protected in the ASYE
    first = Caseload.objects.order_by("recorded_on").first().recorded_on
    assert first <= dt.date(2023, 12, 31)  # over the demonstration's three years


@pytest.mark.django_db
def test_the_comparators_are_illustrative_and_say_so(demo):
    assert Comparator.objects.count() == 12 and not Comparator.objects.filter(illustrative=False).exists()
    summary = build_committee_summary(as_of=dt.date(2026, 9, 30), comparison_dates=[dt.date(2026, 6, 30)])
    headings = [column.heading for column in summary.table("caseload_comparators").columns]
    assert headings[2:] == ["England 2026*", "South East 2026*", "Neighbours 2026*"]
    assert "* Illustrative figures, not published ones." in summary.definition("comparators").text
    assert "illustrative figures)" in summary.section("caseloads").sentence


@pytest.mark.django_db
def test_the_home_page_shows_the_caseload_card(demo):
    card = next(
        measure
        for measure in build_dashboard(user=factories.user("d2", "director"), today=TODAY).measures
        if measure.key == "caseloads"
    )
    assert Decimal("16") <= Decimal(card.value) <= Decimal("19")
    assert card.trend is not None and card.comparators[0].startswith("England 2026: ")
    assert card.comparators[-1] == "Illustrative figures, not published ones"
