"""Filters for the leavers page."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from access.scoping import restrict
from foundation.inputs import DateTextInput
from leavers.models import Leaver, LeavingCategory
from workforce.models import Role, ServiceArea, Team
from workforce.team_choice import QuickSelect, QuickSelectMultiple, offer_teams

RECORDED = "recorded"
DUE = "due"


class DateRangeWidget(django_filters.widgets.RangeWidget):
    """Two date boxes, from and to, that read "30/6/2019" (not the browser's locale-bound picker)."""

    suffixes = ["after", "before"]

    def __init__(self, attrs: dict | None = None) -> None:
        widgets = (DateTextInput(attrs), DateTextInput(attrs))
        django_filters.widgets.SuffixedMultiWidget.__init__(self, widgets, attrs)


class LeaverFilter(django_filters.FilterSet):
    """Narrow the leavers by period, service area, teams, case-holding, role, category and
    whether the conversation is recorded (the analysis follows all but the last two)."""

    period = django_filters.DateFromToRangeFilter(
        field_name="leaving_date",
        label="Left between",
        widget=DateRangeWidget,
        help_text="First and last leaving date, inclusive.",
    )
    service_area = django_filters.ModelChoiceFilter(
        field_name="team__service_area",
        queryset=ServiceArea.objects.all(),
        label="Service area",
        widget=QuickSelect,
    )
    team = django_filters.ModelMultipleChoiceFilter(
        queryset=Team.objects.none(),
        label="Teams",
        widget=QuickSelectMultiple,
        help_text="Choose one or more (hold Ctrl or Cmd to choose several).",
    )
    case_holding = django_filters.BooleanFilter(
        label="Case-holding teams only", widget=forms.CheckboxInput, method="filter_case_holding"
    )
    role = django_filters.ModelChoiceFilter(
        field_name="role", queryset=Role.objects.filter(in_scope=True), label="Role at leaving"
    )
    category = django_filters.ModelChoiceFilter(queryset=LeavingCategory.objects.all(), label="Category")
    conversation = django_filters.ChoiceFilter(
        label="Exit conversation",
        choices=[(RECORDED, "Recorded"), (DUE, "Due (not yet recorded)")],
        empty_label="Any",
        method="filter_conversation",
    )

    class Meta:
        model = Leaver
        fields: list[str] = []

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        teams = Team.objects.all()
        self.filters["team"].queryset = restrict(teams, request.user, "pk") if request else teams

    def offer_choices(self) -> None:
        """Offer the teams of the chosen service area, not every team (``workforce.team_choice``)."""
        offer_teams(self.form)

    def filter_case_holding(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(team__case_holding=True) if value else queryset

    def filter_conversation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == RECORDED:
            return queryset.filter(exit_conversation__isnull=False)
        if value == DUE:
            return queryset.filter(exit_conversation__isnull=True)
        return queryset
