"""The establishment in the Django admin, for HR staff."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from access.admin import ScopedAdmin, TabularInline
from access.admin_filters import SearchFilterMedia, period_filter, service_area_filter, team_filter
from access.roles import HR
from access.scoping import ADMIN, access_for
from access.subject_access import subject_access_json
from foundation.measures import format_fte
from workforce import services
from workforce.models import (
    Absence,
    Assignment,
    Post,
    Role,
    ServiceArea,
    Team,
    Worker,
)
from workforce.rules import check_assignment
from workforce.selectors import annotate_post_figures
from workforce.selectors.agency import engagement_of


def distinct_when_narrowed(queryset: QuerySet, request: HttpRequest) -> QuerySet:
    """Return ``queryset`` with each row once, for a queryset team-scoped through assignments.

    Scoping a user to some teams joins through the worker's assignments, so a worker
    in two of those teams would be listed twice; a user who sees every team is not
    joined, and counting a big table DISTINCT on every column would be wasted.
    """
    return queryset if access_for(request.user).sees_all_teams else queryset.distinct()


class AssignmentFormSet(BaseInlineFormSet):
    """Check each assignment against the others submitted with it, not only saved ones."""

    def clean(self) -> None:
        super().clean()
        live = [
            form
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        instances = [form.instance for form in live]
        for form in live:
            others = [i for i in instances if i is not form.instance]
            try:
                check_assignment(form.instance, siblings=others)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)


class AssignmentInline(TabularInline):
    model = Assignment
    formset = AssignmentFormSet
    extra = 0
    autocomplete_fields = ["worker"]
    fields = [
        "worker",
        "start",
        "end",
        "fte",
        "contract",
        "agency_reason",
        "supplier",
        "weekly_charge",
    ]
    show_change_link = True  # an agency assignment's rates and rules are kept on its own page

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("worker", "post")


class AbsenceInline(TabularInline):
    model = Absence
    extra = 0
    fields = ["reason", "start", "end", "working_days_lost"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(ScopedAdmin):
    search_fields = ["name"]
    list_display = ["name", "team_count"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(team_count=Count("teams"))

    @admin.display(description="Teams", ordering="team_count")
    def team_count(self, obj: ServiceArea) -> int:
        return obj.team_count


@admin.register(Team)
class TeamAdmin(SearchFilterMedia, ScopedAdmin):
    team_path = "pk"
    list_display = ["name", "service_area", "case_holding", "manager_names"]
    list_filter = [service_area_filter("service_area"), "case_holding"]
    search_fields = ["name", "service_area__name"]
    filter_horizontal = ["managers"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("service_area").prefetch_related("managers")

    @admin.display(description="Managers")
    def manager_names(self, obj: Team) -> str:
        return ", ".join(m.get_full_name() or m.username for m in obj.managers.all())


@admin.register(Role)
class RoleAdmin(ScopedAdmin):
    list_display = ["name", "code", "org_role", "in_scope", "job_type", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code"]


class ActiveTodayFilter(admin.SimpleListFilter):
    title = "active today"
    parameter_name = "active"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Active today"), ("no", "Not active today")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        active = Post.objects.active_on(today).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=active)
        if self.value() == "no":
            return queryset.exclude(pk__in=active)
        return queryset


@admin.register(Post)
class PostAdmin(SearchFilterMedia, ScopedAdmin):
    team_path = "team"
    list_display = [
        "reference",
        "team",
        "role",
        "fte",
        "funding",
        "active_from",
        "active_to",
        "vacancy_today",
    ]
    list_filter = [
        ActiveTodayFilter,
        "funding",
        "role",
        service_area_filter("team__service_area"),
        team_filter("team"),
        period_filter("active_from", "date active from"),
    ]
    search_fields = ["reference", "team__name", "team__service_area__name", "role__name"]
    list_select_related = ["team", "role"]
    inlines = [AssignmentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Today's vacancy comes from the same selector as every page; a post not active
        # today has none.
        return annotate_post_figures(super().get_queryset(request), timezone.localdate())

    @admin.display(description="Vacancy FTE today", ordering="vacancy_fte")
    def vacancy_today(self, obj: Post) -> str:
        if not obj.is_active_on(timezone.localdate()):
            return "–"
        return format_fte(obj.vacancy_fte)

    def save_service(self, obj: Post) -> None:
        services.save_post(post=obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for instance in instances:
            services.save_assignment(assignment=instance)
        formset.save_m2m()


@admin.register(Worker)
class WorkerAdmin(ScopedAdmin):
    readonly_fields = ["subject_access"]
    team_path = "assignments__post__team"
    list_display = [
        "staff_reference",
        "last_name",
        "first_name",
        "swe_number",
        "date_qualified",
        "service_start",
    ]
    search_fields = ["staff_reference", "first_name", "last_name", "swe_number"]
    list_filter = ["start_origin", "cfkss_status"]
    inlines = [AbsenceInline]
    fieldsets = [
        (None, {"fields": ["staff_reference", "first_name", "last_name"]}),
        (
            "Registration and service",
            {"fields": ["swe_number", "date_qualified", "service_start", "start_origin"]},
        ),
        ("Personal data", {"fields": ["subject_access"]}),
        (
            "Census fields (optional)",
            {
                "classes": ["collapse"],
                "fields": [
                    "birth_date",
                    "gender",
                    "ethnicity",
                    "qualification_level",
                    "qualifying_institution",
                    "cfkss_status",
                    "frontline_graduate",
                    "step_up_graduate",
                ],
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return distinct_when_narrowed(super().get_queryset(request), request)

    def save_service(self, obj: Worker) -> None:
        services.save_worker(worker=obj)

    @admin.display(description="Subject access")
    def subject_access(self, obj: Worker) -> str:
        if obj.pk is None:
            return "–"
        url = reverse("admin:workforce_worker_subject_access", args=[obj.pk])
        return format_html('<a href="{}">Download everything held about this worker (JSON)</a>', url)

    def get_urls(self) -> list:
        return [
            path(
                "<int:object_id>/subject-access/",
                self.admin_site.admin_view(self.subject_access_view),
                name="workforce_worker_subject_access",
            ),
            *super().get_urls(),
        ]

    def subject_access_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Return the subject access export of one worker, for HR and administrators only."""
        if access_for(request.user).role not in {ADMIN, HR}:
            raise PermissionDenied
        worker = get_object_or_404(self.get_queryset(request), pk=object_id)
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=[worker],
            action_flag=CHANGE,
            change_message="Produced a subject access export.",
            single_object=True,
        )
        response = HttpResponse(subject_access_json(worker), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="subject-access-{worker.pk}.json"'
        return response

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for instance in instances:
            services.save_absence(absence=instance)
        formset.save_m2m()


@admin.register(Assignment)
class AssignmentAdmin(SearchFilterMedia, ScopedAdmin):
    team_path = "post__team"
    list_display = [
        "worker",
        "post",
        "contract",
        "fte",
        "start",
        "end",
        "agency_reason",
        "supplier",
    ]
    list_filter = [
        "contract",
        "agency_reason",
        "supplier",
        "post__role",
        service_area_filter("post__team__service_area"),
        team_filter("post__team"),
        period_filter("start", "start date"),
    ]
    search_fields = [
        "worker__staff_reference",
        "worker__last_name",
        "post__reference",
        "post__team__name",
        "post__team__service_area__name",
    ]
    list_select_related = ["worker", "post", "supplier"]
    autocomplete_fields = ["worker", "post"]
    readonly_fields = ["agency_rules"]
    fieldsets = [
        (None, {"fields": ["worker", "post", "start", "end", "fte", "contract"]}),
        ("Agency: supplier and reason", {"fields": ["agency_reason", "supplier"]}),
        (
            "Agency: rates and charge",
            {
                "description": "Pounds an hour. The price cap covers the pay rate, employer National "
                "Insurance and the apprenticeship levy; the weekly charge is worked out from the rates "
                "and hours when left blank.",
                "fields": [
                    "pay_rate",
                    "employer_ni",
                    "apprenticeship_levy",
                    "agency_margin",
                    "hours_per_week",
                    "weekly_charge",
                ],
            },
        ),
        (
            "Agency: the national rules",
            {
                "fields": [
                    "notice_weeks",
                    "la_experience_months",
                    "reference_received",
                    "reference_given",
                    "cool_off_declaration",
                    "previous_role_left_on",
                    "cool_off_exception",
                ]
            },
        ),
        (
            "Agency: over the price cap",
            {
                "description": "An engagement over the regional price cap needs the sign-off of the Director "
                "of Children's Services and the chief executive: who, and when, for each.",
                "fields": ["dcs_sign_off_by", "dcs_sign_off_on", "ceo_sign_off_by", "ceo_sign_off_on"],
            },
        ),
        ("Agency: the rules checked", {"fields": ["agency_rules"]}),
    ]

    def save_service(self, obj: Assignment) -> None:
        services.save_assignment(assignment=obj)

    @admin.display(description="Each rule today")
    def agency_rules(self, obj: Assignment) -> str:
        found = engagement_of(obj.pk) if obj.pk else None
        if found is None:
            return "–"
        return format_html_join(
            "",
            "<div><strong>{}</strong>: {}. {}. {}</div>",
            ((result.name, result.status.label, result.detail, result.exception) for result in found.results),
        )


@admin.register(Absence)
class AbsenceAdmin(ScopedAdmin):
    team_path = "worker__assignments__post__team"
    list_display = ["worker", "reason", "start", "end", "working_days_lost"]
    list_filter = ["reason", period_filter("start", "start date")]
    search_fields = ["worker__staff_reference", "worker__last_name"]
    list_select_related = ["worker"]
    autocomplete_fields = ["worker"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return distinct_when_narrowed(super().get_queryset(request), request)

    def save_service(self, obj: Absence) -> None:
        services.save_absence(absence=obj)


# The caseloads and agency records (suppliers, price caps, permanent costs, invoice lines) register here too.
from workforce import admin_caseloads  # noqa: E402, F401, I001 - registers caseloads and comparators
from workforce import agency_admin  # noqa: E402, F401, I001
