"""The committee report in the admin: assemble it, preview it as the paper, publish, export.
Strategy actions and agency budgets are kept here too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse

from access.admin import ScopedAdmin
from foundation.windows import SECTION_WINDOWS, Window, WindowError, check_window
from reporting import services
from reporting.exporters import EXPORTERS
from reporting.exporters.paper import paper_context
from reporting.models import NARRATIVE_FIELDS, AgencyBudget, CommitteeReport, ExportLog, StrategyAction
from reporting.selectors import changes_since_published, live_summary, publication_preview, report_summary
from reporting.sentences import DRAFTERS
from reporting.views import confirmed, export_response

SENTENCE_FIELDS = [f"sentence_{key}" for key in DRAFTERS]
WINDOW_FIELDS = [[f"window_{key}_start", f"window_{key}_end"] for key, _ in SECTION_WINDOWS]
WINDOWS_HELP = (
    "Each section counted over a period uses the default window (the months above to the as-at date, or "
    "the dates given instead) unless it has its own dates here. A window may not end after the as-at date. "
    "The paper prints each section's window in its heading; the JSON export gives it too. From the command "
    "line: --window-start/--window-end for all sections, --window leavers=2014-04-01:2016-05-31 for one."
)
SCOPE_HELP = (
    "all; or any of case-holding, service-area:NAME, team:NAME[,NAME...] and role:NAME separated by ';', "
    "e.g. case-holding;service-area:Children in Care;role:Social Worker. Kept by id."
)


def _sentence_field() -> forms.CharField:
    return forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 100}))


def _window_field(label: str) -> forms.DateField:
    return forms.DateField(required=False, label=label, widget=forms.DateInput(attrs={"type": "date"}))


class CommitteeReportForm(forms.ModelForm):
    """The report's fields, plus one box per figures section for its sentence.

    A box left as drafted is not stored, so the sentence keeps following the figures
    until the report is published; a changed one is the author's wording from then on.
    """

    sentence_measures = _sentence_field()
    sentence_vacancies = _sentence_field()
    sentence_agency = _sentence_field()
    sentence_agency_rules = _sentence_field()
    sentence_permanent_fill = _sentence_field()
    sentence_starters = _sentence_field()
    sentence_recruitment = _sentence_field()
    sentence_leavers = _sentence_field()
    sentence_reasons = _sentence_field()
    sentence_experience = _sentence_field()
    sentence_caseloads = _sentence_field()
    sentence_absence = _sentence_field()
    sentence_strategy = _sentence_field()
    sentence_agency_spend = _sentence_field()
    sentence_forecast = _sentence_field()

    drafts: dict[str, tuple[str, str]] = {}  # section key: (title, drafted sentence); set per request

    # One pair per foundation.windows.SECTION_WINDOWS (a test keeps them in step).
    window_starters_start = _window_field("Starters: from")
    window_starters_end = _window_field("Starters: to")
    window_recruitment_start = _window_field("Recruitment: from")
    window_recruitment_end = _window_field("Recruitment: to")
    window_leavers_start = _window_field("Leavers: from")
    window_leavers_end = _window_field("Leavers: to")
    window_reasons_start = _window_field("Reasons for leaving and destinations: from")
    window_reasons_end = _window_field("Reasons for leaving and destinations: to")
    window_absence_start = _window_field("Absence: from")
    window_absence_end = _window_field("Absence: to")
    window_agency_spend_start = _window_field("Agency spend: from")
    window_agency_spend_end = _window_field("Agency spend: to")

    class Meta:
        model = CommitteeReport
        fields = [
            "title",
            "committee",
            "meeting_date",
            "as_at",
            "comparison_dates",
            "scope",
            "window_months",
            "window_start",
            "window_end",
            "large_tables_in_appendix",
            "forecast_included",
            "forecast_scenario",
            *(name for name, _ in NARRATIVE_FIELDS),
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, window in self.instance.window_overrides().items() if self.instance.pk else ():
            self.fields[f"window_{key}_start"].initial = window.start
            self.fields[f"window_{key}_end"].initial = window.end
        for key in DRAFTERS:
            name = f"sentence_{key}"
            if name not in self.fields:
                continue
            title, draft = self.drafts.get(key, (key, ""))
            field = self.fields[name]
            field.label = f"{title}: sentence"
            field.initial = (self.instance.sentences or {}).get(key) or draft
            field.help_text = f"Drafted from today's figures: “{draft}”"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        windows, as_at, failed = {}, cleaned.get("as_at"), False
        for key, name in SECTION_WINDOWS:
            start, end = cleaned.get(f"window_{key}_start"), cleaned.get(f"window_{key}_end")
            if bool(start) != bool(end):
                self.add_error(
                    f"window_{key}_end", f"Give both ends of the {name.lower()} window, or neither."
                )
                failed = True
            elif start and end:
                try:
                    check_window(Window(start, end), as_at or end, what=f"The {name.lower()} window")
                except WindowError as error:
                    self.add_error(f"window_{key}_end", str(error))
                    failed = True
                windows[key] = Window(start, end).as_text()
        if not failed:
            # Checked here, field by field, so the model's own check of them always passes.
            self.instance.section_windows = windows
        if self.drafts:
            edited = {}
            for key, (_, draft) in self.drafts.items():
                text = " ".join((cleaned.get(f"sentence_{key}") or "").split())
                if text and text != draft:
                    edited[key] = text
            self.instance.sentences = edited
        return cleaned


@admin.register(CommitteeReport)
class CommitteeReportAdmin(ScopedAdmin):
    form = CommitteeReportForm
    change_form_template = "reporting/admin/change_form.html"
    list_display = ["committee", "meeting_date", "as_at", "scope", "version", "status", "published_at"]
    list_filter = ["status", "committee"]
    search_fields = ["committee", "title"]
    date_hierarchy = "as_at"
    readonly_fields = ["status", "version", "supersedes", "published_at", "published_by"]
    actions = ["copy_to_new_draft", "correct_with_new_version"]

    @admin.action(description="Copy to a new draft (to roll a paper forward)")
    def copy_to_new_draft(self, request: HttpRequest, queryset: Any) -> None:
        for report in queryset:
            services.copy_report(report=report)
        self.message_user(request, f"Copied {len(queryset)} report(s) to new drafts.")

    @admin.action(description="Correct a published paper with a new version")
    def correct_with_new_version(self, request: HttpRequest, queryset: Any) -> None:
        for report in queryset:
            try:
                correction = services.correct_report(report=report)
            except ValidationError as error:
                self.message_user(request, f"{report}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{report}: version {correction.version} is a new draft (report {correction.pk}).",
                )

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "scope" and field is not None:
            field.help_text = SCOPE_HELP
        return field

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("published_by", "supersedes")

    def get_fieldsets(self, request: HttpRequest, obj: CommitteeReport | None = None) -> list:
        fieldsets: list = [
            (
                None,
                {
                    "fields": [
                        "title",
                        "committee",
                        "meeting_date",
                        "as_at",
                        "comparison_dates",
                        "scope",
                        "large_tables_in_appendix",
                        "status",
                        "version",
                        "supersedes",
                        "published_at",
                        "published_by",
                    ]
                },
            ),
            (
                "Windows",
                {
                    "fields": ["window_months", ["window_start", "window_end"], *WINDOW_FIELDS],
                    "description": WINDOWS_HELP,
                },
            ),
            ("Looking ahead (optional)", {"fields": ["forecast_included", "forecast_scenario"]}),
            ("The paper's own words", {"fields": [name for name, _ in NARRATIVE_FIELDS]}),
        ]
        if obj is not None and not obj.is_published and self.has_change_permission(request, obj):
            shown = [name for name in SENTENCE_FIELDS if name != "sentence_forecast" or obj.forecast_included]
            fieldsets.append(
                (
                    "Sentences drafted from the figures (a box left as drafted follows the figures)",
                    {"fields": shown},
                )
            )
        return fieldsets

    def get_form(
        self, request: HttpRequest, obj: CommitteeReport | None = None, change: bool = False, **kwargs
    ):
        form = super().get_form(request, obj, change, **kwargs)
        drafts: dict[str, tuple[str, str]] = {}
        if obj is not None and not obj.is_published:
            summary = live_summary(obj)
            drafts = {section.key: (section.title, section.drafted) for section in summary.sections}
        return type(form.__name__, (form,), {"drafts": drafts})

    def has_change_permission(self, request: HttpRequest, obj: CommitteeReport | None = None) -> bool:
        # A published paper is a record of what went to the committee: view it, never edit it.
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: CommitteeReport | None = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_service(self, obj: CommitteeReport) -> None:
        services.save_report(report=obj)

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/preview/", wrap(self.preview_view), name="reporting_committeereport_preview"
            ),
            path(
                "<int:object_id>/publish/", wrap(self.publish_view), name="reporting_committeereport_publish"
            ),
            path(
                "<int:object_id>/export/<str:identifier>/",
                wrap(self.export_view),
                name="reporting_committeereport_export",
            ),
            path(
                "<int:object_id>/changes/", wrap(self.changes_view), name="reporting_committeereport_changes"
            ),
        ] + super().get_urls()

    def _report(self, request: HttpRequest, object_id: int) -> CommitteeReport:
        report = self.get_object(request, str(object_id))
        if report is None or not self.has_view_permission(request, report):
            raise Http404("No such committee report.")
        return report

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        extra_context = {**(extra_context or {}), **self._buttons(request, object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _buttons(self, request: HttpRequest, object_id: str) -> dict[str, Any]:
        report = self.get_object(request, object_id)
        return {
            "report": report,
            "exporters": EXPORTERS.values(),
            "can_publish": bool(report)
            and not report.is_published
            and request.user.has_perm("reporting.publish_committeereport"),
            "can_export": request.user.has_perm("reporting.export_committeereport"),
        }

    def preview_view(self, request: HttpRequest, object_id: int) -> TemplateResponse:
        report = self._report(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            **paper_context(report_summary(report)),
            **self._buttons(request, str(object_id)),
            "opts": self.model._meta,
            "title": f"Preview: {report}",
        }
        return TemplateResponse(request, "reporting/admin/preview.html", context)

    def publish_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Show what is missing or doubtful, then publish once the committee and meeting
        date are confirmed."""
        report = self._report(request, object_id)
        if not request.user.has_perm("reporting.publish_committeereport"):
            raise PermissionDenied
        if report.is_published:
            self.message_user(request, "Already published: correct it with a new version.", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:reporting_committeereport_change", args=[report.pk]))
        if request.method == "POST":
            if not confirmed(request, report):
                self.message_user(
                    request, "Tick the confirmation naming the committee and meeting date.", messages.ERROR
                )
            else:
                try:
                    services.publish_report(report=report, user=request.user)
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                else:
                    self.message_user(request, "Published: the figures shown are now frozen in the report.")
                    return HttpResponseRedirect(
                        reverse("admin:reporting_committeereport_change", args=[report.pk])
                    )
        summary, concerns = publication_preview(report)
        context = {
            **self.admin_site.each_context(request),
            **paper_context(summary),
            "opts": self.model._meta,
            "report": report,
            "concerns": concerns,
            "action": reverse("admin:reporting_committeereport_publish", args=[report.pk]),
            "title": f"Publish: {report}",
        }
        return TemplateResponse(request, "reporting/admin/publish.html", context)

    def export_view(self, request: HttpRequest, object_id: int, identifier: str) -> HttpResponse:
        report = self._report(request, object_id)
        return export_response(request, report, identifier, via="admin")

    def changes_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        report = self._report(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "report": report,
            "title": f"What would differ if built today: {report}",
            "differences": changes_since_published(report),
        }
        return render(request, "reporting/admin/changes.html", context)


@admin.register(StrategyAction)
class StrategyActionAdmin(ScopedAdmin):
    list_display = ["title", "owner", "due_date", "status"]
    list_filter = ["status"]
    list_editable = ["status"]
    search_fields = ["title", "owner"]
    date_hierarchy = "due_date"

    def save_service(self, obj: StrategyAction) -> None:
        services.save_strategy_action(action=obj)


@admin.register(AgencyBudget)
class AgencyBudgetAdmin(ScopedAdmin):
    list_display = ["period_start", "period_end", "amount", "notes"]

    def save_service(self, obj: AgencyBudget) -> None:
        services.save_agency_budget(budget=obj)


@admin.register(ExportLog)
class ExportLogAdmin(ScopedAdmin):
    list_display = ["created_at", "user", "report", "format", "as_at", "scope", "published_figures", "via"]
    list_filter = ["format", "via", "published_figures"]
    list_select_related = ["user", "report"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ExportLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ExportLog | None = None) -> bool:
        return False
