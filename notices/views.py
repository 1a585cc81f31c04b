"""The page where each user chooses which emails they get."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from notices.forms import PreferencesForm
from notices.kinds import offers_for
from notices.services import preferences_for, save_preferences


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Show the emails the user's role can get, each ticked while it is on; save their choice."""
    offers = offers_for(request.user)
    current = preferences_for(request.user)
    initial = {"kinds": [offer.kind.value for offer in offers if current.wants(offer.kind)]}
    form = PreferencesForm(request.POST if request.method == "POST" else None, offers=offers, initial=initial)
    if request.method == "POST" and form.is_valid():
        save_preferences(
            user=request.user,
            offered=[offer.kind.value for offer in offers],
            wanted=form.cleaned_data["kinds"],
        )
        messages.success(request, "Your email choices are saved.")
        return redirect("notices:preferences")
    return render(
        request,
        "notices/preferences.html",
        {"form": form, "offers": offers, "has_address": bool(request.user.email)},
    )
