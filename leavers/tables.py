"""The leavers table: a manager's leavers with the exit conversations still due."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from foundation.dates import short_date
from foundation.measures import format_fte
from leavers.models import Leaver
from workforce.tables import QuickDateColumn


def service_text(years: int, days: int) -> str:
    """Return a length of service as people say it ("3 years", "7 months")."""
    if years >= 1:
        return f"{years} year{'s' if years != 1 else ''}"
    months = days * 12 // 365
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


class LeaversTable(tables.Table):
    region_label = "Leavers"
    name = tables.Column(
        accessor="worker__last_name",
        verbose_name="Leaver",
        order_by=("worker__last_name", "worker__first_name"),
    )
    team = tables.Column(accessor="team__name", verbose_name="Last team", order_by=("team__name",))
    role = tables.Column(accessor="role__name", verbose_name="Role", order_by=("role__order",))
    leaving_date = QuickDateColumn(verbose_name="Leaving date", format="j M Y")
    category = tables.Column(
        accessor="category__name", verbose_name="Category", order_by=("category__order",)
    )
    fte_at_leaving = tables.Column(
        verbose_name="FTE at leaving", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    service = tables.Column(
        accessor="service_days", verbose_name="Length of service", order_by=("service_days",)
    )
    conversation = tables.Column(
        accessor="exit_conversation", empty_values=(), verbose_name="Exit conversation", orderable=False
    )

    class Meta:
        model = Leaver
        fields = (
            "name",
            "team",
            "role",
            "leaving_date",
            "category",
            "fte_at_leaving",
            "service",
            "conversation",
        )
        row_attrs = {"class": lambda record: "" if hasattr(record, "exit_conversation") else "due"}

    def __init__(self, *args: Any, can_record: bool = False, **kwargs: Any) -> None:
        self.can_record = can_record
        super().__init__(*args, **kwargs)

    def render_name(self, record: Leaver) -> str:
        return f"{record.worker.full_name} ({record.worker.staff_reference})"

    def render_fte_at_leaving(self, value: Any) -> str:
        return format_fte(value)

    def render_service(self, record: Leaver) -> str:
        return service_text(record.service_years, record.service_days)

    def render_conversation(self, record: Leaver) -> str:
        conversation = getattr(record, "exit_conversation", None)
        link = ""
        if self.can_record:
            url = f"{reverse('leavers:conversation')}?leaver={record.pk}"
            action = "Change" if conversation else "Record"
            link = format_html(
                ' <a href="{}">{}<span class="visually-hidden"> for {}</span></a>',
                url,
                action,
                record.worker.full_name,
            )
        if conversation is None:
            return format_html('<strong class="tag due">Exit conversation due</strong>{}', link)
        return format_html(
            "Recorded {} · {}{}", short_date(conversation.held_on), conversation.destination.name, link
        )
