"""The synthetic workforce generator (``generate_scale``) and the benchmark that uses it.

The generator writes with ``bulk_create`` and never calls the services, so these tests
hold its rows to the product's own rules and selectors: the establishment's rules on
every assignment, what ``leavers.rules`` derives for a leaver, the stage order of
applications, a census return with nothing blocking, and figures in a sensible range.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from dataio.census.build import build_census_return
from dataio.importing.engine import Source, run_import
from foundation.periods import twelve_months_to
from leavers.models import ExitConversation, Leaver
from leavers.rules import DERIVED_FIELDS, check_reasons
from leavers.selectors import leavers_analysis
from recruitment.models import Application, Campaign, Interview
from recruitment.rules import check_interviews
from scale.extract import extract_files
from scale.generate import generate
from workforce.models import (
    EMPLOYEE_CONTRACTS,
    Absence,
    AgencyReason,
    Assignment,
    Caseload,
    Funding,
    InvoiceLine,
    PermanentCost,
    Post,
    PriceCap,
    ServiceArea,
    Supplier,
    Team,
    Worker,
)
from workforce.rules import peak_fte
from workforce.selectors import establishment_on

TODAY = dt.date(2026, 11, 22)
SEED = 7
ROOT = Path(__file__).resolve().parent.parent
EVER = dt.date(1900, 1, 1)


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Generate 60 posts with two years of history once, in a transaction rolled back afterwards."""
    import time_machine

    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0), tick=False):
            out = io.StringIO()
            call_command("generate_scale", posts=60, years=2, seed=SEED, today=TODAY.isoformat(), stdout=out)
            yield out.getvalue()
        transaction.set_rollback(True)


def _sample(queryset, every: int = 3) -> list:
    return list(queryset.order_by("pk"))[::every]


