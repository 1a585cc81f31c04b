"""Importing in batches: rows checked in memory against each other and the records, written in bulk.

The rules are the ones a row saved alone meets (``workforce.rules``); these tests cover
what only a batch can get wrong: rows of one file that together break a rule, records
named in another case, the history of records written in bulk, a row the database
refuses, and the number of queries, which does not grow with the rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from dataio.importing import batch
from dataio.importing.context import Context, Lookup
from dataio.importing.engine import Source, run_import
from tests import factories
from workforce.models import Assignment, Post, Team, Worker
from workforce.rules import check_assignment, check_assignment_among

pytestmark = pytest.mark.django_db
D = dt.date

TEAMS = "team,service_area\nChild Protection East,Child Protection\n"
POSTS = (
    "post_reference,team,role,fte,active_from\n"
    "CPE-01,Child Protection East,Social Worker,1,2010-04-01\n"
    "CPE-02,Child Protection East,Social Worker,0.5,2010-04-01\n"
)
WORKERS = "staff_reference,first_name,last_name\nW1,Asha,Patel\nW2,Tom,Reed\nW3,Sam,Jones\n"
HEADINGS = "staff_reference,post_reference,start,end,fte,contract\n"


def csv_source(name: str, text: str) -> Source:
    return Source(name=name, content=text.encode())


def establishment(assignments: str, **options):
    return run_import(
        [
            csv_source("teams.csv", TEAMS),
            csv_source("posts.csv", POSTS),
            csv_source("workers.csv", WORKERS),
            csv_source("assignments.csv", HEADINGS + assignments),
        ],
        **options,
    )


def messages(report) -> list[str]:
    return [str(problem) for problem in report.problems]


def recorded() -> tuple[int, int, int, int]:
    return Team.objects.count(), Post.objects.count(), Worker.objects.count(), Assignment.objects.count()


# --- Rows of one file that break a rule together ----------------------------------------------


def test_two_rows_that_together_overfill_a_post_name_the_second():
    report = establishment("W1,CPE-01,2020-01-06,,0.6,permanent\nW2,CPE-01,2021-01-04,,0.6,permanent\n")
    assert messages(report) == [
        "assignments.csv, row 3, column fte: Post CPE-01 is 1 FTE; with this assignment its employees would "
        "hold 1.2 FTE on one day. Employees in a post cannot add up to more than the post's FTE (end the "
        "other assignment first)."
    ]
    assert recorded() == (0, 0, 0, 0)


def test_two_rows_that_share_a_post_in_turn_are_accepted():
    report = establishment(
        "W1,CPE-01,2020-01-06,2020-12-31,1,permanent\n"
        "W2,CPE-01,2021-01-01,,1,permanent\n"
        "W3,CPE-02,2020-01-06,,0.25,permanent\n"
        "W1,CPE-02,2021-01-01,,0.25,fixed_term\n"
    )
    assert report.ok, messages(report)
    assert recorded() == (1, 2, 3, 4)


def test_a_worker_over_one_fte_across_two_rows_is_refused():
    report = establishment("W1,CPE-01,2020-01-06,,0.6,permanent\nW1,CPE-02,2020-03-02,,0.5,permanent\n")
    assert messages(report) == [
        "assignments.csv, row 3, column fte: W1 would work 1.1 FTE on one day across their assignments; a "
        "worker cannot exceed 1.0 FTE."
    ]
    assert recorded() == (0, 0, 0, 0)


def test_a_refused_row_does_not_count_against_the_rows_after_it():
    # Row 2 overfills the post on its own and is refused; row 3 then fits, as it would saved alone.
    report = establishment("W1,CPE-02,2020-01-06,,1,permanent\nW2,CPE-02,2020-01-06,,0.5,permanent\n")
    assert [(problem.row, problem.column) for problem in report.problems] == [(2, "fte")]


def test_a_row_is_checked_against_what_is_recorded_and_a_correction_in_the_same_file():
    assert establishment("W1,CPE-01,2020-01-06,,1,permanent\n").ok
    # W2 may start only because the same file ends W1's assignment, whichever row comes first.
    corrected = HEADINGS + "W2,CPE-01,2025-07-01,,1,permanent\nW1,CPE-01,2020-01-06,2025-06-30,1,permanent\n"
    report = run_import([csv_source("assignments.csv", corrected)])
    assert report.ok, messages(report)
    assert report.totals == {"created": 1, "updated": 1, "unchanged": 0}
    # Without the correction, the recorded assignment still fills the post.
    again = HEADINGS + "W3,CPE-01,2025-07-01,,0.5,permanent\n"
    (problem,) = run_import([csv_source("assignments.csv", again)]).problems
    assert problem.row == 2 and problem.column == "fte" and "would hold 1.5 FTE" in problem.message


def test_a_reference_twice_in_one_file_or_across_files_of_a_kind_is_refused():
    posts = POSTS + "cpe-01,Child Protection East,Social Worker,1,2012-04-01\n"
    report = run_import([csv_source("teams.csv", TEAMS), csv_source("posts.csv", posts)])
    assert messages(report) == [
        "posts.csv, row 4, column post_reference: post cpe-01 appears more than once (first at posts.csv "
        "row 2); each post may appear only once"
    ]
    rows = "W1,CPE-01,2020-01-06,,0.5,permanent\n"
    report = run_import(
        [
            csv_source("teams.csv", TEAMS),
            csv_source("posts.csv", POSTS),
            csv_source("workers.csv", WORKERS),
            csv_source("assignments.csv", HEADINGS + rows),
            csv_source("assignments 2.csv", HEADINGS + rows.replace("W1", "w1")),
        ]
    )
    assert messages(report) == [
        "assignments 2.csv, row 2, column staff_reference: assignment w1 / CPE-01 / 6 January 2020 "
        "appears more than once (first at assignments.csv row 2); each assignment may appear only once"
    ]
    assert recorded() == (0, 0, 0, 0)


def test_a_reference_taken_exactly_by_another_record_is_refused_like_a_saved_row():
    team = factories.team("Child Protection East")
    factories.post(team=team, reference="CPE-01")
    factories.post(team=team, reference="cpe-01")
    # The file's "CPE-01" finds the last of the two (compared without case, in reference order)
    # and would rename it: as when saved alone, the other holds the reference.
    posts = (
        "post_reference,team,role,fte,active_from\nCPE-01,Child Protection East,Social Worker,1,2010-04-01\n"
    )
    report = run_import([csv_source("posts.csv", posts)])
    (problem,) = report.problems
    assert (problem.row, problem.column) == (2, "post_reference")
    assert problem.message == "Post with this Reference already exists."


# --- Records named in another case ----------------------------------------------------------


def test_records_are_found_by_reference_whatever_the_case():
    team = factories.team("Child Protection East")
    post = factories.post(team=team, reference="CPE-01")
    worker = factories.worker(staff_reference="ÉL-STRAßE-1")
    assignments = HEADINGS + "él-strasse-1,cpe-01,2020-01-06,,1,permanent\n"
    report = run_import([csv_source("assignments.csv", assignments)])
    assert report.ok, messages(report)
    assignment = Assignment.objects.get()
    assert (assignment.worker, assignment.post) == (worker, post)
    assert recorded()[1:3] == (1, 1)


def test_a_lookup_reads_only_the_records_asked_for(django_assert_num_queries):
    team = factories.team()
    for number in range(5):
        factories.post(team=team, reference=f"P{number}")
    context = Context()
    with django_assert_num_queries(1):
        context.posts.fetch(["p1", " P2 ", "P9"])
    with django_assert_num_queries(0):
        assert context.posts.get("P1").reference == "P1"
        assert context.posts.get("p2").reference == "P2"
        assert context.posts.get("P9") is None  # asked for already: known not to be there
    with django_assert_num_queries(1):
        assert context.posts.get("P3").reference == "P3"
    assert sorted(context.posts._records) == ["p1", "p2", "p3"]


def test_a_lookup_without_a_field_reads_every_record_once(django_assert_num_queries):
    factories.team("Alpha")
    lookup = Lookup(Team.objects.all, lambda team: team.name)
    with django_assert_num_queries(1):
        assert lookup.get("ALPHA").name == "Alpha"
        assert lookup.get("Beta") is None
        lookup.fetch(["Gamma"])


# --- What is written ------------------------------------------------------------------------


def test_records_written_in_bulk_have_history_naming_the_importing_user():
    hr = factories.user("hr1", "hr", staff=True)
    assert establishment("W1,CPE-01,2020-01-06,,1,permanent\n", user=hr).ok
    for model in (Team, Post, Worker, Assignment):
        assert {(entry.history_type, entry.history_user) for entry in model.history.all()} == {("+", hr)}
    assert Post.history.count() == 2 and Worker.history.count() == 3 and Assignment.history.count() == 1
    posts = (
        "post_reference,team,role,fte,active_from\nCPE-02,Child Protection East,Social Worker,1,2010-04-01\n"
    )
    assert run_import([csv_source("posts.csv", posts)], user=hr).ok
    latest = Post.objects.get(reference="CPE-02").history.latest()
    assert (latest.history_type, latest.history_user, latest.fte) == ("~", hr, Decimal("1"))


def test_the_history_row_of_a_record_written_in_bulk_holds_what_was_saved():
    assert establishment("W1,CPE-01,2020-01-06,,1,permanent\n").ok
    corrected = HEADINGS + "W1,CPE-01,2020-01-06,2024-12-31,1,permanent\n"
    workers = "staff_reference,first_name,last_name,swe_number\nW2,Tom,Reed-Smith,SW0000000002\n"
    assert run_import([csv_source("workers.csv", workers), csv_source("assignments.csv", corrected)]).ok
    for model in (Post, Worker, Assignment):
        for record in model.objects.all():
            row = record.history.latest()
            assert row.history_date is not None and row.history_change_reason is None
            for field in model._meta.concrete_fields:
                assert getattr(row, field.attname) == getattr(record, field.attname), field.name
    assert Worker.objects.get(staff_reference="W2").history.latest().history_type == "~"
    assert Assignment.objects.get().end == D(2024, 12, 31)


def test_where_the_database_cannot_return_new_keys_bulk_create_writes_the_records(monkeypatch):
    def not_one_by_one(*args, **kwargs):
        raise AssertionError("the bulk write failed")

    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    monkeypatch.setattr(batch.Batch, "_write_one_by_one", not_one_by_one)
    hr = factories.user("hr1", "hr", staff=True)
    assert establishment("W1,CPE-01,2020-01-06,,1,permanent\n", user=hr).ok
    assignment = Assignment.objects.get()
    assert (assignment.worker.staff_reference, assignment.post.reference) == ("W1", "CPE-01")
    assert (assignment.history.get().fte, assignment.history.get().history_user) == (1, hr)


def test_an_import_without_a_user_writes_history_naming_nobody():
    assert establishment("W1,CPE-01,2020-01-06,,1,permanent\n").ok
    assert Assignment.history.get().history_user is None


def test_a_row_the_database_refuses_is_named_and_nothing_is_kept(monkeypatch):
    def refuse_in_bulk(*args, **kwargs):
        raise IntegrityError("refused in bulk")

    saving = Worker.save

    def refuse_w2(self, *args, **kwargs):
        if self.staff_reference == "W2":
            raise IntegrityError("W2 refused")
        return saving(self, *args, **kwargs)

    monkeypatch.setattr(batch, "write_history", refuse_in_bulk)
    monkeypatch.setattr(Worker, "save", refuse_w2)
    report = establishment("W1,CPE-01,2020-01-06,,1,permanent\nW2,CPE-02,2020-01-06,,0.5,permanent\n")
    assert messages(report)[0] == "workers.csv, row 3: the database refused the row (W2 refused)"
    assert (
        "worker 'W2' is not imported because its own row has problems (workers.csv row 3)"
        in (messages(report)[1])
    )
    assert [outcome.row for outcome in report.files[2].outcomes] == [2, 4]
    assert recorded() == (0, 0, 0, 0)


def test_when_the_bulk_write_fails_each_record_is_saved_alone(monkeypatch):
    def refuse_in_bulk(*args, **kwargs):
        raise IntegrityError("refused in bulk")

    monkeypatch.setattr(batch, "write_history", refuse_in_bulk)
    hr = factories.user("hr1", "hr", staff=True)
    report = establishment("W1,CPE-01,2020-01-06,,1,permanent\n", user=hr)
    assert report.ok, messages(report)
    assert recorded() == (1, 2, 3, 1)
    assert Assignment.history.get().history_user == hr


# --- Queries --------------------------------------------------------------------------------


def extract(size: int) -> list[Source]:
    posts = "".join(f"P{n},Child Protection East,Social Worker,1,2010-04-01\n" for n in range(size))
    workers = "".join(f"W{n},First,Last\n" for n in range(size))
    assignments = "".join(f"W{n},P{n},2020-01-06,,1,permanent\n" for n in range(size))
    return [
        csv_source("teams.csv", TEAMS),
        csv_source("posts.csv", "post_reference,team,role,fte,active_from\n" + posts),
        csv_source("workers.csv", "staff_reference,first_name,last_name\n" + workers),
        csv_source("assignments.csv", HEADINGS + assignments),
    ]


def queries_to_import(sources: list[Source]) -> int:
    with CaptureQueriesContext(connection) as captured:
        report = run_import(sources, dry_run=True)
    assert report.ok, messages(report)
    return len(captured)


def test_the_queries_do_not_grow_with_the_rows(django_assert_num_queries):
    factories.team("Child Protection East")
    # Up to 30 rows a kind, each bulk write is one INSERT on SQLite (999 values a query; an
    # assignment, with its agency terms, has 26 columns).
    with django_assert_num_queries(queries_to_import(extract(3))):
        run_import(extract(30), dry_run=True)


def test_an_extract_takes_a_few_queries_per_kind(django_assert_max_num_queries):
    factories.team("Child Protection East")
    # Teams: the lookups; posts, workers, assignments: the records named, the values taken, the
    # locks, the assignments of the posts and workers, the leavers, and the bulk writes.
    with django_assert_max_num_queries(40):
        run_import(extract(200), dry_run=True)


# --- The rule, with the assignments given ---------------------------------------------------


def test_check_assignment_among_gives_the_answer_check_assignment_gives():
    team = factories.team()
    post = factories.post(team=team, fte="1.0", reference="CSC-9")
    other_post = factories.post(team=team, fte="1.0")
    first = factories.assign(post, fte="0.6", start=D(2020, 1, 1))
    worker = first.worker
    factories.assign(other_post, worker_=worker, fte="0.4", start=D(2020, 1, 1))
    factories.assign(factories.post(team=team), fte="1", start=D(2020, 1, 1))  # elsewhere: ignored
    everything = list(Assignment.objects.all())

    def errors(check, assignment, *args):
        with pytest.raises(ValidationError) as caught:
            check(assignment, *args)
        return caught.value.message_dict

    too_much = Assignment(
        worker=factories.worker(), post=post, start=D(2021, 1, 1), fte=Decimal("0.6"), contract="permanent"
    )
    assert errors(check_assignment_among, too_much, everything) == errors(check_assignment, too_much)
    more_work = Assignment(
        worker=worker,
        post=other_post,
        start=D(2021, 1, 1),
        fte=Decimal("0.1"),
        contract="agency",
        agency_reason="vacancy",
    )
    assert errors(check_assignment_among, more_work, everything) == errors(check_assignment, more_work)
    assert "would work 1.1 FTE" in errors(check_assignment, more_work)["fte"][0]
    # The assignment itself, by its key or as the same object, is not counted against itself.
    check_assignment_among(first, [*everything, first])
