"""The committee reports page: the list, each paper, publishing and exports.

Directors (and administrators) see drafts and published papers, publish and export;
everyone else sees published papers only, and readers and managers see their figures
without the narrative or quotes.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_tables2 import RequestConfig

from access.roles import DIRECTOR, HR
from access.scoping import ADMIN, EVERYONE, access_for, role_required
from reporting import services
from reporting.exporters import EXPORTERS
from reporting.exporters.paper import paper_context
from reporting.models import CommitteeReport, ReportStatus
from reporting.outline import without_words
from reporting.selectors import changes_since_published, publication_preview, report_preview, report_summary
from reporting.tables import ReportTable

AUTHORS = (ADMIN, DIRECTOR)  # see drafts
FULL_PAPER = (ADMIN, DIRECTOR, HR)  # see the narrative and quotes of a published paper


def visible_reports(user: object) -> QuerySet[CommitteeReport]:
    """Return the reports ``user`` may open: every one for authors, published ones for others."""
    reports = CommitteeReport.objects.select_related("published_by", "supersedes")
    if access_for(user).role in AUTHORS:
        return reports
    return reports.filter(status=ReportStatus.PUBLISHED)


def render_export(
    report: CommitteeReport, identifier: str, *, user: object, via: str
) -> tuple[str, str, bytes]:
    """Return ``report`` exported as ``identifier`` (filename, content type, bytes), logged as
    exported by ``user``. The reports page's background exports call this too."""
    filename, content_type, content = EXPORTERS[identifier].render(report_summary(report))
    services.log_export(
        user=user, format=identifier, as_at=report.as_at, scope=report.scope, report=report, via=via
    )
    return filename, content_type, content


def export_response(
    request: HttpRequest, report: CommitteeReport, identifier: str, *, via: str
) -> HttpResponse:
    """Return ``report`` exported as ``identifier`` (logged), for a user allowed to export."""
    if not request.user.has_perm("reporting.export_committeereport"):
        raise PermissionDenied
    if identifier not in EXPORTERS:
        raise Http404("No such export format.")
    filename, content_type, content = render_export(report, identifier, user=request.user, via=via)
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if identifier == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@role_required(*EVERYONE)
def reports(request: HttpRequest) -> HttpResponse:
    """List the committee reports the user may open."""
    table = ReportTable(visible_reports(request.user))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "reporting/reports.html",
        {"table": table, "is_author": access_for(request.user).role in AUTHORS},
    )


@role_required(*EVERYONE)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one report as the paper; ``?compare=1`` lists what would differ if built today."""
    committee_report = get_object_or_404(visible_reports(request.user), pk=pk)
    role = access_for(request.user).role
    summary, updating = report_preview(committee_report)
    if role not in FULL_PAPER:
        summary = without_words(summary)
    differences = None
    if request.GET.get("compare") and committee_report.is_published and role in AUTHORS:
        differences = changes_since_published(committee_report)
    return render(
        request,
        "reporting/report.html",
        {
            **paper_context(summary),
            "report": committee_report,
            "exporters": EXPORTERS.values(),
            "can_publish": not committee_report.is_published
            and request.user.has_perm("reporting.publish_committeereport"),
            "can_export": role in AUTHORS and request.user.has_perm("reporting.export_committeereport"),
            "can_compare": committee_report.is_published and role in AUTHORS,
            "differences": differences,
            "updating": updating,
            "built_at": summary.built_at,
        },
    )


def confirmed(request: HttpRequest, report: CommitteeReport) -> bool:
    """Return True if the check page's confirmation (naming the committee and meeting) was ticked."""
    return request.POST.get("confirm") == str(report.pk)


@role_required(DIRECTOR)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Show what is missing or doubtful in a draft, and publish it once confirmed,
    freezing the figures it shows and recording who published it and when."""
    committee_report = get_object_or_404(CommitteeReport.objects.select_related("supersedes"), pk=pk)
    if not request.user.has_perm("reporting.publish_committeereport"):
        raise PermissionDenied
    if committee_report.is_published:
        messages.error(request, "This paper is already published; correct it with a new version.")
        return redirect("reporting:report", pk=committee_report.pk)
    if request.method == "POST":
        if not confirmed(request, committee_report):
            messages.error(request, "Tick the confirmation naming the committee and meeting date to publish.")
        else:
            try:
                services.publish_report(report=committee_report, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Published: the figures shown are now frozen in the report.")
                return redirect("reporting:report", pk=committee_report.pk)
    summary, concerns = publication_preview(committee_report)
    return render(
        request,
        "reporting/publish.html",
        {
            **paper_context(summary),
            "report": committee_report,
            "concerns": concerns,
            "action": reverse("reporting:publish", args=[committee_report.pk]),
        },
    )


@role_required(DIRECTOR)
def export(request: HttpRequest, pk: int, identifier: str) -> HttpResponse:
    """Download the report in one of the export formats."""
    committee_report = get_object_or_404(CommitteeReport, pk=pk)
    return export_response(request, committee_report, identifier, via="web")