def fingerprint() -> str:
    """Return a digest of the generated records by their content (not their keys)."""
    rows = [
        sorted(
            Assignment.objects.values_list(
                "worker__staff_reference",
                "post__reference",
                "start",
                "end",
                "fte",
                "contract",
                "agency_reason",
            )
        ),
        sorted(Leaver.objects.values_list("worker__staff_reference", "leaving_date", "category__code")),
        sorted(Application.objects.values_list("email", "received_on", "offered_on", "started_on")),
        sorted(Absence.objects.values_list("worker__staff_reference", "reason", "start", "end")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _empty_the_workforce() -> None:
    """Delete every generated record, children first."""
    from reporting.models import AgencyBudget, StrategyAction

    for model in (
        Interview,
        Application,
        Campaign.roles.through,
        Campaign.channels.through,
        Campaign,
        ExitConversation.reasons.through,
        ExitConversation,
        Leaver,
        Absence,
        Caseload,
        InvoiceLine,
        Assignment,
        Supplier,
        PriceCap,
        PermanentCost,
        Worker,
        Post,
        Team,
        ServiceArea,
        StrategyAction,
        AgencyBudget,
    ):
        model.objects.all().delete()


# --- size and shape -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_generates_the_posts_asked_for_in_teams_of_about_twelve(generated):
    assert Post.objects.count() == 60
    assert "Generated 60 posts" in generated
    assert "posts simulated" in generated  # progress on stdout
    per_team = Post.objects.count() / Team.objects.count()
    assert 10 <= per_team <= 14
    assert Post.objects.filter(funding=Funding.TEMPORARY).exists()
    assert Post.objects.filter(funding=Funding.ESTABLISHMENT).count() > 50


@pytest.mark.django_db
def test_agency_cover_is_there_for_all_six_reasons(generated):
    used = set(Assignment.objects.agency().values_list("agency_reason", flat=True))
    assert used == set(AgencyReason.values)


@pytest.mark.django_db
def test_refuses_a_database_that_already_holds_a_workforce(generated):
    with pytest.raises(CommandError, match="already holds 5 teams, 60 posts"):
        call_command("generate_scale", posts=10, years=1, stdout=io.StringIO())
    assert Post.objects.count() == 60


# --- the establishment's rules ---------------------------------------------------------------------


@pytest.mark.django_db
def test_no_post_is_ever_overfilled_and_no_worker_ever_passes_full_time(generated):
    employees_in_post = defaultdict(list)
    worked_by = defaultdict(list)
    for assignment in Assignment.objects.all():
        if assignment.contract in EMPLOYEE_CONTRACTS:
            employees_in_post[assignment.post_id].append((assignment.start, assignment.end, assignment.fte))
        worked_by[assignment.worker_id].append((assignment.start, assignment.end, assignment.fte))
    post_fte = dict(Post.objects.values_list("pk", "fte"))
    for post, intervals in employees_in_post.items():
        assert peak_fte(intervals, start=EVER, end=None) <= post_fte[post]
    for intervals in worked_by.values():
        assert peak_fte(intervals, start=EVER, end=None) <= 1


@pytest.mark.django_db
def test_a_sample_of_records_passes_the_models_own_validation(generated):
    sample = (
        _sample(Assignment.objects.select_related("post", "worker"))
        + _sample(Worker.objects.all(), 5)
        + _sample(Post.objects.all(), 5)
        + _sample(Absence.objects.all(), 5)
    )
    for record in sample:
        record.full_clean()  # an assignment's clean() runs workforce.rules.check_assignment


# --- leavers -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_leavers_carry_exactly_what_the_leavers_rules_derive(generated):
    leavers = _sample(Leaver.objects.all(), 2)
    assert leavers
    for stored in leavers:
        with transaction.atomic():
            stored.delete()  # so the departure can be recorded afresh and derived
            fresh = Leaver(worker=stored.worker, leaving_date=stored.leaving_date, category=stored.category)
            fresh.full_clean(exclude=list(DERIVED_FIELDS))  # as leavers.services does
            for name in DERIVED_FIELDS:
                assert getattr(fresh, name) == getattr(stored, name), (stored, name)
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_departure_before_today_is_a_recorded_leaver(generated):
    census = build_census_return(year=2026, la_code="886")
    assert census.workers
    assert census.blocking_problems == []


@pytest.mark.django_db
def test_exit_conversations_pass_their_rules(generated):
    conversations = list(ExitConversation.objects.select_related("leaver", "destination"))
    assert len(conversations) >= Leaver.objects.count() / 2
    for conversation in conversations:
        conversation.full_clean()
        check_reasons(conversation.reasons.all())


# --- recruitment -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_applications_go_through_their_stages_in_order(generated):
    for campaign in Campaign.objects.all():
        campaign.full_clean()
    applications = Application.objects.select_related("campaign").prefetch_related(
        "campaign__roles", "interviews"
    )
    for application in _sample(applications, 2):
        application.full_clean()
        check_interviews(application, application.interviews.all())
        assert not application.started_on or application.assignment.worker_id == application.worker_id
    # Every offer declined or withdrawn carries its reason, as the services require of new ones.
    answered = Application.objects.filter(offer_declined_on__isnull=False) | Application.objects.filter(
        offer_withdrawn_on__isnull=False
    )
    assert answered.exists() and not answered.filter(decline_reason__isnull=True).exists()


@pytest.mark.django_db
def test_about_ten_applications_come_in_for_each_start(generated):
    starts = Application.objects.filter(started_on__isnull=False).count()
    assert starts > 0
    assert 7 <= Application.objects.count() / starts <= 14


# --- figures -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_selectors_give_sensible_figures(generated):
    total = establishment_on(TODAY).total
    assert total.in_post_fte > total.establishment_fte / 2
    assert Decimal("2") <= total.vacancy_rate <= Decimal("35")
    assert total.agency_fte > 0
    start, end = twelve_months_to(TODAY)
    leavers = leavers_analysis(start=start, end=end)
    assert leavers.total > 0
    assert Decimal("0.03") <= leavers.total_fte / total.in_post_fte <= Decimal("0.45")


# --- determinism -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_seed_generates_the_same_workforce_and_another_seed_another(generated):
    first = fingerprint()
    with transaction.atomic():
        _empty_the_workforce()
        generate(posts=60, years=2, seed=SEED, today=TODAY)
        assert fingerprint() == first
        _empty_the_workforce()
        generate(posts=60, years=2, seed=SEED + 1, today=TODAY)
        assert fingerprint() != first
        transaction.set_rollback(True)


# --- the import extract --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_benchmark_extract_imports_cleanly_into_a_generated_workforce(generated):
    teams = list(Team.objects.values_list("name", flat=True))
    files = extract_files(rows=100, teams=teams, today=TODAY)
    with transaction.atomic():
        report = run_import([Source(name=name, content=content) for name, content in files.items()])
        assert report.ok, report.problems[:3]
        assert Post.objects.filter(reference__startswith="IMP-").count() == 30
        assert Worker.objects.filter(staff_reference__startswith="IMPW").count() == 35
        transaction.set_rollback(True)


# --- the benchmark -------------------------------------------------------------------------------------


def test_the_benchmark_runs_end_to_end_on_a_tiny_workforce(tmp_path):
    command = [
        sys.executable,
        "benchmarks/run.py",
        "--posts",
        "30",
        "--years",
        "1",
        "--runs",
        "1",
        "--budget",
        "0",  # the warm-up is the timed run: each item runs twice (the second for memory)
        "--import-rows",
        "40",
        "--database-url",
        f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "--results",
        str(tmp_path),
    ]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stdout[-2000:] + finished.stderr[-2000:]
    assert "committee summary / hand-written SQL" in finished.stdout
    (written,) = tmp_path.glob("*.json")
    record = json.loads(written.read_text())
    statuses = {key: item["status"] for key, item in record["items"].items()}
    assert set(statuses.values()) <= {"ok", "not available"}, statuses
    assert statuses["sql"] == "ok"  # the hand-written SQL agreed with the product's figures
    assert record["items"]["page_establishment"]["queries"] > 0


# --- caseloads ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_generated_caseloads_are_monthly_within_the_posts_held_and_look_real(generated):
    from foundation.periods import month_end
    from workforce.selectors.caseloads import caseloads_on

    assert "workforce.Caseload" in generated
    records = Caseload.objects.all()
    assert records.exists()
    assert not records.exclude(recorded_on__day__gte=28).exists()  # month-ends only
    assert not records.filter(cases__gt=40).exists()
    for caseload in _sample(records, 50):  # each worker held a post on the day counted
        held = Assignment.objects.filter(worker_id=caseload.worker_id)
        assert held.active_on(caseload.recorded_on).exists()
    last = month_end(TODAY.year, TODAY.month - 1)
    total = caseloads_on(last).total
    assert 14 <= total.per_case_holder <= 22
    assert total.not_known <= total.case_holders // 10  # now and then missing from the extract
@pytest.mark.django_db
def test_agency_suppliers_rates_and_a_year_of_invoices(generated):
    from workforce.agency_rules import PRICE_CAP, Status
    from workforce.selectors.agency import agency_engagements

    assert Supplier.objects.count() >= 3 and PriceCap.objects.count() == 10
    assert PermanentCost.objects.exists()
    assert InvoiceLine.objects.filter(week_ending__gte=TODAY - dt.timedelta(days=30)).exists()
    engagements = agency_engagements(start=TODAY, end=TODAY)
    assert engagements and all(e.supplier for e in engagements)
    # Within the cap, or over it with both sign-offs: never refused by the model's own rules.
    assert Status.BREACHED not in {e.result(PRICE_CAP).status for e in engagements}
    agency = Assignment.objects.agency().select_related("post__role", "worker", "supplier")
    for assignment in _sample(agency, 2):
        assignment.full_clean()
    line = InvoiceLine.objects.select_related("assignment").first()
    assert line.assignment.worker_id == line.worker_id
