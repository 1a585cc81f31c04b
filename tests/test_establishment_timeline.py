"""The establishment's changes by day, kept by the writes (``workforce.timeline``).

The whole council's establishment on any dates must be exactly what the records give,
whether read from the kept changes or worked out from the records, after any write: one
made through the services or the admin, a record changed behind their back (``update()``,
a write outside a transaction), a role moved out of scope. Out of date, the kept changes
must never be read; a rebuild brings them back.
"""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from tests import factories
from workforce import timeline
from workforce.models import (
    AgencyReason,
    Assignment,
    Contract,
    EstablishmentChange,
    Funding,
    Post,
    Role,
)
from workforce.scopes import Scope
from workforce.selectors import _establishment_from_records, establishment_on_dates

pytestmark = pytest.mark.django_db
D = Decimal

DAYS = (dt.date(2021, 3, 31), dt.date(2021, 6, 30), dt.date(2021, 9, 30), dt.date(2021, 12, 31))


def kept_snapshots(days=DAYS):
    """Return the snapshots read from the kept changes; fail if they are out of date."""
    assert timeline.up_to_date()
    snapshots = establishment_on_dates(days)
    assert timeline.figures_on(tuple(sorted(days))) is not None
    return snapshots


def assert_kept_match_records(days=DAYS):
    """Assert the kept changes give every figure the records give on each of ``days``."""
    days = tuple(sorted(set(days)))
    kept = kept_snapshots(days)
    worked_out = _establishment_from_records(days, Scope.everything())
    for day in days:
        assert kept[day].total == worked_out[day].total, day
        assert kept[day].by_role == worked_out[day].by_role, day
        assert kept[day].role_names == worked_out[day].role_names, day
        assert kept[day].agency_fte_by_reason == worked_out[day].agency_fte_by_reason, day
        assert kept[day].agency_headcount_by_reason == worked_out[day].agency_headcount_by_reason, day
    return kept


def test_a_new_database_is_up_to_date_with_nothing_kept():
    assert timeline.up_to_date()
    assert not EstablishmentChange.objects.exists()
    snapshot = kept_snapshots()[DAYS[0]]
    assert snapshot.total.posts == 0
    assert snapshot.by_role == {}


def test_figures_worked_by_hand_are_read_from_the_kept_changes():
    """Two social worker posts and a senior practitioner post on 30 June 2021:
    - P1 (1.0 FTE): an employee at 0.6 to 31 May, then one at 1.0 from 1 June (job start);
    - P2 (1.0 FTE): an employee at 1.0, and an agency worker at 0.5 covering maternity;
    - P3 (0.8 FTE, senior practitioner): vacant, an agency worker at 1.0 covering the vacancy;
    - T (temporary, 1.0 FTE): an employee at 1.0 (in post, never vacant).
    On 31 March 2021: E = 2.8, S = 0.6 + 1.0 + 1.0 = 2.6, V = 0.4 + 0 + 0.8 = 1.2,
    A = 1.5, cover = 1.0. On 30 June 2021: S = 3.0, V = 0.8."""
    team = factories.team()
    first = factories.post(team=team)
    factories.assign(first, fte="0.6", start=dt.date(2020, 1, 1), end=dt.date(2021, 5, 31))
    factories.assign(first, fte="1.0", start=dt.date(2021, 6, 1))
    second = factories.post(team=team)
    factories.assign(second, fte="1.0", start=dt.date(2020, 1, 1))
    factories.assign(
        second, fte="0.5", contract=Contract.AGENCY, reason=AgencyReason.MATERNITY, start=dt.date(2020, 1, 1)
    )
    senior = factories.post(team=team, role_code="senior-practitioner", fte="0.8")
    factories.assign(
        senior, fte="1.0", contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=dt.date(2020, 6, 1)
    )
    temporary = factories.post(team=team, funding=Funding.TEMPORARY)
    factories.assign(temporary, fte="1.0", start=dt.date(2020, 1, 1))

    kept = assert_kept_match_records()
    march, june = kept[DAYS[0]].total, kept[DAYS[1]].total
    assert (march.establishment_fte, march.in_post_fte, march.vacancy_fte) == (D("2.8"), D("2.6"), D("1.2"))
    assert (march.agency_fte, march.agency_covering_vacancies_fte) == (D("1.5"), D("1.0"))
    assert (march.posts, march.in_post_headcount, march.agency_headcount) == (4, 3, 2)
    assert (june.in_post_fte, june.vacancy_fte, june.in_post_headcount) == (D("3.0"), D("0.8"), 3)
    senior_role = factories.role("senior-practitioner").pk
    assert kept[DAYS[0]].by_role[senior_role].vacancy_fte == D("0.8")
    assert kept[DAYS[0]].agency_fte_by_reason[AgencyReason.VACANCY] == D("1.0")
    assert kept[DAYS[0]].agency_headcount_by_reason[AgencyReason.MATERNITY] == 1


