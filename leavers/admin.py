"""Leavers, exit conversations and their code tables in the Django admin, for HR staff.

Every save goes through ``leavers.services``; the leaver and conversation lists are
team-scoped through ``ScopedAdmin``, so nobody reaches a team they may not see.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from access.admin import ScopedAdmin, fte_column
from access.admin_filters import SearchFilterMedia, period_filter, service_area_filter, team_filter
from access.scoping import restrict
from leavers import services
from leavers.models import Destination, ExitConversation, ExitReason, Leaver, LeavingCategory
from leavers.rules import DERIVED_FIELDS


class CodeAdmin(ScopedAdmin):
    list_display = ["name", "code", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["active"]
    search_fields = ["name", "code"]


@admin.register(LeavingCategory)
class LeavingCategoryAdmin(CodeAdmin):
    list_display = ["name", "code", "census_reason", "active", "order"]


@admin.register(Destination)
class DestinationAdmin(CodeAdmin):
    list_display = ["name", "code", "census_destination", "active", "order"]


@admin.register(ExitReason)
class ExitReasonAdmin(CodeAdmin):
    pass


class ConversationRecordedFilter(admin.SimpleListFilter):
    title = "exit conversation"
    parameter_name = "conversation"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Recorded"), ("no", "Not recorded")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in {"yes", "no"}:
            return queryset.filter(exit_conversation__isnull=self.value() == "no")
        return queryset


@admin.register(Leaver)
class LeaverAdmin(SearchFilterMedia, ScopedAdmin):
    team_path = "team"
    list_display = [
        "worker",
        "leaving_date",
        "category",
        "team",
        "role",
        "fte_at_leaving",
        "service_years",
        "conversation_recorded",
    ]
    list_filter = [
        ConversationRecordedFilter,
        "category",
        service_area_filter("team__service_area"),
        team_filter("team"),
        "role",
        period_filter("leaving_date", "leaving date"),
    ]
    search_fields = [
        "worker__staff_reference",
        "worker__last_name",
        "worker__first_name",
        "team__name",
        "team__service_area__name",
    ]
    list_select_related = ["worker", "category", "team", "role", "exit_conversation"]
    autocomplete_fields = ["worker"]
    # The FTE at leaving shown as the papers print it ("1.0"), not as stored ("1.0000").
    readonly_fields = [
        *(f"{name}_shown" if name == "fte_at_leaving" else name for name in DERIVED_FIELDS),
        "recorded_by",
        "anonymised_on",
    ]
    fields = ["worker", "leaving_date", "category", *readonly_fields]
    fte_at_leaving_shown = staticmethod(fte_column("fte_at_leaving", "FTE at leaving"))

    def get_readonly_fields(self, request: HttpRequest, obj: Leaver | None = None) -> list[str]:
        if obj is not None and obj.pk:
            return ["worker", "leaving_date", *self.readonly_fields]
        return list(self.readonly_fields)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "category":
            leaver = getattr(request, "_leaver_being_edited", None)
            kwargs["queryset"] = LeavingCategory.objects.choosable(leaver.category_id if leaver else None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Leaver | None = None, change: bool = False, **kwargs: Any):
        request._leaver_being_edited = obj
        return super().get_form(request, obj, change=change, **kwargs)

    @admin.display(description="Exit conversation", boolean=True)
    def conversation_recorded(self, obj: Leaver) -> bool:
        return hasattr(obj, "exit_conversation")

    def save_model(self, request: HttpRequest, obj: Leaver, form: Any, change: bool) -> None:
        services.save_leaver(leaver=obj, user=request.user)


class ExitConversationForm(forms.ModelForm):
    class Meta:
        model = ExitConversation
        fields = ["leaver", "held_on", "destination", "reasons", "notes", "quote", "quote_consent"]
        widgets = {"reasons": forms.CheckboxSelectMultiple}


@admin.register(ExitConversation)
class ExitConversationAdmin(SearchFilterMedia, ScopedAdmin):
    team_path = "leaver__team"
    form = ExitConversationForm
    list_display = ["leaver", "held_on", "destination", "quote_consent", "team"]
    list_filter = [
        "destination",
        "reasons",
        "quote_consent",
        service_area_filter("leaver__team__service_area"),
        team_filter("leaver__team"),
        period_filter("held_on", "conversation date"),
    ]
    search_fields = [
        "leaver__worker__staff_reference",
        "leaver__worker__last_name",
        "leaver__team__name",
        "leaver__team__service_area__name",
    ]
    list_select_related = ["leaver__worker", "leaver__team", "destination"]
    readonly_fields = ["recorded_by"]

    @admin.display(description="Team", ordering="leaver__team__name")
    def team(self, obj: ExitConversation) -> str:
        return obj.leaver.team.name

    def get_readonly_fields(self, request: HttpRequest, obj: ExitConversation | None = None) -> list[str]:
        if obj is not None and obj.pk:
            return ["leaver", *self.readonly_fields]
        return list(self.readonly_fields)

    def get_form(
        self, request: HttpRequest, obj: ExitConversation | None = None, change: bool = False, **kwargs: Any
    ):
        request._conversation_being_edited = obj
        return super().get_form(request, obj, change=change, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        conversation = getattr(request, "_conversation_being_edited", None)
        if db_field.name == "leaver":
            leavers = Leaver.objects.filter(exit_conversation__isnull=True).select_related("worker")
            kwargs["queryset"] = restrict(leavers, request.user, "team")
        if db_field.name == "destination":
            kwargs["queryset"] = Destination.objects.choosable(
                conversation.destination_id if conversation else None
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "reasons":
            conversation = getattr(request, "_conversation_being_edited", None)
            kept = list(conversation.reasons.values_list("pk", flat=True)) if conversation else []
            kwargs["queryset"] = ExitReason.objects.choosable(*kept)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: ExitConversation, form: Any, change: bool) -> None:
        services.save_exit_conversation(
            conversation=obj, reasons=form.cleaned_data["reasons"], user=request.user
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The service has already set the reasons; only inline formsets (none today) remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
