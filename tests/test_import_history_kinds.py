"""Two more kinds of file, so a council can load its history: exit conversations and recruitment
starts. Both all or nothing, with row and column messages, and idempotent."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from dataio.importing.engine import Source, run_import
from leavers.models import ExitConversation
from recruitment.models import Application
from workforce.models import Assignment, Worker
from workforce.selectors import posts_on

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"
BEFORE = ("teams", "posts", "workers", "assignments", "absences", "leavers", "campaigns", "applications")
CONVERSATIONS = "staff_reference,leaving_date,held_on,destination,reasons,notes,quote,quote_consent\n"
STARTS = "campaign,role,email,start_date,post_reference,fte,contract,end_date,staff_reference,start_origin\n"
CAMPAIGN = "Autumn 2025 experienced social workers"


@pytest.fixture
def history():
    """The sample extract without its exit conversations and starts."""
    paths = [str(SAMPLES / f"{name}.csv") for name in BEFORE]
    call_command("import_workforce", *paths, stdout=io.StringIO())


def messages(report) -> list[str]:
    return [str(problem) for problem in report.problems]


def state() -> tuple:
    return (
        sorted(map(repr, ExitConversation.objects.values_list())),
        sorted(ExitConversation.reasons.through.objects.values_list("exitconversation_id", "exitreason_id")),
        sorted(map(repr, Application.objects.values_list())),
        sorted(map(repr, Assignment.objects.values_list())),
        sorted(map(repr, Worker.objects.values_list())),
        ExitConversation.history.count(),
        Assignment.history.count(),
    )


def refused(text: str, name: str) -> list[str]:
    before = state()
    report = run_import([Source(name, text.encode())])
    assert not report.ok
    assert state() == before
    return messages(report)


# --- Exit conversations ------------------------------------------------------------------------


def test_an_exit_conversation_is_recorded_through_the_service_and_is_idempotent(history):
    row = (
        "W1007,31/03/2025,2025-03-24,Another local authority,Workload and work-life balance; progression,,,"
        "no\n"
    )
    report = run_import([Source("exit_conversations.csv", (CONVERSATIONS + row).encode())])
    assert report.ok, messages(report)
    conversation = ExitConversation.objects.get()
    assert conversation.leaver.worker.staff_reference == "W1007"
    assert (conversation.held_on, conversation.destination.code) == (dt.date(2025, 3, 24), "another-la")
    assert sorted(conversation.reasons.values_list("code", flat=True)) == ["progression", "workload"]
    before = state()
    again = run_import([Source("exit_conversations.csv", (CONVERSATIONS + row).encode())])
    assert again.totals == {"created": 0, "updated": 0, "unchanged": 1}
    assert state() == before  # not even a history row


def test_a_recorded_conversation_is_corrected_in_place(history):
    first = "W1007,2025-03-31,2025-03-24,another-la,workload,,,no\n"
    assert run_import([Source("exit_conversations.csv", (CONVERSATIONS + first).encode())]).ok
    corrected = "W1007,2025-03-31,2025-03-25,agency-local,better-pay; journey,Notes,A quote,yes\n"
    report = run_import([Source("exit_conversations.csv", (CONVERSATIONS + corrected).encode())])
    assert report.totals["updated"] == 1
    [outcome] = report.files[0].outcomes
    assert "reasons: Better pay elsewhere, Journey to work" in outcome.changes
    conversation = ExitConversation.objects.get()
    assert (conversation.destination.code, conversation.quote_consent) == ("agency-local", True)
    assert sorted(conversation.reasons.values_list("code", flat=True)) == ["better-pay", "journey"]


def test_exit_conversations_with_problems_are_refused_all_or_nothing(history):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    rows = (
        "W1007,2025-03-31,2025-03-24,another-la,workload,,,no\n"  # good, but not saved
        "W1007,2025-03-30,2025-03-24,another-la,workload,,,no\n"
        "W1001,2025-03-31,2025-03-24,another-la,workload,,,no\n"
        "W9999,2025-03-31,2025-03-24,another-la,workload,,,no\n"
    )
    assert refused(CONVERSATIONS + rows, "exit_conversations.csv") == [
        "exit_conversations.csv, row 3, column leaving_date: there is no leaver W1007 / 30 March 2025 (the "
        "worker is not recorded as leaving on that day, here or in a leavers file of this import)",
        "exit_conversations.csv, row 4, column leaving_date: there is no leaver W1001 / 31 March 2025 (the "
        "worker is not recorded as leaving on that day, here or in a leavers file of this import)",
        "exit_conversations.csv, row 5, column staff_reference: there is no worker 'W9999' (it is neither "
        "already recorded nor in a workers file of this import)",
    ]
    rows = (
        "W1007,2025-03-31,2025-03-24,the moon,workload,,,no\n"
        "W1007,2025-03-31,2025-03-24,another-la,workload; boredom,,,no\n"
    )
    assert refused(CONVERSATIONS + rows, "exit_conversations.csv")[0].startswith(
        "exit_conversations.csv, row 2, column destination: there is no destination 'the moon' (the "
        "destinations are: "
    )
    row = f"W1007,2025-03-31,{tomorrow:%Y-%m-%d},another-la,workload,,,yes\n"
    assert refused(CONVERSATIONS + row, "exit_conversations.csv") == [
        "exit_conversations.csv, row 2, column held_on: The conversation cannot be dated in the future.",
        "exit_conversations.csv, row 2, column quote: There is no quote to consent to: enter the quote, or "
        "untick the consent.",
    ]


def test_a_conversation_names_a_leaver_the_same_import_records(history):
    leaving = "staff_reference,leaving_date,leaving_category\nW1001,2025-06-30,normal-retirement\n"
    row = "W1001,2025-06-30,2025-06-20,retirement,caring,,,no\n"
    report = run_import(
        [
            Source("exit_conversations.csv", (CONVERSATIONS + row).encode()),
            Source("leavers.csv", leaving.encode()),
        ]
    )
    assert report.ok, messages(report)
    assert ExitConversation.objects.get().leaver.worker.staff_reference == "W1001"


def test_a_conversation_of_a_leaver_whose_row_failed_says_so(history):
    leaving = "staff_reference,leaving_date,leaving_category\nW1001,2025-06-30,no-such-category\n"
    row = "W1001,2025-06-30,2025-06-20,retirement,caring,,,no\n"
    report = run_import(
        [
            Source("leavers.csv", leaving.encode()),
            Source("exit_conversations.csv", (CONVERSATIONS + row).encode()),
        ]
    )
    assert messages(report)[-1] == (
        "exit_conversations.csv, row 2, column leaving_date: leaver W1001 / 30 June 2025 is not imported "
        "because its own row has problems (leavers.csv row 2)"
    )


# --- Recruitment starts ------------------------------------------------------------------------


def _vacancy(reference: str, day: dt.date) -> Decimal:
    return next(post.vacancy_fte for post in posts_on(day, None) if post.reference == reference)


def test_a_start_fills_the_post_through_start_candidate_and_is_idempotent(history):
    assert _vacancy("CIN-02", dt.date(2025, 12, 1)) == 1
    row = f"{CAMPAIGN},Social Worker,SAM.JONES@example.org,01/12/2025,cin-02,,,,W1009,\n"
    report = run_import([Source("starts.csv", (STARTS + row).encode())])
    assert report.ok, messages(report)
    application = Application.objects.get(email="sam.jones@example.org")
    assert application.started_on == dt.date(2025, 12, 1)
    assert (application.worker.staff_reference, application.team.name) == ("W1009", "Children in Care North")
    assert application.assignment.fte == 1  # blank: the post's FTE
    assert _vacancy("CIN-02", dt.date(2025, 12, 1)) == 0
    assert _vacancy("CIN-02", dt.date(2025, 11, 30)) == 1
    before = state()
    again = run_import([Source("starts.csv", (STARTS + row).encode())])
    assert again.totals == {"created": 0, "updated": 0, "unchanged": 1}
    assert state() == before


def test_a_dry_run_of_a_start_fills_nothing(history):
    row = f"{CAMPAIGN},Social Worker,sam.jones@example.org,2025-12-01,CIN-02,,,,,\n"
    report = run_import([Source("starts.csv", (STARTS + row).encode())], dry_run=True)
    assert report.ok and report.totals["created"] == 1
    assert Application.objects.get(email="sam.jones@example.org").started_on is None
    assert _vacancy("CIN-02", dt.date(2025, 12, 1)) == 1


def test_starts_with_problems_are_refused_all_or_nothing(history):
    rows = (
        f"{CAMPAIGN},Social Worker,sam.jones@example.org,2025-12-01,CIN-02,,,,,\n"  # good, but not saved
        f"{CAMPAIGN},Social Worker,lee.wong@example.org,2025-12-01,CIN-01,,,,,\n"
        f"{CAMPAIGN},Social Worker,nobody@example.org,2025-12-01,CIN-01,,,,,\n"
        f"{CAMPAIGN},Senior Practitioner,ines.moreau@example.org,2025-12-01,NOPE,,contractor,,,\n"
    )
    assert refused(STARTS + rows, "starts.csv") == [
        "starts.csv, row 3, column email: No start without an accepted offer: record the acceptance first.",
        "starts.csv, row 4, column email: there is no application from nobody@example.org for Social Worker "
        f"in '{CAMPAIGN}' (it is neither already recorded nor in an applications file of this import)",
        "starts.csv, row 5, column contract: 'contractor' is not a known contract for a start (use one of: "
        "permanent, fixed_term)",
    ]
    assert Application.objects.get(email="sam.jones@example.org").started_on is None


def test_a_start_into_a_post_without_a_vacancy_is_refused_on_its_column(history):
    row = f"{CAMPAIGN},Social Worker,sam.jones@example.org,2025-12-01,CIN-01,,,,,\n"
    assert refused(STARTS + row, "starts.csv") == [
        "starts.csv, row 2, column post_reference: Post CIN-01 has 0 FTE vacant on 1 December 2025; "
        "this start needs 1."
    ]
    row = f"{CAMPAIGN},Social Worker,sam.jones@example.org,2025-12-01,CPE-06,,,,,\n"
    assert refused(STARTS + row, "starts.csv") == [
        "starts.csv, row 2, column post_reference: Post CPE-06 is temporary; a start fills a vacant "
        "establishment post."
    ]


def test_a_start_recorded_differently_is_not_changed_by_importing(history):
    row = f"{CAMPAIGN},Social Worker,sam.jones@example.org,2025-12-01,CIN-02,,,,,\n"
    assert run_import([Source("starts.csv", (STARTS + row).encode())]).ok
    later = f"{CAMPAIGN},Social Worker,sam.jones@example.org,2025-12-08,CIN-02,,,,,\n"
    assert refused(STARTS + later, "starts.csv") == [
        "starts.csv, row 2, column start_date: the candidate already started on 1 December 2025 in post "
        "CIN-02; a start is corrected in the admin, not by importing it again"
    ]


def test_the_applications_file_does_not_undo_a_start(history):
    row = f"{CAMPAIGN},Social Worker,sam.jones@example.org,2025-12-01,CIN-02,,,,W1009,\n"
    assert run_import([Source("starts.csv", (STARTS + row).encode())]).ok
    report = run_import([Source("applications.csv", (SAMPLES / "applications.csv").read_bytes())])
    assert report.totals["updated"] == 0
    application = Application.objects.get(email="sam.jones@example.org")
    assert (application.worker.staff_reference, application.team.name) == ("W1009", "Children in Care North")


def test_the_new_kinds_are_recognised_by_their_names(history):
    from dataio.importing.engine import kind_from_name

    assert kind_from_name("2025-06 Exit conversations.csv").name == "exit_conversations"
    assert kind_from_name("starts.xlsx").name == "starts"