def test_a_worker_in_two_posts_counts_once_and_an_overfilled_post_is_not_negative():
    team = factories.team()
    both = factories.worker()
    first = factories.post(team=team)
    second = factories.post(team=team, role_code="senior-practitioner")
    factories.assign(first, worker_=both, fte="0.5", start=dt.date(2020, 1, 1))
    factories.assign(second, worker_=both, fte="0.5", start=dt.date(2020, 1, 1))
    # Overfilled: saved past the rules (data recorded before them), through the signals.
    Assignment(
        worker=factories.worker(),
        post=first,
        start=dt.date(2021, 5, 1),
        fte=D("1.0"),
        contract=Contract.PERMANENT,
    ).save()
    kept = assert_kept_match_records()
    assert kept[DAYS[0]].total.in_post_headcount == 1
    assert kept[DAYS[1]].total.in_post_headcount == 2
    assert kept[DAYS[1]].total.vacancy_fte == D("0.5")  # the senior post; the first is over, not -0.5


def test_edits_moves_and_deletions_keep_the_figures_up_to_date():
    team = factories.team()
    post = factories.post(team=team)
    other = factories.post(team=team, role_code="senior-practitioner")
    held = factories.assign(post, fte="1.0", start=dt.date(2020, 1, 1))
    assert_kept_match_records()

    held.end = dt.date(2021, 6, 30)  # a leaver
    held.save()
    assert assert_kept_match_records()[DAYS[2]].total.vacancy_fte == D("2.0")

    held.post = other  # recorded against the wrong post: moved
    held.fte = D("0.8")
    held.save()
    assert_kept_match_records()

    post.fte = D("0.5")
    post.funding = Funding.TEMPORARY
    post.active_to = dt.date(2021, 8, 31)
    post.save()
    assert assert_kept_match_records()[DAYS[2]].total.posts == 1

    post.role = factories.role("senior-practitioner")
    post.active_to = None
    post.save()
    assert_kept_match_records()

    held.delete()
    post.delete()
    kept = assert_kept_match_records()
    assert kept[DAYS[0]].total.posts == 1
    assert kept[DAYS[0]].total.in_post_fte == D("0")


