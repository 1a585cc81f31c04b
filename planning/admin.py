"""Pipeline cohorts in the Django admin, for HR staff; every save goes through
``planning.services``. Scenarios are kept on the planning page by their owners."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from access.admin import ScopedAdmin
from planning import services
from planning.models import PipelineCohort


@admin.register(PipelineCohort)
class PipelineCohortAdmin(ScopedAdmin):
    list_display = ["name", "kind", "headcount", "expected_on", "role", "teams_list", "known_from"]
    list_filter = ["kind", "role"]
    search_fields = ["name", "notes"]
    date_hierarchy = "expected_on"
    filter_horizontal = ["teams"]
    fields = ["name", "kind", "headcount", "expected_on", "role", "teams", "known_from", "notes"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("role").prefetch_related("teams")

    @admin.display(description="teams")
    def teams_list(self, obj: PipelineCohort) -> str:
        return ", ".join(team.name for team in obj.teams.all()) or "Not yet known"

    def save_service(self, obj: PipelineCohort) -> None:
        services.save_cohort(cohort=obj)
