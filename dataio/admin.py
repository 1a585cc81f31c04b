"""The import page in the admin: upload, dry-run preview, then confirm; and the log of imports."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from access.admin import ScopedAdmin
from access.roles import HR
from access.scoping import ADMIN, access_for
from dataio import background as imports
from dataio import uploads
from dataio.forms import UploadForm
from dataio.importing.engine import Source, run_import
from dataio.importing.report import ImportReport
from dataio.models import ImportRun
from dataio.services import record_import_run

CHANNEL = "admin"


def may_import(request: HttpRequest) -> bool:
    """Return whether the signed-in user may import: HR staff and administrators."""
    user = request.user
    return bool(user.is_active and user.is_staff and access_for(user).role in {HR, ADMIN})


@admin.register(ImportRun)
class ImportRunAdmin(ScopedAdmin):
    """The log of imports (read only), with the page that makes new ones."""

    change_list_template = "dataio/importrun_change_list.html"
    list_display = [
        "at",
        "outcome",
        "channel",
        "user",
        "file_names",
        "created",
        "updated",
        "unchanged",
        "problem_count",
    ]
    list_filter = ["outcome", "channel"]
    list_select_related = ["user"]
    readonly_fields = [
        "at",
        "user",
        "channel",
        "outcome",
        "files",
        "created",
        "updated",
        "unchanged",
        "problem_count",
        "problems",
    ]

    @admin.display(description="Files")
    def file_names(self, run: ImportRun) -> str:
        return ", ".join(f"{file.get('name')} ({file.get('kind') or '?'})" for file in run.files)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_import(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_import(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="dataio_importrun_upload"),
            path(
                "confirm/<str:token>/", view(require_POST(self.confirm_view)), name="dataio_importrun_confirm"
            ),
            *super().get_urls(),
        ]

    def _page(self, request: HttpRequest, template: str, **context: Any) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Import files",
                **context,
            },
        )

    def _preview(self, request: HttpRequest, report: ImportReport, token: str | None) -> TemplateResponse:
        return self._page(request, "dataio/import_preview.html", report=report, token=token)

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Show the upload form; on upload, run the import as a dry run and show what it would do."""
        if not may_import(request):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
        if form.is_bound and form.is_valid():
            sources = [
                Source(name=upload.name, content=upload.read()) for upload in form.cleaned_data["files"]
            ]
            if imports.in_background(sources):
                # A large extract is checked in the background; its page shows the progress.
                token = uploads.keep(request, sources)
                job = imports.start_import(
                    sources=sources, dry_run=True, user=request.user, channel=CHANNEL, token=token
                )
                return HttpResponseRedirect(job.get_absolute_url())
            report = run_import(sources, dry_run=True, user=request.user)
            record_import_run(report=report, user=request.user, channel=CHANNEL)
            token = uploads.keep(request, sources) if report.ok else None
            return self._preview(request, report, token)
        return self._page(request, "dataio/import_upload.html", form=form)

    def confirm_view(self, request: HttpRequest, token: str) -> HttpResponse:
        """Import the files previewed under ``token`` for real, if they are still clean."""
        if not may_import(request):
            raise PermissionDenied
        sources = uploads.load(request, token)
        if sources is None:
            messages.error(
                request,
                "Those files are no longer here (or were uploaded by someone else). Upload them again.",
            )
            return HttpResponseRedirect(reverse("admin:dataio_importrun_upload"))
        if imports.in_background(sources):
            uploads.discard(request, token)
            job = imports.start_import(sources=sources, dry_run=False, user=request.user, channel=CHANNEL)
            return HttpResponseRedirect(job.get_absolute_url())
        report = run_import(sources, dry_run=False, user=request.user)
        record_import_run(report=report, user=request.user, channel=CHANNEL)
        uploads.discard(request, token)
        if not report.ok:
            # The records changed since the preview; show why, and keep nothing.
            return self._preview(request, report, None)
        messages.success(request, report.summary())
        return HttpResponseRedirect(reverse("admin:dataio_importrun_changelist"))
