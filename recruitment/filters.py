"""Filters for the campaigns page: period, role, channel and status."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from recruitment.models import Campaign, CampaignStatus, Channel
from workforce.filters import TypedDateFilter
from workforce.models import Role


class PeriodForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The period cannot end before it starts.")
        return data


class CampaignFilter(django_filters.FilterSet):
    """Narrow the campaigns. The period itself is read by the view (it also sets the funnel's window)."""

    start = TypedDateFilter(label="From", method="keep", help_text="For example, 1/4/2026.")
    end = TypedDateFilter(label="To", method="keep", help_text="For example, 31/3/2027.")
    role = django_filters.ModelChoiceFilter(queryset=Role.objects.all(), label="Role", method="filter_role")
    channel = django_filters.ModelChoiceFilter(
        queryset=Channel.objects.all(), label="Channel", method="filter_channel"
    )
    status = django_filters.ChoiceFilter(
        choices=CampaignStatus.choices, label="Status today", empty_label="Any", method="filter_status"
    )

    class Meta:
        model = Campaign
        fields: list[str] = []
        form = PeriodForm

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset

    def filter_role(self, queryset: QuerySet, name: str, value: Role) -> QuerySet:
        return queryset.filter(pk__in=Campaign.roles.through.objects.filter(role=value).values("campaign_id"))

    def filter_channel(self, queryset: QuerySet, name: str, value: Channel) -> QuerySet:
        return queryset.filter(
            pk__in=Campaign.channels.through.objects.filter(channel=value).values("campaign_id")
        )

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_status(value, timezone.localdate())
