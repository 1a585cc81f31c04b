"""Importing trainees and cohorts: created and matched by name, teams set, bad rows named."""

from __future__ import annotations

import datetime as dt

import pytest

from dataio.importing.engine import Source, run_import
from planning.models import CohortKind, PipelineCohort
from tests import factories

pytestmark = pytest.mark.django_db

HEADINGS = "cohort,kind,headcount,expected_on,role,teams,known_from\n"


def cohorts(text: str):
    return run_import([Source(name="cohorts.csv", content=(HEADINGS + text).encode())])


def test_cohorts_are_created_with_their_teams_then_matched_by_name():
    east, west = factories.team("Child Protection East"), factories.team("Child Protection West")
    report = cohorts(
        "Frontline 2026,frontline,3,2026-09-01,Social Worker,"
        "Child Protection East; child protection west,2025-07-01\n"
        "Apprentices,Apprenticeship,2,2027-07-31,,,\n"
    )
    assert report.ok, [str(problem) for problem in report.problems]
    frontline = PipelineCohort.objects.get(name="Frontline 2026")
    assert (frontline.kind, frontline.headcount, frontline.expected_on) == (
        CohortKind.FRONTLINE,
        3,
        dt.date(2026, 9, 1),
    )
    assert set(frontline.teams.all()) == {east, west}
    assert (
        PipelineCohort.objects.get(name="Apprentices").role is None
    )  # the case-holder role, in the forecast

    again = cohorts("frontline 2026,frontline,4,2026-09-01,Social Worker,Child Protection East,2025-07-01\n")
    assert again.ok
    frontline.refresh_from_db()
    assert frontline.headcount == 4 and list(frontline.teams.all()) == [east]
    assert PipelineCohort.objects.count() == 2


def test_a_bad_row_names_its_row_and_column_and_nothing_is_saved():
    report = cohorts(
        "Good,frontline,3,2026-09-01,Social Worker,,\n"
        "No one,frontline,0,2026-09-01,Social Worker,,\n"
        "Wrong role,frontline,2,2026-09-01,Chief Executive,,\n"
        "Wrong team,frontline,2,2026-09-01,,Nowhere Team,\n"
        "Known late,frontline,2,2026-09-01,,,2027-01-01\n"
    )
    assert not report.ok
    problems = [str(problem) for problem in report.problems]
    assert any("row 3" in p and "headcount" in p for p in problems), problems
    assert any("row 4" in p and "role" in p and "Chief Executive" in p for p in problems), problems
    assert any("row 5" in p and "teams" in p and "Nowhere Team" in p for p in problems), problems
    assert any("row 6" in p and "known_from" in p for p in problems), problems
    assert PipelineCohort.objects.count() == 0
