"""Caseloads and comparators in the Django admin, for HR staff (registered by ``workforce.admin``)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from access.admin import ScopedAdmin
from access.admin_filters import SearchFilterMedia, period_filter, team_filter
from access.scoping import access_for
from workforce.caseload_services import save_caseload, save_comparator
from workforce.models import CASE_TYPES, COMPARATOR_FIGURES, Caseload, Comparator


@admin.register(Caseload)
class CaseloadAdmin(SearchFilterMedia, ScopedAdmin):
    team_path = "worker__assignments__post__team"
    list_display = ["worker", "recorded_on", "cases", *(name for name, _ in CASE_TYPES)]
    list_filter = [period_filter("recorded_on", "date"), team_filter("worker__assignments__post__team")]
    search_fields = ["worker__staff_reference", "worker__last_name", "worker__first_name"]
    list_select_related = ["worker"]
    autocomplete_fields = ["worker"]
    fields = ["worker", "recorded_on", "cases", *(name for name, _ in CASE_TYPES)]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        # A worker in two of a manager's teams would be listed twice through their assignments.
        return queryset if access_for(request.user).sees_all_teams else queryset.distinct()

    def save_service(self, obj: Caseload) -> None:
        save_caseload(caseload=obj)


@admin.register(Comparator)
class ComparatorAdmin(ScopedAdmin):
    list_display = ["year", "area", "area_name", *(name for name, _, _ in COMPARATOR_FIGURES), "illustrative"]
    list_filter = ["area", "year", "illustrative"]
    search_fields = ["area_name", "source"]
    fieldsets = [
        (None, {"fields": ["area", "area_name", "year"]}),
        (
            "Figures (give those published; leave the rest blank)",
            {"fields": [n for n, _, _ in COMPARATOR_FIGURES]},
        ),
        ("Where they come from", {"fields": ["source", "illustrative"]}),
    ]

    def save_service(self, obj: Comparator) -> None:
        save_comparator(comparator=obj)
