"""The returns' pre-checks page: every problem that would make a return wrong, to correct."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from access.roles import DIRECTOR, HR
from access.scoping import role_required
from dataio.prechecks import prechecks


@role_required(HR, DIRECTOR)
def return_checks(request: HttpRequest) -> HttpResponse:
    """List what each registered pre-check finds in the records today (nothing is written)."""
    today = timezone.localdate()
    results = [check.run(today) for check in prechecks().values()]
    return render(request, "pages/return_checks.html", {"results": results, "today": today})