def test_a_role_moved_out_of_scope_and_back():
    team = factories.team()
    manager = factories.post(team=team, role_code="team-manager")
    factories.assign(manager, start=dt.date(2020, 1, 1))
    factories.assign(factories.post(team=team), start=dt.date(2020, 1, 1))
    role = factories.role("team-manager")
    role.in_scope = False
    role.save()
    assert assert_kept_match_records()[DAYS[0]].total.posts == 1
    role.in_scope = True
    role.save()
    assert assert_kept_match_records()[DAYS[0]].total.posts == 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_keep_every_figure_equal_to_the_records(seed):
    """Many posts and assignments written, edited and deleted at random, past the rules too
    (overlaps, overfilled posts, records outside their post's life): after each batch of
    writes the kept changes give what the records give, on dates around every change."""
    rng = random.Random(seed)
    teams = [factories.team() for _ in range(2)]
    roles = list(Role.objects.filter(code__in=["social-worker", "senior-practitioner", "team-manager"]))
    workers = [factories.worker() for _ in range(8)]
    posts: list[Post] = []
    assignments: list[Assignment] = []

    def some_day() -> dt.date:
        return dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))

    def maybe_end(start: dt.date) -> dt.date | None:
        return None if rng.random() < 0.4 else start + dt.timedelta(days=rng.randrange(0, 500))

    def new_post() -> None:
        start = some_day()
        post = Post(
            reference=f"R{seed}-{len(posts)}",
            team=rng.choice(teams),
            role=rng.choice(roles),
            fte=D(rng.choice(["1.0", "0.5", "0.8", "0.6"])),
            funding=rng.choice([Funding.ESTABLISHMENT] * 3 + [Funding.TEMPORARY]),
            active_from=start,
            active_to=maybe_end(start),
        )
        post.save()
        posts.append(post)

    def new_assignment() -> None:
        start = some_day()
        agency = rng.random() < 0.35
        assignment = Assignment(
            worker=rng.choice(workers),
            post=rng.choice(posts),
            start=start,
            end=maybe_end(start),
            fte=D(rng.choice(["1.0", "0.5", "0.4", "0.8"])),
            contract=Contract.AGENCY if agency else rng.choice([Contract.PERMANENT, Contract.FIXED_TERM]),
            agency_reason=rng.choice(AgencyReason.values) if agency else "",
        )
        assignment.save()
        assignments.append(assignment)

    def edit_assignment() -> None:
        assignment = rng.choice(assignments)
        change = rng.choice(["dates", "fte", "post", "worker", "contract"])
        if change == "dates":
            assignment.start = some_day()
            assignment.end = maybe_end(assignment.start)
        elif change == "fte":
            assignment.fte = D(rng.choice(["1.0", "0.5", "0.2"]))
        elif change == "post":
            assignment.post = rng.choice(posts)
        elif change == "worker":
            assignment.worker = rng.choice(workers)
        elif assignment.contract == Contract.AGENCY:
            assignment.contract, assignment.agency_reason = Contract.PERMANENT, ""
        else:
            assignment.contract, assignment.agency_reason = Contract.AGENCY, rng.choice(AgencyReason.values)
        assignment.save()

    def edit_post() -> None:
        post = rng.choice(posts)
        change = rng.choice(["fte", "funding", "dates", "role"])
        if change == "fte":
            post.fte = D(rng.choice(["1.0", "0.5", "0.3"]))
        elif change == "funding":
            post.funding = (
                Funding.TEMPORARY if post.funding == Funding.ESTABLISHMENT else Funding.ESTABLISHMENT
            )
        elif change == "dates":
            post.active_from = some_day()
            post.active_to = maybe_end(post.active_from)
        else:
            post.role = rng.choice(roles)
        post.save()

    def delete_assignment() -> None:
        assignments.pop(rng.randrange(len(assignments))).delete()

    for _ in range(6):
        new_post()
    for _ in range(10):
        new_assignment()
    days = {some_day() for _ in range(6)}
    assert_kept_match_records(days)
    actions = [
        new_post,
        new_assignment,
        new_assignment,
        edit_assignment,
        edit_assignment,
        edit_post,
        delete_assignment,
    ]
    for _batch in range(8):
        for _ in range(6):
            rng.choice(actions)()
        # Dates on, just before and just after the edges of the records.
        edges = [a.start for a in assignments] + [a.end for a in assignments if a.end]
        edges += [p.active_from for p in posts] + [p.active_to for p in posts if p.active_to]
        sample = rng.sample(edges, min(4, len(edges)))
        days = {day + dt.timedelta(days=shift) for day in sample for shift in (-1, 0, 1)} | {some_day()}
        assert_kept_match_records(days)


