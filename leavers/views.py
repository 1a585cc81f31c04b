"""The leavers page (the manager's list and the analysis) and the exit conversation form."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_tables2 import RequestConfig

from access.scoping import EVERYONE, access_for, restrict, role_required, scope_for
from foundation import measures
from foundation.dates import long_date, typed_date
from foundation.periods import twelve_months_to
from leavers.filters import LeaverFilter
from leavers.forms import ExitConversationForm, leavers_for
from leavers.models import Leaver
from leavers.selectors import leavers_analysis
from leavers.services import RECORD_PERMISSION
from leavers.tables import LeaversTable
from workforce.scopes import Scope

EARLIEST = dt.date(1900, 1, 1)


def _with_default_period(request: HttpRequest) -> dict[str, Any]:
    """Return the query with the period defaulting to the 12 months to today."""
    data = request.GET.copy()
    if "period_after" not in data and "period_before" not in data:
        start, end = twelve_months_to(timezone.localdate())
        data["period_after"] = typed_date(start)
        data["period_before"] = typed_date(end)
    return data


def _analysis_window(filterset: LeaverFilter) -> tuple[dt.date, dt.date]:
    period = filterset.form.cleaned_data.get("period") if filterset.form.is_valid() else None
    start = _as_date(period.start) if period and period.start else EARLIEST
    end = _as_date(period.stop) if period and period.stop else timezone.localdate()
    return start, end


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    """Return ``value`` as a local date (the range field gives aware datetimes)."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _chosen_scope(chosen: dict[str, Any]) -> Scope | None:
    """Return the scope the filter's service area, teams, case-holding and role choose
    (None: every team), as ``Scope.parse`` reads the same choices on reports."""
    area, teams, role = chosen.get("service_area"), list(chosen.get("team") or []), chosen.get("role")
    case_holding = bool(chosen.get("case_holding"))
    if area is None and not teams and role is None and not case_holding:
        return None
    return Scope.build(case_holding_only=case_holding, service_area=area, teams=teams, role=role)


def _rows(shares: list) -> dict[str, list]:
    """Return the shares with leavers as rows, and the names of those with none apart (a
    table of 0.0% rows says nothing; the names are listed under it, closed)."""
    return {
        "rows": [
            {"label": share.label, "count": share.count, "percent": measures.format_rate(share.percent)}
            for share in shares
            if share.count
        ],
        "none": [share.label for share in shares if not share.count],
    }


@role_required(*EVERYONE)
def leavers(request: HttpRequest) -> HttpResponse:
    """Show the user's teams' leavers (names only for those allowed) and the leavers analysis."""
    access = access_for(request.user)
    queryset = restrict(
        Leaver.objects.select_related(
            "worker", "team", "role", "category", "exit_conversation__destination"
        ).order_by("-leaving_date", "pk"),
        request.user,
        "team",
    )
    filterset = LeaverFilter(_with_default_period(request), queryset=queryset, request=request)
    table = None
    if access.sees_names:
        table = LeaversTable(filterset.qs, can_record=request.user.has_perm(RECORD_PERMISSION))
        RequestConfig(request, paginate={"per_page": 50}).configure(table)

    start, end = _analysis_window(filterset)
    chosen = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    asked = _chosen_scope(chosen)
    scope = scope_for(request.user, asked)
    if asked is None and not access.sees_all_teams:
        scope = replace(scope, label="The teams you manage")
    analysis = leavers_analysis(start=start, end=end, scope=scope)
    filterset.offer_choices()
    return render(
        request,
        "leavers/leavers.html",
        {
            "filter": filterset,
            "table": table,
            "analysis": analysis,
            "start": None if start == EARLIEST else start,
            "end": end,
            "total_fte": measures.format_fte(analysis.total_fte),
            "by_category": _rows(analysis.by_category),
            "by_census_reason": _rows(analysis.by_census_reason),
            "service_bands": _rows(analysis.service_bands),
            "citing_reason": _rows(analysis.citing_reason),
            "by_destination": _rows(analysis.by_destination),
            "show_quotes": access.sees_names,
        },
    )


@role_required(*EVERYONE)
def conversation(request: HttpRequest) -> HttpResponse:
    """Record or correct the exit conversation of one of the manager's own teams' leavers."""
    if not request.user.has_perm(RECORD_PERMISSION):
        raise PermissionDenied
    mine = leavers_for(request.user)
    if request.method == "POST":
        wanted = request.POST.get("leaver", "")
        leaver = mine.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        current = getattr(leaver, "exit_conversation", None) if leaver else None
        form = ExitConversationForm(request.POST, user=request.user, conversation=current)
        if form.is_valid():
            try:
                saved = form.save()
            except ValidationError:
                pass  # the form now carries the errors against its fields
            else:
                messages.success(
                    request,
                    f"Exit conversation recorded for {saved.leaver.worker.full_name} "
                    f"(left {long_date(saved.leaver.leaving_date)}).",
                )
                return redirect("leavers:leavers")
    else:
        wanted = request.GET.get("leaver", "")
        leaver = get_object_or_404(mine, pk=int(wanted) if wanted.isdigit() else 0)
        current = getattr(leaver, "exit_conversation", None)
        form = ExitConversationForm(
            user=request.user, conversation=current, initial=None if current else {"leaver": leaver.pk}
        )
    return render(
        request, "leavers/conversation_form.html", {"form": form, "leaver": leaver, "conversation": current}
    )
