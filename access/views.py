"""The home page: the dashboard of the signed-in user's teams."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from access.scoping import access_for
from pages.dashboard import build_dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the user's measures at the latest quarter-end, how they moved, and what needs doing."""
    dashboard = None
    if access_for(request.user).role is not None:
        dashboard = build_dashboard(user=request.user, today=timezone.localdate())
    return render(request, "home.html", {"dashboard": dashboard})