def test_a_change_behind_the_signals_back_is_never_read_until_rebuilt():
    team = factories.team()
    post = factories.post(team=team)
    held = factories.assign(post, fte="1.0", start=dt.date(2020, 1, 1))
    assert timeline.up_to_date()

    Assignment.objects.filter(pk=held.pk).update(fte=D("0.4"))  # no signal: only the trigger
    assert not timeline.up_to_date()
    assert timeline.figures_on(DAYS) is None
    assert establishment_on_dates(DAYS)[DAYS[0]].total.vacancy_fte == D("0.6")  # from the records

    timeline.rebuild()
    assert assert_kept_match_records()[DAYS[0]].total.vacancy_fte == D("0.6")

    # Out of date, a write keeps them out of date (it cannot know what it changed from).
    Post.objects.filter(pk=post.pk).update(fte=D("0.8"))
    factories.assign(factories.post(team=team), start=dt.date(2020, 1, 1))
    assert not timeline.up_to_date()
    assert establishment_on_dates(DAYS)[DAYS[0]].total.vacancy_fte == D("0.4")
    timeline.rebuild()
    assert_kept_match_records()


WRITES_BEHIND_THE_SIGNALS = {
    "a role updated": lambda: Role.objects.filter(code="team-manager").update(order=F("order") + 1),
    "posts updated": lambda: Post.objects.update(fte=F("fte")),
    "assignments updated": lambda: Assignment.objects.update(end=F("end")),
    "assignments created in bulk": lambda: Assignment.objects.bulk_create(
        [Assignment(**{**Assignment.objects.values().get(), "id": None})]
    ),
    "assignments deleted by SQL": lambda: connection.cursor().execute("DELETE FROM workforce_assignment"),
}


@pytest.mark.parametrize("write", WRITES_BEHIND_THE_SIGNALS)
def test_every_kind_of_write_to_the_records_leaves_the_kept_changes_out_of_date(write):
    factories.assign(factories.post(team=factories.team()), start=dt.date(2020, 1, 1))
    assert timeline.up_to_date()
    with transaction.atomic():
        WRITES_BEHIND_THE_SIGNALS[write]()
    assert not timeline.up_to_date()
    assert timeline.figures_on(DAYS) is None


def test_a_write_with_its_changes_kept_costs_a_few_queries():
    team = factories.team()
    post = factories.post(team=team)
    worker = factories.worker()
    with CaptureQueriesContext(connection) as queries:
        factories.assign(post, worker_=worker, start=dt.date(2020, 1, 1))
    kept = [q["sql"] for q in queries.captured_queries if "establishmentchange" in q["sql"].lower()]
    # The state locked and read, the change added, the state marked kept.
    assert len(kept) == 3
    assert len(queries.captured_queries) <= 20
    assert timeline.up_to_date()


def test_the_summary_reads_three_queries_of_kept_changes_whatever_the_posts():
    team = factories.team()
    for _ in range(5):
        factories.assign(factories.post(team=team), start=dt.date(2020, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        establishment_on_dates(DAYS)
    assert len(queries.captured_queries) == 3  # the state, the changes, the role names


@pytest.mark.queue
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_outside_a_transaction_marks_them_out_of_date_and_a_read_queues_a_rebuild(queue):
    team = factories.team()
    with transaction.atomic():
        post = factories.post(team=team)
    assert timeline.up_to_date()
    Assignment(
        worker=factories.worker(),
        post=post,
        start=dt.date(2020, 1, 1),
        fte=D("1.0"),
        contract=Contract.PERMANENT,
    ).save()  # autocommit: no transaction to keep the change in
    assert not timeline.up_to_date()
    assert establishment_on_dates(DAYS)[DAYS[0]].total.in_post_fte == D("1.0")  # from the records
    assert establishment_on_dates(DAYS)[DAYS[0]].total.in_post_fte == D("1.0")  # (again)
    assert queue.waiting() == 1  # one rebuild queued, however many reads asked
    assert queue.run() == 1
    assert timeline.up_to_date()
    assert establishment_on_dates(DAYS)[DAYS[0]].total.in_post_fte == D("1.0")
