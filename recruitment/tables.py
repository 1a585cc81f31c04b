"""The campaigns table and a campaign's applications table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from foundation.measures import format_money
from recruitment.models import Application, Campaign, CampaignStatus
from recruitment.selectors import cost_per_start
from workforce.tables import QuickDateColumn

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}
WITHHELD = "(name withheld)"


class CountColumn(tables.Column):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)


class CampaignTable(tables.Table):
    region_label = "Campaigns"
    title = tables.Column(verbose_name="Campaign")
    roles = tables.Column(empty_values=(), orderable=False, verbose_name="Roles")
    channels = tables.Column(empty_values=(), orderable=False, verbose_name="Channels")
    opens_on = QuickDateColumn(format="j M Y", verbose_name="Opens")
    closes_on = QuickDateColumn(format="j M Y", verbose_name="Closes")
    status = tables.Column(empty_values=(), orderable=False, verbose_name="Status")
    target_hires = CountColumn(verbose_name="Target hires")
    cost = tables.Column(verbose_name="Cost", attrs=NUM)
    received = CountColumn(verbose_name="Received")
    interviewed = CountColumn(verbose_name="Interviewed")
    offered = CountColumn(verbose_name="Offered")
    accepted = CountColumn(verbose_name="Accepted")
    started = CountColumn(verbose_name="Started")
    per_start = tables.Column(empty_values=(), orderable=False, verbose_name="Cost per start", attrs=NUM)

    class Meta:
        model = Campaign
        fields = (
            "title",
            "roles",
            "channels",
            "opens_on",
            "closes_on",
            "status",
            "target_hires",
            "cost",
            "received",
            "interviewed",
            "offered",
            "accepted",
            "started",
            "per_start",
        )
        order_by = ("-opens_on",)

    def render_title(self, record: Campaign) -> str:
        cohort = (
            ' <span class="muted">(newly qualified cohort)</span>' if record.newly_qualified_cohort else ""
        )
        return format_html(
            '<a href="{}">{}</a>{}',
            reverse("recruitment:campaign", args=[record.pk]),
            record.title,
            mark_safe(cohort),  # a fixed fragment of our own, no user input
        )

    def render_roles(self, record: Campaign) -> str:
        return ", ".join(role.name for role in record.roles.all())

    def render_channels(self, record: Campaign) -> str:
        return ", ".join(channel.name for channel in record.channels.all()) or "–"

    def render_status(self, record: Campaign) -> str:
        return CampaignStatus(record.status_on(timezone.localdate())).label

    def render_cost(self, value: Decimal) -> str:
        return format_money(value)

    def render_per_start(self, record: Campaign) -> str:
        return format_money(cost_per_start(record.cost, record.started))


class ApplicationTable(tables.Table):
    region_label = "Applications"
    candidate = tables.Column(empty_values=(), order_by=("last_name", "first_name"), verbose_name="Candidate")
    role = tables.Column(accessor="role__name", order_by=("role__order",), verbose_name="Role")
    team = tables.Column(accessor="team__name", verbose_name="Team", default="–")
    received_on = QuickDateColumn(format="j M Y", verbose_name="Received")
    internal = tables.BooleanColumn(verbose_name="Internal", yesno="Yes,No")
    newly_qualified = tables.BooleanColumn(verbose_name="Newly qualified", yesno="Yes,No")
    source = tables.Column(accessor="source__name", verbose_name="Source", default="–")
    stage = tables.Column(empty_values=(), orderable=False, verbose_name="Stage")
    interviewed_on = QuickDateColumn(format="j M Y", verbose_name="Interviewed")
    offered_on = QuickDateColumn(format="j M Y", verbose_name="Offered")
    started_on = QuickDateColumn(format="j M Y", verbose_name="Started")

    class Meta:
        model = Application
        fields = (
            "candidate",
            "role",
            "team",
            "received_on",
            "internal",
            "newly_qualified",
            "source",
            "stage",
            "interviewed_on",
            "offered_on",
            "started_on",
        )
        order_by = ("-received_on",)

    def __init__(self, *args: Any, sees_names: bool = False, **kwargs: Any) -> None:
        self.sees_names = sees_names
        super().__init__(*args, **kwargs)

    def render_candidate(self, record: Application) -> str:
        return record.full_name if self.sees_names else WITHHELD

    def render_stage(self, record: Application) -> str:
        return record.get_stage_display()
