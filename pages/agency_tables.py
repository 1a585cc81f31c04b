"""The agency pages' filter forms and tables: engagements with each national rule's result,
and the breaches and exceptions, names shown only to those who may see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_tables2 as tables
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from access.scoping import restrict
from foundation.dates import EXAMPLE, long_date
from foundation.inputs import DateTextField
from workforce.agency_rules import RULES, Status
from workforce.models import AgencyReason, ServiceArea, Supplier, Team
from workforce.selectors.agency import Engagement
from workforce.team_choice import QuickSelect, offer_teams

WITHHELD = "(name withheld)"
STATUS_CHOICES = [
    (Status.BREACHED.value, "Breached"),
    (Status.NOT_KNOWN.value, "Not known"),
    ("exception", "Met by exception or sign-off"),
    (Status.MET.value, "Met"),
]
TAGS = {
    Status.MET: "govuk-tag--green",
    Status.BREACHED: "govuk-tag--red",
    Status.NOT_KNOWN: "govuk-tag--grey",
}


class AgencyFilterForm(forms.Form):
    """Narrow the agency engagements: the date, service area, team, supplier, reason, and a
    rule with its result."""

    as_of = DateTextField(
        label="As at",
        required=False,
        help_text=f"The engagements active on this date, for example {EXAMPLE}.",
    )
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.all(), label="Service area", required=False, widget=QuickSelect
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), label="Team", required=False, widget=QuickSelect
    )
    supplier = forms.ModelChoiceField(queryset=Supplier.objects.all(), label="Supplier", required=False)
    reason = forms.ChoiceField(choices=[("", "Any"), *AgencyReason.choices], label="Reason", required=False)
    rule = forms.ChoiceField(choices=[("", "Any"), *RULES], label="Rule", required=False)
    status = forms.ChoiceField(
        choices=[("", "Any"), *STATUS_CHOICES],
        label="Result",
        required=False,
        help_text="With a rule: that rule's result; without: any rule's.",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.all()
        self.fields["team"].queryset = restrict(teams, user, "pk") if user is not None else teams
        offer_teams(self)

    def chosen(self) -> dict[str, Any]:
        """Return the valid choices (an invalid field counts as not chosen; its error is shown)."""
        self.is_valid()
        return getattr(self, "cleaned_data", {})


def keeps(engagement: Engagement, rule: str, status: str) -> bool:
    """Return whether ``engagement`` is one the rule and result filters ask for."""
    results = [engagement.result(rule)] if rule else list(engagement.results)
    if not status:
        # A rule without a result: the engagements where it is not simply met.
        return not rule or any(r.status != Status.MET or r.exception for r in results)
    if status == "exception":
        return any(r.exception for r in results)
    if status == Status.MET.value:
        return any(r.status == Status.MET and not r.exception for r in results)
    return any(r.status.value == status for r in results)


def sign_off_text(engagement: Engagement, *, sees_names: bool) -> str:
    """Return an engagement's sign-off over the cap, with the officers' names only for those who
    may see names."""
    facts = engagement.facts
    if sees_names:
        return facts.sign_off_text
    return (
        f"signed off by the Director of Children's Services ({long_date(facts.dcs_sign_off_on)}) and the "
        f"chief executive ({long_date(facts.ceo_sign_off_on)})"
    )


def status_tag(status: Status, exception: str = "") -> str:
    label = "Met by exception" if exception else status.label
    return format_html('<strong class="govuk-tag {}">{}</strong>', TAGS[status], label)


class RuleColumn(tables.Column):
    """One rule's result for each engagement, as a tag."""

    def __init__(self, rule: str, name: str) -> None:
        super().__init__(accessor="results", verbose_name=name, orderable=False, empty_values=())
        self.rule = rule

    def render(self, record: Engagement) -> str:
        result = record.result(self.rule)
        return status_tag(result.status, result.exception)


class EngagementsTable(tables.Table):
    """Each agency engagement with the six rules' results. The engagements themselves are the
    rows: sorting reads their fields, and only the page shown is laid out."""

    worker = tables.Column(accessor="worker_name", verbose_name="Worker")
    post = tables.Column(accessor="post_reference", verbose_name="Post")
    team = tables.Column(verbose_name="Team")
    role = tables.Column(verbose_name="Role")
    supplier = tables.Column(verbose_name="Supplier", empty_values=())
    reason = tables.Column(accessor="reason_label", verbose_name="Reason")
    start = tables.Column(verbose_name="Start")

    class Meta:
        attrs = {"class": "data-table"}

    def __init__(
        self, engagements: list[Engagement], *args: Any, sees_names: bool, admin: bool, **kwargs: Any
    ):
        self.sees_names = sees_names
        self.admin = admin
        extra = [(rule, RuleColumn(rule, name)) for rule, name in RULES]
        super().__init__(engagements, *args, extra_columns=extra, **kwargs)
        if not sees_names:
            self.columns["worker"].column.orderable = False

    def render_worker(self, record: Engagement) -> str:
        if not self.sees_names:
            return WITHHELD
        if self.admin:
            url = reverse("admin:workforce_assignment_change", args=[record.pk])
            return format_html('<a class="govuk-link" href="{}">{}</a>', url, record.worker_name)
        return record.worker_name

    def render_supplier(self, record: Engagement) -> str:
        return record.supplier or "—"

    def render_start(self, record: Engagement) -> str:
        return f"{record.start.day} {record.start:%b %Y}"


def breaches_and_exceptions(engagements: list[Engagement]) -> list[tuple[Engagement, Any]]:
    """Return (engagement, result) for each breach and each rule met only by an exception or
    sign-off, to be laid out a page at a time (``listed_item``)."""
    return [
        (engagement, result)
        for engagement in engagements
        for result in engagement.results
        if result.status == Status.BREACHED or result.exception
    ]


def listed_item(engagement: Engagement, result: Any, *, sees_names: bool) -> dict[str, str]:
    """Return a breach, sign-off or exception as the page lists it."""
    exception = result.exception
    if result.rule == "price_cap" and exception:
        exception = "Over the cap, " + sign_off_text(engagement, sees_names=sees_names)
    return {
        "who": engagement.worker_name if sees_names else WITHHELD,
        "post": engagement.post_reference,
        "team": engagement.team,
        "rule": result.name,
        "status": status_tag(result.status, result.exception),
        "detail": result.detail,
        "exception": exception,
    }


class SpendFilterForm(forms.Form):
    """Narrow agency spend: the period, service area and team."""

    start = DateTextField(label="From", required=False, help_text=f"For example, {EXAMPLE}.")
    end = DateTextField(label="To", required=False)
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.all(), label="Service area", required=False, widget=QuickSelect
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), label="Team", required=False, widget=QuickSelect
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.all()
        self.fields["team"].queryset = restrict(teams, user, "pk") if user is not None else teams
        offer_teams(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period cannot be before its start.")
        if start and end and (end - start) > dt.timedelta(days=3 * 366):
            self.add_error("end", "Choose a period of up to three years.")
        return cleaned

    def chosen(self) -> dict[str, Any]:
        self.is_valid()
        return getattr(self, "cleaned_data", {})
