"""Emails: managers' weekly exit conversations due, directors told of a published report,
HR and directors told what would make a return wrong, each user's choice of emails.

Every email is checked for names: nobody outside the recipient's own teams is named in
any of them, and the directors', HR's and owners' emails name nobody at all.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from leavers.models import Leaver
from notices.models import EmailPreferences, SentEmail
from reporting import services
from tests import factories
from tests import factories_leavers as lf
from tests import factories_reporting as fr
from workforce.models import Worker

MONDAY = dt.datetime(2019, 8, 12, 7, 0)  # the weekly reminders' morning
SITE = "https://workforce.example.gov.uk"


@pytest.fixture
def teams(worked_example):
    """Two teams, each with a leaver whose exit conversation is due and a manager; a third
    manager whose team has none due."""
    mine = worked_example["team"]
    theirs = factories.team("Other Team")
    quiet = factories.team("Quiet Team")
    p5 = worked_example["posts"]["P5"]
    lf.leaver(post=p5, leaving_date=dt.date(2019, 4, 30), first_name="Lena", last_name="Lastday")
    lf.leaver(team=theirs, leaving_date=dt.date(2019, 5, 31), first_name="Olwen", last_name="Otherteam")
    done = lf.leaver(team=mine, leaving_date=dt.date(2019, 6, 14), first_name="Dora", last_name="Donealready")
    lf.leaver(team=mine, leaving_date=dt.date(2017, 6, 14), first_name="Elsie", last_name="Elderleaver")
    return {
        "mine": mine,
        "theirs": theirs,
        "manager": factories.user("tm", "manager", teams=[mine], email="tm@example.org", first_name="Tess"),
        "other": factories.user("om", "manager", teams=[theirs], email="om@example.org"),
        "quiet": factories.user("qm", "manager", teams=[quiet], email="qm@example.org"),
        "done": done,
    }


def names_in(body: str) -> set[str]:
    """Return the full names of every worker on record that ``body`` mentions."""
    return {worker.full_name for worker in Worker.objects.all() if worker.full_name in body}


def run_scheduled(*args: str) -> str:
    out = io.StringIO()
    call_command("run_scheduled", *args, stdout=out)
    return out.getvalue()


def email_to(address: str):
    (found,) = [email for email in mail.outbox if email.to == [address]]
    return found


# --- The weekly reminders ---------------------------------------------------------------------


def test_each_manager_is_emailed_the_exit_conversations_due_in_their_own_teams_only(teams):
    lf.conversation(teams["done"], user=teams["manager"], held_on=dt.date(2019, 6, 20))
    with time_machine.travel(MONDAY, tick=False):
        said = run_scheduled("reminders")
    assert said.startswith("2 exit conversations due for 2 managers: 2 emails sent")
    mine, theirs = email_to("tm@example.org"), email_to("om@example.org")
    assert mine.subject == "Social work workforce: 1 exit conversation due in your teams"
    assert names_in(mine.body) == {"Lena Lastday"}  # not Olwen, not Dora (recorded), not Elsie (2017)
    assert names_in(theirs.body) == {"Olwen Otherteam"}
    assert "Hello Tess," in mine.body and "Worked Example Team, left 30 April 2019" in mine.body
    lena = Leaver.objects.get(worker__first_name="Lena")
    assert f"{SITE}/leavers/conversation/?leaver={lena.pk}" in mine.body
    assert f"{SITE}/leavers/?conversation=due" in mine.body and f"{SITE}/account/emails/" in mine.body
    assert len(mail.outbox) == 2  # the quiet team's manager has none due: no email


def test_the_reminders_go_once_a_week_however_often_they_run(teams):
    with time_machine.travel(MONDAY, tick=False):
        run_scheduled("reminders")
        assert "0 emails sent" in run_scheduled("reminders")
    assert len(mail.outbox) == 2
    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        run_scheduled("reminders")
    assert len(mail.outbox) == 4
    assert SentEmail.objects.filter(recipient=teams["manager"]).count() == 2


def test_a_manager_who_turned_the_reminders_off_or_has_no_address_gets_none(teams):
    EmailPreferences.objects.create(user=teams["manager"], exit_conversations=False)
    teams["other"].email = ""
    teams["other"].save()
    with time_machine.travel(MONDAY, tick=False):
        run_scheduled("reminders")
    assert mail.outbox == []


def test_only_managers_get_the_reminders(teams):
    factories.user("hr1", "hr", email="hr1@example.org")
    factories.user("ad", "director", email="ad@example.org")
    with time_machine.travel(MONDAY, tick=False):
        run_scheduled("reminders")
    assert sorted(email.to[0] for email in mail.outbox) == ["om@example.org", "tm@example.org"]


# --- A report published -----------------------------------------------------------------------


@pytest.mark.queue
def test_directors_are_told_when_a_report_is_published_through_the_queue(teams, queue):
    factories.user("ad", "director", email="ad@example.org", first_name="Ada")
    factories.user("ad2", "director", email="ad2@example.org")
    off = factories.user("ad3", "director", email="ad3@example.org")
    EmailPreferences.objects.create(user=off, reports=False)
    factories.user("hr1", "hr", email="hr1@example.org")
    report = fr.report()
    services.publish_report(report=report, user=teams["manager"])
    assert mail.outbox == [] and queue.waiting() == 0  # queued once the publication commits
    assert queue.run() == 1
    assert sorted(email.to[0] for email in mail.outbox) == ["ad2@example.org", "ad@example.org"]
    email = email_to("ad@example.org")
    assert email.subject == (
        "Social work workforce: Committee report published: "
        "Children and Families Overview and Scrutiny Committee, 2 September 2019"
    )
    assert f"{SITE}/reports/{report.pk}/" in email.body and "Hello Ada," in email.body
    assert "figures as at 30 June 2019 frozen" in email.body
    assert names_in(email.body) == set() and "Tess" not in email.body  # nobody named, not the publisher
    assert queue.run() == 0 and len(mail.outbox) == 2


@pytest.mark.queue
def test_a_publication_rolled_back_tells_nobody(worked_example, queue):
    factories.user("ad", "director", email="ad@example.org")
    report = fr.report()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.publish_report(report=report, user=None)
        raise RuntimeError("the publication failed after the signal")
    queue.run()
    assert mail.outbox == []


# --- A return's pre-check ---------------------------------------------------------------------


@pytest.fixture
def census_problems(teams, settings):
    """Records with problems the census return would refuse: workers without a Social Work
    England number."""
    settings.CENSUS_LA_CODE = "855"
    for number in range(2):
        post = factories.post(team=teams["mine"], reference=f"NOSWE-{number}")
        factories.assign(post, worker_=factories.worker(swe_number=""), start=dt.date(2018, 1, 1))
    factories.user("hr1", "hr", email="hr1@example.org")
    factories.user("ad", "director", email="ad@example.org")
    return teams


def test_hr_and_directors_are_emailed_the_census_problems_while_it_is_due_without_names(census_problems):
    with time_machine.travel(dt.datetime(2019, 10, 7, 7, 0), tick=False):
        said = run_scheduled("census-precheck")
    assert "2 emails sent" in said
    assert sorted(email.to[0] for email in mail.outbox) == ["ad@example.org", "hr1@example.org"]
    email = email_to("hr1@example.org")
    assert email.subject.startswith("Social work workforce: The children's social work workforce census 2019")
    assert email.subject.endswith("problems to correct")
    assert "1 October 2018 to 30 September 2019) is due by 28 February 2020, in 144 days." in email.body
    assert "- SWENo: 2\n" in email.body and f"{SITE}/returns/checks/" in email.body
    assert names_in(email.body) == set()
    references = set(Worker.objects.values_list("staff_reference", flat=True))
    assert not any(reference in email.body for reference in references if reference)


def test_out_of_its_season_the_census_precheck_emails_nobody_unless_forced(census_problems):
    with time_machine.travel(dt.datetime(2019, 5, 6, 7, 0), tick=False):
        assert "not in season" in run_scheduled("census-precheck")
        assert mail.outbox == []
        run_scheduled("census-precheck", "--force")
    assert len(mail.outbox) == 2


def test_the_checks_page_lists_every_problem_for_hr_and_directors_only(client, census_problems):
    client.force_login(factories.user("hr2", "hr"))
    page = client.get(reverse("pages:return_checks")).content.decode()
    assert "The children&#x27;s social work workforce census" in page and "SWENo" in page
    client.force_login(census_problems["manager"])
    assert client.get(reverse("pages:return_checks")).status_code == 403


def test_run_scheduled_lists_its_work_and_names_what_it_cannot_find(db):
    listed = run_scheduled("--list")
    for name in ("anonymise", "reminders", "census-precheck"):
        assert name in listed
    with pytest.raises(Exception, match="No scheduled work is called 'tidy'"):
        run_scheduled("tidy")


@pytest.mark.queue
def test_old_tasks_deletes_the_records_of_tasks_finished_over_a_fortnight_ago(db, queue):
    from jobs.tasks import email_job_outcome

    email_job_outcome.enqueue("00000000-0000-0000-0000-000000000000")
    queue.run()
    with time_machine.travel(dt.datetime.now() + dt.timedelta(days=13), tick=False):
        run_scheduled("old-tasks")
    assert queue.finished() == 1
    with time_machine.travel(dt.datetime.now() + dt.timedelta(days=15), tick=False):
        said = run_scheduled("old-tasks")
    assert queue.finished() == 0 or "Redis" in said


def test_anonymise_runs_on_schedule_after_the_retention_period(teams, settings):
    settings.WORKFORCE = {**settings.WORKFORCE, "LEAVER_RETENTION_YEARS": 1}
    with time_machine.travel(MONDAY, tick=False):
        said = run_scheduled("anonymise")
    assert said.startswith("Anonymised 1 leaver who left before 12 August 2018")  # Elsie, of 2017
    assert not Worker.objects.filter(last_name="Elderleaver").exists()


# --- Each user's choice ---------------------------------------------------------------------------


def test_the_emails_page_offers_each_role_its_own_kinds_and_saves_the_choice(client, teams):
    client.force_login(teams["manager"])
    url = reverse("notices:preferences")
    page = client.get(url).content.decode()
    assert 'value="exit_conversations"' in page and "checked" in page
    assert 'value="reports"' not in page and "tm@example.org" in page
    assert f'href="{url}"' in client.get(reverse("home")).content.decode()  # linked from the header
    response = client.post(url, {})  # every box unticked
    assert response.status_code == 302
    assert EmailPreferences.objects.get(user=teams["manager"]).exit_conversations is False
    page = client.get(url).content.decode()
    assert "Your email choices are saved." in page and "checked" not in page
    client.post(url, {"kinds": ["exit_conversations"]})
    assert EmailPreferences.objects.get(user=teams["manager"]).exit_conversations is True


def test_a_director_chooses_among_reports_jobs_and_returns(client, db):
    director = factories.user("ad", "director")
    client.force_login(director)
    page = client.get(reverse("notices:preferences")).content.decode()
    assert 'value="reports"' in page and 'value="jobs"' in page and 'value="returns"' in page
    assert 'value="exit_conversations"' not in page
    assert "There is no email address on your account" in page
    client.post(reverse("notices:preferences"), {"kinds": ["reports"]})
    saved = EmailPreferences.objects.get(user=director)  # (not offered: left as it was)
    assert (saved.reports, saved.jobs, saved.returns, saved.exit_conversations) == (True, False, False, True)


def test_the_emails_page_needs_a_signed_in_user(client, db):
    response = client.get(reverse("notices:preferences"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Through a real mail server, and the settings that reach it ------------------------------------


def test_the_reminders_go_through_a_real_smtp_server(teams, settings):
    """aiosmtpd on 127.0.0.1 stands in for the council's mail server."""
    import email
    import email.policy
    import socket

    from aiosmtpd.controller import Controller

    from config.settings.email import email_settings

    received = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            received.append(envelope)
            return "250 Message accepted"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        for name, value in email_settings({"EMAIL_URL": f"smtp+plain://127.0.0.1:{port}"}).items():
            setattr(settings, name, value)
        with time_machine.travel(MONDAY, tick=False):
            run_scheduled("reminders")
    finally:
        controller.stop()
    assert sorted(envelope.rcpt_tos[0] for envelope in received) == ["om@example.org", "tm@example.org"]
    (mine,) = [envelope for envelope in received if envelope.rcpt_tos == ["tm@example.org"]]
    message = email.message_from_bytes(mine.content, policy=email.policy.default)
    assert message["Subject"] == "Social work workforce: 2 exit conversations due in your teams"
    assert message["From"] == "Social work workforce <workforce@localhost>"
    text = message.get_content()
    assert "Lena Lastday" in text and "Dora Donealready" in text and "Olwen" not in text


