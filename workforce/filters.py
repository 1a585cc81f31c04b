"""Filters for the establishment page."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from access.scoping import restrict
from foundation.inputs import DateTextField
from workforce.models import Funding, Post, Role, ServiceArea, Team
from workforce.team_choice import QuickSelect, offer_teams


class TypedDateFilter(django_filters.DateFilter):
    """A date filter in one box that reads what people type ("30/6/2019", "30 June 2019")."""

    field_class = DateTextField


class EstablishmentFilter(django_filters.FilterSet):
    """Narrow the posts on the as-at date. The as-at date itself is read by the view."""

    as_of = TypedDateFilter(
        label="As at",
        method="keep",
        help_text="For example, 30/6/2019.",
    )
    service_area = django_filters.ModelChoiceFilter(
        field_name="team__service_area",
        queryset=ServiceArea.objects.all(),
        label="Service area",
        widget=QuickSelect,
    )
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), label="Team", widget=QuickSelect)
    role = django_filters.ModelChoiceFilter(queryset=Role.objects.all(), label="Role")
    case_holding = django_filters.BooleanFilter(
        field_name="team__case_holding",
        label="Case-holding teams",
        widget=forms.Select(
            choices=[("", "Any"), ("true", "Case-holding only"), ("false", "Not case-holding")]
        ),
    )
    funding = django_filters.ChoiceFilter(choices=Funding.choices, label="Funding", empty_label="Any")
    vacant_only = django_filters.BooleanFilter(
        label="Vacant posts only", method="filter_vacant", widget=forms.CheckboxInput
    )
    agency_only = django_filters.BooleanFilter(
        label="Agency-covered only", method="filter_agency", widget=forms.CheckboxInput
    )

    class Meta:
        model = Post
        fields: list[str] = []

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        teams = Team.objects.all()
        self.filters["team"].queryset = restrict(teams, request.user, "pk") if request else teams

    def offer_choices(self) -> None:
        """Offer the teams of the chosen service area, not every team (``workforce.team_choice``)."""
        offer_teams(self.form)

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset

    def filter_vacant(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(vacancy_fte__gt=0) if value else queryset

    def filter_agency(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(agency_fte__gt=0) if value else queryset
