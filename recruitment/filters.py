"""Filters for the campaigns page: period, role, channel and status."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from recruitment.models import Campaign, CampaignStatus, Channel
from workforce.filters import TypedDateFilter
from workforce.models import Role, ServiceArea, Team
from workforce.team_choice import QuickSelect, QuickSelectMultiple


class PeriodForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The period cannot end before it starts.")
        return data


class CampaignFilter(django_filters.FilterSet):
    """Narrow the campaigns. The period, service area, teams and case-holding are read by the
    view: they set the funnel's window and scope (campaigns with applications in it)."""

    start = TypedDateFilter(label="From", method="keep", help_text="For example, 1/4/2026.")
    end = TypedDateFilter(label="To", method="keep", help_text="For example, 31/3/2027.")
    role = django_filters.ModelChoiceFilter(queryset=Role.objects.all(), label="Role", method="filter_role")
    service_area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.all(), label="Service area", method="keep", widget=QuickSelect
    )
    team = django_filters.ModelMultipleChoiceFilter(
        queryset=Team.objects.all(),
        label="Teams",
        method="keep",
        widget=QuickSelectMultiple,
        help_text="Choose one or more (hold Ctrl or Cmd to choose several).",
    )
    case_holding = django_filters.BooleanFilter(
        label="Case-holding teams only", widget=forms.CheckboxInput, method="keep"
    )
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
