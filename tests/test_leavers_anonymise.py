"""Anonymising old leavers: personal details go, from the records and their history; figures stay."""

import dataclasses
import datetime as dt
import io

import pytest
import time_machine
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import override_settings

from leavers.models import ExitConversation, Leaver
from leavers.selectors import leavers_analysis
from tests import factories
from tests import factories_leavers as lf
from workforce import services as workforce_services
from workforce.models import Ethnicity, Gender, Worker
from workforce.selectors import establishment_on

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)
DAYS = [dt.date(2015, 6, 30), dt.date(2015, 7, 1), dt.date(2019, 12, 31), dt.date(2024, 3, 31), TODAY]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0), tick=False):
        yield


@pytest.fixture
def county():
    team = factories.team("Child Protection East")
    hr = factories.user("hr1", "hr", staff=True)
    old = lf.leaver(
        team=team,
        start=dt.date(2010, 1, 1),
        leaving_date=dt.date(2015, 6, 30),
        first_name="Olive",
        last_name="Maiden",
        swe_number="SW0000099999",
        birth_date=dt.date(1980, 5, 5),
        gender=Gender.FEMALE,
        ethnicity=Ethnicity.WIRI,
        qualifying_institution="University of Kent",
    )
    person = old.worker
    person.last_name = "Oldleaver"  # a change of name, kept in the history until anonymised
    workforce_services.save_worker(worker=person)
    lf.conversation(
        old,
        user=hr,
        held_on=dt.date(2015, 6, 20),
        notes="Spoke about her health in confidence",
        quote="…loved the team but needed a change",
        quote_consent=True,
    )
    LogEntry.objects.create(
        user=hr,
        content_type=ContentType.objects.get_for_model(Worker),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message="[]",
    )
    rejoiner = lf.leaver(
        team=team, start=dt.date(2011, 1, 1), leaving_date=dt.date(2014, 3, 31), last_name="Back"
    )
    factories.assign(factories.post(team=team), worker_=rejoiner.worker, start=dt.date(2019, 1, 1))
    recent = lf.leaver(
        team=team, start=dt.date(2016, 1, 1), leaving_date=dt.date(2024, 3, 31), last_name="Recent"
    )
    lf.conversation(recent, user=hr, notes="Recent note", quote="Recent quote", quote_consent=True)
    factories.assign(factories.post(team=team), start=dt.date(2012, 1, 1), end=dt.date(2013, 1, 1))
    return {"old": old, "rejoiner": rejoiner, "recent": recent}


def figures():
    analysis = leavers_analysis(start=dt.date(2000, 1, 1), end=TODAY)
    return dataclasses.replace(analysis, quotes=[]), [establishment_on(day) for day in DAYS]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("anonymise_leavers", *args, stdout=out)
    return out.getvalue()


def test_old_leavers_personal_details_are_replaced_and_figures_are_unchanged(county):
    before = figures()
    assert run("--older-than", "6") == (
        "Anonymised 1 leaver who left before 22 November 2020 (1 worker, 1 exit conversation), "
        "in the records and their history.\n"
    )
    assert figures() == before
    person = Worker.objects.get(pk=county["old"].worker_id)
    assert (person.staff_reference, person.first_name, person.last_name) == (
        f"ANON-{person.pk:06d}",
        "Anonymised",
        "leaver",
    )
    assert (person.swe_number, person.birth_date, person.gender, person.ethnicity) == ("", None, "", "")
    assert person.qualifying_institution == ""
    assert person.service_start == dt.date(2010, 1, 1)  # a figure: kept
    conversation = ExitConversation.objects.get(leaver=county["old"])
    assert (conversation.notes, conversation.quote, conversation.quote_consent) == ("", "", False)
    assert conversation.destination.code == "another-la"  # coded answers stay for the analysis
    assert Leaver.objects.get(pk=county["old"].pk).anonymised_on == TODAY


def test_the_history_and_admin_log_no_longer_hold_the_old_details(county):
    run("--older-than", "6")
    pk = county["old"].worker_id
    history = Worker.history.filter(id=pk)
    assert history.count() >= 3
    for version in history:
        assert (version.first_name, version.last_name, version.swe_number) == ("Anonymised", "leaver", "")
        assert version.birth_date is None and version.staff_reference == f"ANON-{pk:06d}"
    for version in ExitConversation.history.filter(leaver_id=county["old"].pk):
        assert (version.notes, version.quote) == ("", "")
    assert not LogEntry.objects.filter(object_repr__contains="Olive").exists()
    assert LogEntry.objects.get(object_id=str(pk)).object_repr == "Anonymised leaver"


def test_recent_leavers_and_people_who_came_back_are_kept(county):
    run("--older-than", "6")
    assert Worker.objects.get(pk=county["rejoiner"].worker_id).last_name == "Back"
    assert Worker.objects.get(pk=county["recent"].worker_id).last_name == "Recent"
    assert ExitConversation.objects.get(leaver=county["recent"]).notes == "Recent note"


def test_running_again_does_nothing_more(county):
    run("--older-than", "6")
    history = Worker.history.count()
    assert run("--older-than", "6") == "No leavers who left before 22 November 2020 are left to anonymise.\n"
    assert Worker.history.count() == history


def test_a_dry_run_changes_nothing(county):
    out = run("--older-than", "6", "--dry-run")
    assert out.startswith("Would anonymise 1 leaver who left before 22 November 2020")
    assert "Dry run: nothing was changed." in out
    assert Worker.objects.get(pk=county["old"].worker_id).last_name == "Oldleaver"


def test_the_retention_period_defaults_to_the_setting(county):
    longer = {**settings.WORKFORCE, "LEAVER_RETENTION_YEARS": 12}
    with override_settings(WORKFORCE=longer):
        assert run() == "No leavers who left before 22 November 2014 are left to anonymise.\n"
    assert run().startswith("Anonymised 1 leaver who left before 22 November 2020")
