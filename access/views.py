"""The home page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from access.scoping import scope_for
from workforce.selectors import establishment_on


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the headline establishment figures for the user's teams today."""
    today = timezone.localdate()
    snapshot = establishment_on(today, scope_for(request.user))
    return render(request, "home.html", {"snapshot": snapshot, "today": today})
