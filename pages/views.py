"""Pages of background work (a job's progress and its result) and of building a committee report."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_POST

from access.roles import DIRECTOR
from access.scoping import role_required
from dataio import background as imports
from foundation.periods import quarter_end_on_or_before
from jobs import work as jobs
from jobs.models import Job, JobKind
from pages import exports
from pages.forms import NewReportForm
from reporting import services
from reporting.exporters import EXPORTERS
from reporting.models import CommitteeReport
from reporting.views import visible_reports

REFRESH_SECONDS = 2
STATEMENT_PREPARED = dt.date(2026, 12, 4)  # when the accessibility statement was last reviewed


def _own_job(request: HttpRequest, pk: Any) -> Job:
    """Return the job ``pk`` if the signed-in user started it; anyone else is told it does not exist."""
    return get_object_or_404(Job, pk=pk, owner=request.user)


@login_required
def job(request: HttpRequest, pk: Any) -> HttpResponse:
    """Show a job's progress (the page refreshes itself until it is done), then its result."""
    request.keep_session_unsaved = True  # watching must not wait on the job's writes
    jobs.sweep()  # a job whose worker stopped is shown as interrupted, not running for ever
    found = _own_job(request, pk)
    content = jobs.result_bytes(found) if found.kind == JobKind.IMPORT else None
    context = {
        "job": found,
        "refresh": not found.finished,
        "refresh_seconds": REFRESH_SECONDS,
        "waiting_too_long": jobs.waiting_too_long(found),
        "elapsed": int(((found.finished_at or timezone.now()) - found.created_at).total_seconds()),
        "import_report": imports.job_report(found, content),
        "kept": jobs.result_kept(found) if found.kind == JobKind.EXPORT else content is not None,
    }
    return render(request, "pages/job.html", context)


@login_required
def job_download(request: HttpRequest, pk: Any) -> HttpResponse:
    """Download a finished job's file (only the person who started it may)."""
    found = _own_job(request, pk)
    content = jobs.result_bytes(found)
    if content is None:
        raise Http404("This file is not ready, or is no longer kept: start the work again.")
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=found.result_name, content_type=found.result_type
    )


@require_POST
@role_required(DIRECTOR)
def export_report(request: HttpRequest, pk: int, identifier: str) -> HttpResponse:
    """Start exporting a committee report in the background and show its progress."""
    if not request.user.has_perm("reporting.export_committeereport"):
        raise PermissionDenied
    if identifier not in EXPORTERS:
        raise Http404("No such export format.")
    report = get_object_or_404(visible_reports(request.user), pk=pk)
    started = exports.start_export(report=report, identifier=identifier, user=request.user)
    return redirect(started)


@role_required(DIRECTOR)
def new_report(request: HttpRequest) -> HttpResponse:
    """Build a new draft committee report: the committee, the meeting, the as-at date and the teams."""
    if not request.user.has_perm("reporting.add_committeereport"):
        raise PermissionDenied
    if request.method == "POST":
        form = NewReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.save_report(report=form.instance)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    "Draft saved. Check the paper below, then publish it to freeze its figures.",
                )
                return redirect("reporting:report", pk=report.pk)
    else:
        latest = CommitteeReport.objects.order_by("-pk").values_list("committee", flat=True).first()
        form = NewReportForm(
            initial={"as_at": quarter_end_on_or_before(timezone.localdate()), "committee": latest or ""}
        )
    return render(request, "pages/new_report.html", {"form": form})


def accessibility(request: HttpRequest) -> HttpResponse:
    """Show the accessibility statement (open to everyone, signed in or not), as the Public
    Sector Bodies Accessibility Regulations 2018 require of a council's service."""
    return render(
        request,
        "pages/accessibility.html",
        {
            "prepared": STATEMENT_PREPARED,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "organisation": settings.ACCESSIBILITY_ORGANISATION,
        },
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Send browsers that ask for /favicon.ico to the product's icon."""
    return redirect(static("favicon.svg"), permanent=True)
