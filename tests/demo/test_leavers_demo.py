"""The demonstration leavers reproduce the 2016 cabinet paper's leavers analysis."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from leavers import demo_stage
from leavers.models import ExitConversation, Leaver
from leavers.selectors import leavers_analysis
from workforce.demo import demo_dates

TODAY = dt.date(2026, 11, 22)
DATES = demo_dates(TODAY)


def counts(shares) -> dict[str, int]:
    return {share.key: share.count for share in shares}


@pytest.mark.django_db
def test_every_departure_is_a_leaver(demo):
    assert Leaver.objects.count() == len(demo_stage.departures(TODAY)) == 176
    assert "Leavers and exit conversations: built" in demo


@pytest.mark.django_db
def test_26_months_reproduce_the_papers_categories_and_service(demo):
    analysis = leavers_analysis(start=DATES.window_26_start, end=DATES.window_end)
    assert analysis.total == 144
    by_category = counts(analysis.by_category)
    assert by_category["resignation-new-employment"] == 60
    assert by_category["resignation-other"] == 32
    assert by_category["resignation-personal"] == 14
    assert by_category["normal-retirement"] == 14
    assert sum(by_category.values()) == 144
    shares = {share.key: share.percent for share in analysis.by_category}
    assert str(shares["resignation-new-employment"]) == "41.7"  # the paper rounds it to 42%
    assert analysis.under_3_years == 56  # 39%
    assert analysis.under_1_year == 23  # 16%
    assert counts(analysis.by_census_reason)["1"] == 106  # every resignation


@pytest.mark.django_db
def test_last_14_months_reproduce_the_reasons_managers_captured(demo):
    analysis = leavers_analysis(start=DATES.window_14_start, end=DATES.window_end)
    assert analysis.total == 86
    destinations = counts(analysis.by_destination)
    assert destinations["agency-local"] + destinations["agency-london"] == 10
    assert destinations["another-la"] == 4
    assert destinations["private-voluntary"] == 5
    reasons = counts(analysis.citing_reason)
    assert reasons["better-pay"] == 11
    assert reasons["workload"] == 3
    assert reasons["working-practices"] == 7
    assert reasons["other-organisations"] == 4
    assert reasons["caring"] == 3
    # There are gaps: the rest have no conversation recorded yet.
    assert analysis.with_conversation == 38
    assert analysis.without_conversation == 48


@pytest.mark.django_db
def test_only_consented_quotes_are_shown(demo):
    analysis = leavers_analysis(start=DATES.window_14_start, end=DATES.window_end)
    assert len(analysis.quotes) == 10
    assert any("foster carers" in quote for quote in analysis.quotes)
    withheld = ExitConversation.objects.filter(quote_consent=False).exclude(quote="")
    assert withheld.count() == 3
    for conversation in withheld:
        assert conversation.quote not in analysis.quotes


@pytest.mark.django_db
def test_conversations_are_recorded_by_the_leavers_team_manager(demo):
    for conversation in ExitConversation.objects.select_related("leaver__team", "recorded_by"):
        assert conversation.leaver.team.managers.filter(pk=conversation.recorded_by_id).exists()
        assert not conversation.recorded_by.has_usable_password()


@pytest.mark.django_db
def test_the_manager_login_sees_due_conversations_in_their_teams(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="manager"))
    response = client.get(
        "/leavers/", {"period_after": DATES.window_14_start.isoformat(), "period_before": ""}
    )
    teams = {row.record.team.name for row in response.context["table"].page.object_list}
    assert teams <= {"Child Protection East", "Children in Care North"}
    assert response.context["analysis"].total == len(response.context["table"].rows)


@pytest.mark.django_db
def test_running_the_stage_again_adds_nothing(demo):
    before = (Leaver.objects.count(), ExitConversation.objects.count())
    assert demo_stage.build(today=TODAY) is False
    assert (Leaver.objects.count(), ExitConversation.objects.count()) == before


@pytest.mark.django_db
def test_anonymising_the_demo_leavers_changes_no_figure(demo):
    import dataclasses

    from workforce.selectors import establishment_on

    def figures():
        windows = [(DATES.window_26_start, DATES.window_end), (DATES.window_14_start, DATES.window_end)]
        analyses = [dataclasses.replace(leavers_analysis(start=s, end=e), quotes=[]) for s, e in windows]
        return analyses, [establishment_on(day) for day in (DATES.window_26_start, DATES.window_end, TODAY)]

    before = figures()
    out = io.StringIO()
    call_command("anonymise_leavers", "--older-than", "1", stdout=out)
    assert out.getvalue().startswith("Anonymised ")
    assert figures() == before
    assert Leaver.objects.filter(anonymised_on__isnull=False).count() > 100