def test_email_settings_come_from_the_environment():
    from config.settings.email import CONSOLE, SMTP, email_settings

    assert email_settings({}) == {"EMAIL_BACKEND": CONSOLE}
    assert email_settings({"EMAIL_URL": "console://"}) == {"EMAIL_BACKEND": CONSOLE}
    url = email_settings({"EMAIL_URL": "smtp://relay%40council.gov.uk:p%40ss@mail.council.gov.uk"})
    assert url == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.council.gov.uk",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "relay@council.gov.uk",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 20,
    }
    tls = email_settings({"EMAIL_URL": "smtps://mail.council.gov.uk"})
    assert (tls["EMAIL_PORT"], tls["EMAIL_USE_TLS"], tls["EMAIL_USE_SSL"]) == (465, False, True)
    parts = email_settings({"EMAIL_HOST": "smtp.example.gov.uk", "EMAIL_PORT": "25", "EMAIL_USE_TLS": "no"})
    assert (parts["EMAIL_BACKEND"], parts["EMAIL_PORT"], parts["EMAIL_USE_TLS"]) == (SMTP, 25, False)
    with pytest.raises(ValueError, match="EMAIL_URL: unknown scheme 'smpt'"):
        email_settings({"EMAIL_URL": "smpt://mail.council.gov.uk"})
