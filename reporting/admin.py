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
from reporting import services
from reporting.exporters import EXPORTERS
from reporting.exporters.paper import paper_context
from reporting.models import NARRATIVE_FIELDS, AgencyBudget, CommitteeReport, ExportLog, StrategyAction
from reporting.selectors import changes_since_published, live_summary, report_summary
from reporting.sentences import DRAFTERS
from reporting.views import export_response

SENTENCE_FIELDS = [f"sentence_{key}" for key in DRAFTERS]


def _sentence_field() -> forms.CharField:
    return forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 100}))


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
    sentence_experience = _sentence_field()
    sentence_absence = _sentence_field()
    sentence_strategy = _sentence_field()
    sentence_agency_spend = _sentence_field()

    drafts: dict[str, tuple[str, str]] = {}  # section key: (title, drafted sentence); set per request

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
            *(name for name, _ in NARRATIVE_FIELDS),
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
    list_display = ["committee", "meeting_date", "as_at", "scope", "status", "published_at"]
    list_filter = ["status", "committee"]
    search_fields = ["committee", "title"]
    date_hierarchy = "as_at"
    readonly_fields = ["status", "published_at", "published_by"]
    actions = ["copy_to_new_draft"]

    @admin.action(description="Copy to a new draft (to correct or roll forward a paper)")
    def copy_to_new_draft(self, request: HttpRequest, queryset: Any) -> None:
        for report in queryset:
            services.copy_report(report=report)
        self.message_user(request, f"Copied {len(queryset)} report(s) to new drafts.")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("published_by")

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
                        "window_months",
                        "status",
                        "published_at",
                        "published_by",
                    ]
                },
            ),
            ("The paper's own words", {"fields": [name for name, _ in NARRATIVE_FIELDS]}),
        ]
        if obj is not None and not obj.is_published and self.has_change_permission(request, obj):
            fieldsets.append(
                (
                    "Sentences drafted from the figures (a box left as drafted follows the figures)",
                    {"fields": SENTENCE_FIELDS},
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
        report = self._report(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:reporting_committeereport_preview", args=[report.pk]))
        if not request.user.has_perm("reporting.publish_committeereport"):
            raise PermissionDenied
        try:
            services.publish_report(report=report, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, "Published: the figures shown are now frozen in the report.")
        return HttpResponseRedirect(reverse("admin:reporting_committeereport_change", args=[report.pk]))

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
