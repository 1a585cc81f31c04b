"""The returns' pre-checks: the census return's season, and its check writing nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from dataio.census.precheck import NO_LA_CODE
from dataio.prechecks import PRECHECKS, prechecks
from foundation.periods import census_season
from tests import factories

FEB_28 = (2, 28)


@pytest.mark.parametrize(
    ("day", "season"),
    [
        # From 1 September the coming census (reference date 30 September) is checked...
        (dt.date(2026, 9, 1), (2026, dt.date(2026, 9, 1), dt.date(2027, 2, 28))),
        (dt.date(2026, 12, 25), (2026, dt.date(2026, 9, 1), dt.date(2027, 2, 28))),
        # ... until its deadline the next year,
        (dt.date(2027, 2, 28), (2026, dt.date(2026, 9, 1), dt.date(2027, 2, 28))),
        # then it is the following year's, out of season until 1 September.
        (dt.date(2027, 3, 1), (2027, dt.date(2027, 9, 1), dt.date(2028, 2, 28))),
        (dt.date(2027, 8, 31), (2027, dt.date(2027, 9, 1), dt.date(2028, 2, 28))),
    ],
)
def test_the_census_season_runs_from_september_to_its_deadline(day, season):
    assert census_season(day, deadline=FEB_28) == season


def test_a_deadline_on_the_31st_of_a_shorter_month_is_its_last_day():
    assert census_season(dt.date(2026, 10, 1), deadline=(4, 31))[2] == dt.date(2027, 4, 30)
    assert census_season(dt.date(2027, 10, 1), deadline=(2, 29))[2] == dt.date(2028, 2, 29)  # a leap year
    assert census_season(dt.date(2026, 10, 1), deadline=(2, 29))[2] == dt.date(2027, 2, 28)


def test_every_registered_precheck_can_be_found_and_names_its_scheduled_work():
    assert "census" in PRECHECKS
    assert {check.name for check in prechecks().values()} == set(PRECHECKS)


@pytest.mark.django_db
def test_the_census_pre_check_lists_the_problems_and_writes_nothing(tmp_path, monkeypatch, settings):
    monkeypatch.chdir(tmp_path)
    post = factories.post(team=factories.team(), reference="P1")
    unregistered = factories.worker(swe_number="", staff_reference="W-NOSWE")
    factories.assign(post, worker_=unregistered, start=dt.date(2018, 1, 1))
    out, err = io.StringIO(), io.StringIO()
    call_command("census_return", "--year", "2019", "--la-code", "886", "--check", stdout=out, stderr=err)
    assert "W-NOSWE: SWENo: no Social Work England number is recorded." in err.getvalue()
    assert out.getvalue().strip().endswith("in 1 records; nothing was written.")
    assert list(tmp_path.iterdir()) == []
    settings.CENSUS_LA_CODE = ""
    check = prechecks()["census"].run(dt.date(2019, 10, 7))
    found = [(problem.reference, problem.item, problem.message) for problem in check.blocking]
    assert check.due and ("(council)", "LEA", NO_LA_CODE) in found
    settings.CENSUS_LA_CODE = "886"
    check = prechecks()["census"].run(dt.date(2019, 10, 7))
    found = [(problem.reference, problem.item) for problem in check.blocking]
    assert ("W-NOSWE", "SWENo") in found and ("(council)", "LEA") not in found
    assert ("SWENo", 1, 0) in check.by_item() and check.records == 1


@pytest.mark.django_db
def test_the_census_return_needs_an_output_unless_it_only_checks():
    with pytest.raises(Exception, match="Give --output FILE.xml to write the return, or --check"):
        call_command("census_return", "--year", "2019", "--la-code", "886")
