"""The six national rules for agency social workers, each worked by hand, and what may not be
recorded (above all an engagement over the price cap without both sign-offs)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from tests import factories, factories_leavers
from tests import factories_agency as agency
from workforce import agency_rules, services
from workforce.agency_rules import (
    COOL_OFF,
    EXPERIENCE,
    NOTICE,
    PRICE_CAP,
    PROJECT_TEAM,
    REFERENCE,
    Cap,
    Departure,
    Facts,
    Status,
)
from workforce.models import AgencyReason, Assignment, Contract, SupplyRoute, SupplyType
from workforce.selectors.agency import agency_engagements

D = dt.date
SW = 1  # a job type key for the pure tests


def errors_of(callable_, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        callable_(*args, **kwargs)
    return caught.value.message_dict


# --- Price cap --------------------------------------------------------------------------------

CAPS = [
    Cap(SW, "Social worker", D(2025, 4, 1), Decimal("40.00")),
    Cap(SW, "Social worker", D(2026, 4, 1), Decimal("42.00")),
]


def facts(**fields) -> Facts:
    fields.setdefault("start", D(2026, 1, 5))
    fields.setdefault("job_type_id", SW)
    return Facts(**fields)


def test_the_cap_in_force_on_the_engagement_date_applies():
    # Engaged the day before the new cap: held to £40; engaged on its first day: to £42.
    assert agency_rules.cap_for(CAPS, job_type_id=SW, start=D(2026, 3, 31), end=None).hourly_cap == Decimal(
        "40"
    )
    assert agency_rules.cap_for(CAPS, job_type_id=SW, start=D(2026, 4, 1), end=None).hourly_cap == Decimal(
        "42"
    )
    # Engaged before any cap and still going: the first cap that came into force.
    assert agency_rules.cap_for(CAPS, job_type_id=SW, start=D(2024, 6, 1), end=None).applies_from == D(
        2025, 4, 1
    )
    # Engaged and ended before any cap: none applies.
    assert agency_rules.cap_for(CAPS, job_type_id=SW, start=D(2024, 6, 1), end=D(2025, 3, 31)) is None
    assert agency_rules.cap_for(CAPS, job_type_id=2, start=D(2026, 4, 1), end=None) is None


def test_pay_ni_and_levy_are_held_to_the_cap_the_margin_is_not():
    # 36.00 + 3.80 + 0.20 = 40.00: exactly the cap is within it, whatever the margin.
    on_cap = facts(
        pay_rate=Decimal("36.00"), employer_ni=Decimal("3.80"), apprenticeship_levy=Decimal("0.20")
    )
    result = agency_rules.price_cap(on_cap, CAPS[0])
    assert result.status == Status.MET
    assert result.detail == "£40.00 an hour against the Social worker cap of £40.00 (from 1 April 2025)"
    # A penny more is over.
    over = facts(pay_rate=Decimal("36.01"), employer_ni=Decimal("3.80"), apprenticeship_levy=Decimal("0.20"))
    result = agency_rules.price_cap(over, CAPS[0])
    assert result.status == Status.BREACHED
    assert "£0.01 over, with no recorded sign-off" in result.detail


def test_the_levy_counts_only_where_it_applies():
    no_levy = facts(pay_rate=Decimal("36.20"), employer_ni=Decimal("3.80"), apprenticeship_levy=None)
    assert agency_rules.price_cap(no_levy, CAPS[0]).status == Status.MET


def test_over_the_cap_with_both_sign_offs_is_met_by_the_sign_off():
    signed = facts(
        pay_rate=Decimal("40.00"),
        employer_ni=Decimal("4.50"),
        dcs_sign_off_by="A. Director",
        dcs_sign_off_on=D(2025, 12, 1),
        ceo_sign_off_by="C. Executive",
        ceo_sign_off_on=D(2025, 12, 3),
    )
    result = agency_rules.price_cap(signed, CAPS[0])
    assert result.status == Status.MET
    assert result.exception == (
        "Over the cap, signed off by the Director of Children's Services (A. Director, 1 December 2025) "
        "and the chief executive (C. Executive, 3 December 2025)"
    )
    only_dcs = facts(
        pay_rate=Decimal("40.00"),
        employer_ni=Decimal("4.50"),
        dcs_sign_off_by="A",
        dcs_sign_off_on=D(2025, 12, 1),
    )
    assert agency_rules.price_cap(only_dcs, CAPS[0]).status == Status.BREACHED


def test_the_cap_is_not_known_without_a_job_type_rates_or_a_cap():
    no_job_type = facts(job_type_id=None, pay_rate=Decimal("30"), employer_ni=Decimal("3"))
    assert agency_rules.price_cap(no_job_type, CAPS[0]).status == Status.NOT_KNOWN
    assert agency_rules.price_cap(facts(job_type_id=SW), CAPS[0]).status == Status.NOT_KNOWN  # no rates
    no_cap = facts(job_type_id=SW, pay_rate=Decimal("30"), employer_ni=Decimal("3"))
    assert agency_rules.price_cap(no_cap, None).status == Status.NOT_KNOWN


# --- Experience ---------------------------------------------------------------------------------


def test_three_years_local_authority_experience_recorded_decides():
    assert agency_rules.experience(facts(la_experience_months=36)).status == Status.MET
    result = agency_rules.experience(facts(la_experience_months=35, date_qualified=D(2010, 1, 1)))
    assert result.status == Status.BREACHED
    assert (
        result.detail
        == "Only 2 years 11 months' local authority experience at engagement; three years are needed"
    )


def test_experience_is_judged_from_the_date_qualified_when_not_recorded():
    # Qualified 1 June 2023: three years on 1 June 2026.
    short = agency_rules.experience(facts(start=D(2026, 5, 31), date_qualified=D(2023, 6, 1)))
    assert short.status == Status.BREACHED
    enough = agency_rules.experience(facts(start=D(2026, 6, 1), date_qualified=D(2023, 6, 1)))
    assert enough.status == Status.MET
    assert "local authority experience assumed, not recorded" in enough.detail
    assert agency_rules.experience(facts()).status == Status.NOT_KNOWN


# --- Cool-off -----------------------------------------------------------------------------------


def test_engaged_within_three_months_of_leaving_this_council_is_a_breach():
    left = [Departure(D(2026, 1, 31), "council")]
    # The cool-off runs to 30 April 2026 (31 January + 3 months, clamped); 1 May is after it.
    result = agency_rules.cool_off(facts(start=D(2026, 4, 30), cool_off_declaration="none"), left)
    assert result.status == Status.BREACHED
    assert result.detail == (
        "Left a permanent role in this council on 31 January 2026: engaged 30 April 2026, within three months"
    )
    assert (
        agency_rules.cool_off(facts(start=D(2026, 5, 1), cool_off_declaration="none"), left).status
        == Status.MET
    )


@pytest.mark.parametrize(
    ("departure", "fields", "exception"),
    [
        (
            Departure(D(2026, 1, 31), "council", "redundancy"),
            {},
            "Exception: made redundant (leavers record)",
        ),
        (
            Departure(D(2026, 1, 31), "council", "probation"),
            {},
            "Exception: left during probation (leavers record)",
        ),
        (
            Departure(D(2026, 1, 31), "council"),
            {"cool_off_exception": "redundancy"},
            "Exception: made redundant",
        ),
        (
            Departure(D(2026, 1, 31), "council"),
            {"agency_reason": AgencyReason.AWAITING_TRANSFER},
            "Exception: moving to a permanent role (awaiting transfer)",
        ),
    ],
)
def test_the_cool_off_exceptions(departure, fields, exception):
    result = agency_rules.cool_off(facts(start=D(2026, 3, 2), **fields), [departure])
    assert result.status == Status.MET
    assert result.exception == exception


def test_a_role_left_in_the_region_counts_one_in_another_region_is_an_exception():
    same = facts(
        start=D(2026, 4, 15), cool_off_declaration="this_region", previous_role_left_on=D(2026, 3, 1)
    )
    assert agency_rules.cool_off(same, []).status == Status.BREACHED
    other = facts(
        start=D(2026, 4, 15), cool_off_declaration="other_region", previous_role_left_on=D(2026, 3, 1)
    )
    result = agency_rules.cool_off(other, [])
    assert result.status == Status.MET
    assert result.exception == "Exception: the assignment is in a different region"
    long_ago = facts(
        start=D(2026, 7, 2), cool_off_declaration="this_region", previous_role_left_on=D(2026, 4, 1)
    )
    assert agency_rules.cool_off(long_ago, []).status == Status.MET


def test_without_a_declaration_the_cool_off_is_not_known():
    assert agency_rules.cool_off(facts(), []).status == Status.NOT_KNOWN
    assert agency_rules.cool_off(facts(cool_off_declaration="none"), []).status == Status.MET


@pytest.mark.django_db
def test_a_cool_off_breach_from_the_leavers_records():
    team = factories.team()
    leaver = factories_leavers.leaver(team=team, leaving_date=D(2026, 1, 30), start=D(2020, 1, 1))
    agency.engagement(factories.post(team=team), worker_=leaver.worker, start=D(2026, 3, 2))
    redundant = factories_leavers.leaver(
        team=team, leaving_date=D(2026, 1, 30), start=D(2020, 1, 1), category_code="redundancy"
    )
    agency.engagement(factories.post(team=team), worker_=redundant.worker, start=D(2026, 3, 2))
    found = {
        e.worker_id: e.result(COOL_OFF) for e in agency_engagements(start=D(2026, 3, 2), end=D(2026, 3, 2))
    }
    assert found[leaver.worker_id].status == Status.BREACHED
    assert found[redundant.worker_id].status == Status.MET
    assert found[redundant.worker_id].exception == "Exception: made redundant (leavers record)"


@pytest.mark.django_db
def test_leaving_during_probation_is_read_from_the_leavers_records():
    team = factories.team()
    leaver = factories_leavers.leaver(team=team, leaving_date=D(2026, 1, 30), start=D(2025, 9, 1))
    agency.engagement(factories.post(team=team), worker_=leaver.worker, start=D(2026, 3, 2))
    (found,) = agency_engagements(start=D(2026, 3, 2), end=D(2026, 3, 2))
    assert found.result(COOL_OFF).exception == "Exception: left during probation (leavers record)"


# --- Notice, reference, project teams ---------------------------------------------------------


def test_four_weeks_notice_or_the_councils_shorter_notice():
    assert agency_rules.required_notice_weeks() == 4
    assert agency_rules.notice(facts(notice_weeks=4), 4).status == Status.MET
    result = agency_rules.notice(facts(notice_weeks=3), 4)
    assert (result.status, result.detail) == (Status.BREACHED, "Only 3 weeks' notice (4 weeks needed)")
    assert agency_rules.notice(facts(), 4).status == Status.NOT_KNOWN
    with override_settings(WORKFORCE={"PERMANENT_NOTICE_WEEKS": 2}):
        assert agency_rules.required_notice_weeks() == 2
    with override_settings(WORKFORCE={"PERMANENT_NOTICE_WEEKS": 12}):
        assert agency_rules.required_notice_weeks() == 4


def test_a_reference_received_before_engaging_and_one_given_at_the_end():
    today = D(2026, 6, 1)
    assert agency_rules.reference(facts(reference_received=True), on=today).status == Status.MET
    assert agency_rules.reference(facts(reference_received=False), on=today).status == Status.BREACHED
    assert agency_rules.reference(facts(), on=today).status == Status.NOT_KNOWN
    ended = {"end": D(2026, 5, 1), "reference_received": True}
    assert agency_rules.reference(facts(**ended, reference_given=True), on=today).status == Status.MET
    assert agency_rules.reference(facts(**ended, reference_given=False), on=today).status == Status.BREACHED
    assert agency_rules.reference(facts(**ended), on=today).status == Status.NOT_KNOWN


def test_workers_in_project_teams_are_identified_and_costed_separately():
    assert agency_rules.project_team(facts()).status == Status.NOT_KNOWN
    individual = facts(supplier="A", supply_type=SupplyType.INDIVIDUAL)
    assert agency_rules.project_team(individual).status == Status.MET
    team = {"supplier": "Team Co", "supply_type": SupplyType.PROJECT_TEAM}
    unidentified = agency_rules.project_team(facts(**team, weekly_charge=Decimal("1500")))
    assert unidentified.status == Status.BREACHED
    assert unidentified.detail == "In a Team Co project team without a Social Work England number"
    assert agency_rules.project_team(facts(**team, swe_number="SW0000000001")).status == Status.BREACHED
    costed = facts(**team, swe_number="SW0000000001", pay_rate=Decimal("30"), employer_ni=Decimal("3"))
    assert agency_rules.project_team(costed).status == Status.MET


# --- What may be recorded ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_rates_give_the_weekly_charge():
    # (30.00 + 3.50 + 0.15) + 4.35 = 38.00 an hour; 37 hours: £1,406.00 a week.
    assignment = agency.engagement(
        pay_rate="30.00",
        employer_ni="3.50",
        apprenticeship_levy="0.15",
        agency_margin="4.35",
        hours_per_week="37",
    )
    assert assignment.weekly_charge == Decimal("1406.00")


@pytest.mark.django_db
def test_a_weekly_charge_that_does_not_match_the_rates_is_refused():
    errors = errors_of(
        agency.engagement,
        pay_rate="30.00",
        employer_ni="3.50",
        agency_margin="4.50",
        hours_per_week="37",
        weekly_charge="1600",
    )
    assert "does not match the rates and hours (£1,406.00" in errors["weekly_charge"][0]


@pytest.mark.django_db
def test_an_engagement_over_the_cap_without_sign_off_is_refused_naming_the_rule():
    agency.cap("40.00")
    errors = errors_of(agency.engagement, start=D(2026, 1, 5), pay_rate="37.00", employer_ni="4.20")
    assert errors["pay_rate"][0].startswith(
        "Price cap: £41.20 an hour against the Social worker cap of £40.00 (from 1 April 2025): £1.20 over, "
        "with no recorded sign-off. An engagement over the regional price cap needs the sign-off of the "
        "Director of Children's Services and the chief executive"
    )
    assert not Assignment.objects.filter(contract=Contract.AGENCY).exists()
    signed = agency.engagement(
        start=D(2026, 1, 5),
        pay_rate="37.00",
        employer_ni="4.20",
        dcs_sign_off_by="A. Director",
        dcs_sign_off_on=D(2026, 1, 2),
        ceo_sign_off_by="C. Executive",
        ceo_sign_off_on=D(2026, 1, 3),
    )
    assert signed.pk


@pytest.mark.django_db
def test_a_sign_off_needs_who_and_when():
    errors = errors_of(agency.engagement, dcs_sign_off_by="A. Director")
    assert errors == {"dcs_sign_off_on": ["Give the date the Director of Children's Services signed off."]}
    errors = errors_of(agency.engagement, ceo_sign_off_on=D(2026, 1, 2))
    assert errors == {"ceo_sign_off_by": ["Give who signed off as chief executive."]}


@pytest.mark.django_db
def test_employees_have_no_agency_terms():
    post = factories.post(team=factories.team())
    errors = errors_of(
        services.save_assignment,
        assignment=Assignment(
            worker=factories.worker(),
            post=post,
            start=D(2026, 1, 1),
            fte=Decimal("1"),
            contract=Contract.PERMANENT,
            pay_rate=Decimal("30"),
        ),
    )
    assert errors == {
        "pay_rate": ["Only agency assignments have a supplier, rates and the agency rules' details."]
    }


@pytest.mark.django_db
def test_money_is_never_negative():
    errors = errors_of(agency.engagement, pay_rate="-1", employer_ni="0")
    assert "pay_rate" in errors


@pytest.mark.django_db
def test_a_supplier_written_as_text_becomes_a_supplier():
    framework = agency.supplier("Reed Social Care", route=SupplyRoute.FRAMEWORK)
    first = agency.engagement(agency_supplier="  reed   social care ")
    assert first.supplier == framework
    assert first.agency_supplier == "Reed Social Care"
    second = agency.engagement(agency_supplier="Brand New Agency")
    assert second.supplier.name == "Brand New Agency"
    assert second.supplier.route == SupplyRoute.OFF_CONTRACT


@pytest.mark.django_db
def test_the_rules_for_every_engagement_in_a_few_queries(django_assert_num_queries):
    agency.cap("40.00")
    chosen = agency.supplier()
    for _ in range(3):
        agency.engagement(supplier_=chosen, pay_rate="30", employer_ni="3", notice_weeks=4)
    # The engagements with worker, post, role and supplier; the caps; the council's leavers.
    with django_assert_num_queries(3):
        found = agency_engagements(start=D(2026, 2, 1), end=D(2026, 2, 1))
    for _ in range(3):
        agency.engagement(supplier_=chosen, pay_rate="30", employer_ni="3")
    with django_assert_num_queries(3):
        found = agency_engagements(start=D(2026, 2, 1), end=D(2026, 2, 1))
    assert len(found) == 6
    assert {e.result(PRICE_CAP).status for e in found} == {Status.MET}
    assert {e.result(PROJECT_TEAM).status for e in found} == {Status.MET}
    assert {e.result(EXPERIENCE).status for e in found} == {Status.NOT_KNOWN}  # no date qualified
    assert sorted(e.result(NOTICE).status for e in found) == [Status.MET] * 3 + [Status.NOT_KNOWN] * 3
    assert {e.result(REFERENCE).status for e in found} == {Status.NOT_KNOWN}


@pytest.mark.django_db
def test_writes_around_the_signals_are_still_counted_after_the_agency_migrations():
    # SQLite remakes a table to add columns, dropping its triggers; the agency migration puts
    # them back, so an update() of assignments still marks the kept figures out of date.
    from workforce import timeline

    assignment = agency.engagement()
    assert timeline.up_to_date()
    Assignment.objects.filter(pk=assignment.pk).update(fte=Decimal("0.5"))
    assert not timeline.up_to_date()


@pytest.mark.django_db
def test_an_agency_worker_awaiting_transfer_keeps_the_engagements_terms():
    from tests import factories_recruitment as rf

    team = factories.team()
    post = factories.post(team=team)
    chosen = agency.supplier()
    locum = factories.worker(service_start=None)
    agency.engagement(
        post,
        worker_=locum,
        start=D(2024, 6, 1),
        supplier_=chosen,
        pay_rate="30",
        employer_ni="3.60",
        agency_margin="4.40",
        hours_per_week="37",
        notice_weeks=4,
        reference_received=True,
    )
    campaign = rf.campaign(opens_on=D(2025, 1, 1))
    rf.progress(rf.application(campaign, received_on=D(2025, 2, 1), worker=locum), to="accepted")
    follow_on = Assignment.objects.agency().get(worker=locum, agency_reason=AgencyReason.AWAITING_TRANSFER)
    assert (follow_on.supplier, follow_on.pay_rate, follow_on.weekly_charge) == (
        chosen,
        Decimal("30.00"),
        Decimal("1406.00"),
    )
    assert (follow_on.notice_weeks, follow_on.reference_received) == (4, True)
