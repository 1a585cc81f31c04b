"""The demonstration recruitment reproduces the 2016 cabinet paper's table from its own records."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import F, Q
from django.test import override_settings

from foundation.periods import twelve_months_to
from recruitment.demo import first_monday_of_september_after
from recruitment.models import Application, Campaign
from recruitment.selectors import recruitment_funnel
from workforce.demo import demo_dates
from workforce.models import AgencyReason, Assignment, Worker
from workforce.selectors import posts_on

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def window():
    return twelve_months_to(demo_dates(TODAY).window_end)


def figures(row) -> tuple[int, int, int]:
    return (row.received, row.interviewed, row.offered)


@pytest.mark.django_db
def test_the_twelve_months_reproduce_the_papers_table(demo, window):
    start, end = window
    assert (start, end) == (dt.date(2025, 11, 1), dt.date(2026, 10, 31))
    rows = {row.role_name: row for row in recruitment_funnel(start=start, end=end).rows}
    assert figures(rows["Social Worker"]) == (114, 35, 26)
    assert figures(rows["Senior Practitioner"]) == (66, 47, 23)
    assert figures(rows["Team Manager"]) == (52, 27, 16)


@pytest.mark.django_db
def test_most_senior_offers_are_internal_and_newly_qualified_are_apart(demo, window):
    funnel = recruitment_funnel(start=window[0], end=window[1])
    rows = {row.role_name: row for row in funnel.rows}
    for role in ("Senior Practitioner", "Team Manager"):
        assert rows[role].internal_offered * 2 > rows[role].offered
        assert rows[role].internal_interviewed * 2 > rows[role].interviewed
    newly_qualified = Application.objects.filter(
        newly_qualified=True, received_on__range=window, role__code="social-worker"
    ).count()
    assert funnel.newly_qualified.received == newly_qualified > 46
    assert funnel.total.received == sum(row.received for row in funnel.rows)


@pytest.mark.django_db
def test_a_cohort_of_46_newly_qualified_starts_the_coming_september(demo, window):
    [cohort] = recruitment_funnel(start=window[0], end=window[1]).cohorts
    assert cohort.accepted == 46 and cohort.target_hires == 46 and cohort.started == 0
    assert cohort.starts_on == first_monday_of_september_after(TODAY) == dt.date(2027, 9, 6)
    assert cohort.title == "Newly qualified cohort, September 2027"
    accepted = Application.objects.filter(campaign_id=cohort.campaign_id, offer_accepted_on__isnull=False)
    assert set(accepted.values_list("start_planned_on", flat=True)) == {dt.date(2027, 9, 6)}


@pytest.mark.django_db
def test_three_years_of_campaigns(demo):
    dates = demo_dates(TODAY)
    first = Campaign.objects.order_by("opens_on").first()
    assert first.opens_on == dates.history_start
    assert Campaign.objects.filter(partner_name="Connect 2 Staff").exists()
    assert Campaign.objects.filter(opens_on__lte=TODAY, closes_on__gte=TODAY).count() >= 3  # open today
    for year_start in (dates.history_start, dt.date(2024, 11, 1), dt.date(2025, 11, 1)):
        year_end = dt.date(year_start.year + 1, 10, 31)
        assert Application.objects.filter(received_on__range=(year_start, year_end)).count() > 200


@pytest.mark.django_db
def test_the_establishments_starters_are_linked_to_their_applications(demo):
    dates = demo_dates(TODAY)
    starters = Assignment.objects.employees().filter(
        worker__start_origin__isnull=False,
        start=F("worker__service_start"),
        start__gte=dates.history_start + dt.timedelta(days=90),
    )
    linked = starters.filter(application__isnull=False)
    assert linked.count() > 0.75 * starters.count()
    for application in Application.objects.filter(assignment__in=linked).select_related("assignment"):
        assert application.started_on == application.assignment.start
        assert application.worker_id == application.assignment.worker_id
        assert application.offer_accepted_on <= application.started_on


@pytest.mark.django_db
def test_agency_transfers_accepted_when_their_cover_became_awaiting_transfer(demo):
    transfers = Application.objects.filter(
        worker__assignments__agency_reason=AgencyReason.AWAITING_TRANSFER,
        worker__assignments__start=F("offer_accepted_on"),
    ).distinct()
    assert transfers.exists()
    for application in transfers.filter(started_on__isnull=False):
        cover = application.worker.assignments.get(agency_reason=AgencyReason.AWAITING_TRANSFER)
        assert cover.end == application.started_on - dt.timedelta(days=1)


@pytest.mark.django_db
def test_internal_candidates_who_accepted_moved_into_vacant_posts(demo):
    moved = Application.objects.filter(internal=True, started_on__isnull=False).select_related(
        "assignment__post"
    )
    assert moved.exists()
    for application in moved:
        post = application.assignment.post
        on = application.started_on
        assert posts_on(on).get(pk=post.pk).vacancy_fte == 0
        assert posts_on(on - dt.timedelta(days=1)).get(pk=post.pk).vacancy_fte == post.fte
        old = application.worker.assignments.exclude(pk=application.assignment_id).order_by("-start").first()
        assert old.end == on - dt.timedelta(days=1)


@pytest.mark.django_db
def test_accepted_offers_have_started_or_have_a_start_to_come(demo):
    waiting = Application.objects.filter(
        offer_accepted_on__isnull=False, started_on__isnull=True, offer_withdrawn_on__isnull=True
    ).select_related("worker")
    assert waiting.count() > 46
    for application in waiting:
        if application.start_planned_on is not None:
            assert application.start_planned_on > TODAY
        else:  # an agency worker awaiting transfer, the day not yet agreed
            cover = Assignment.objects.agency().active_on(TODAY).get(worker=application.worker)
            assert cover.agency_reason == AgencyReason.AWAITING_TRANSFER


@pytest.mark.django_db
def test_running_twice_adds_no_recruitment(demo):
    before = (Campaign.objects.count(), Application.objects.count(), Worker.objects.count())
    with override_settings(DEBUG=True):
        out = io.StringIO()
        call_command("load_demo", stdout=out)
    assert (Campaign.objects.count(), Application.objects.count(), Worker.objects.count()) == before
    assert (
        "Recruitment (campaigns, applications, interviews, offers, starts): already there" in out.getvalue()
    )


@pytest.mark.django_db
def test_every_offer_declined_or_withdrawn_has_a_believable_reason(demo, window):
    from collections import Counter

    answered = Application.objects.filter(
        Q(offer_declined_on__isnull=False) | Q(offer_withdrawn_on__isnull=False)
    )
    assert answered.count() > 20 and not answered.filter(decline_reason__isnull=True).exists()
    declined = Counter(
        answered.filter(offer_withdrawn_on__isnull=True).values_list("decline_reason__code", flat=True)
    )
    withdrawn = Counter(
        answered.filter(offer_withdrawn_on__isnull=False).values_list("decline_reason__code", flat=True)
    )
    # Candidates decline mostly over pay, another offer or the journey; "withdrew" is for withdrawals.
    assert (
        declined.most_common(1)[0][0] in {"salary", "accepted-another-offer"} and "withdrew" not in declined
    )
    assert withdrawn.most_common(1)[0][0] == "withdrew"
    # Internal candidates hardly ever give the journey as their reason.
    internal_journeys = answered.filter(internal=True, decline_reason__code="location-travel").count()
    assert internal_journeys <= answered.filter(internal=True).count() // 5
    funnel = recruitment_funnel(start=window[0], end=window[1])
    assert funnel.declines[-1].code == "not-recorded" and funnel.declines[-1].total == 0
    assert funnel.declines_total.total == sum(row.total for row in funnel.declines) > 0
