"""The admin's actions on many applications: ask for a stage's details once, then write each
application through ``recruitment.services`` on its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from foundation.dates import long_date
from recruitment import services
from recruitment.models import Application
from recruitment.selectors import vacant_posts_for


def stage_action(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    form_class: type[forms.Form],
    title: str,
    apply: Callable[[Application, dict, Any], Any],
) -> HttpResponse | None:
    """Ask for the stage's details once, then apply the service to each application.

    Each application is written on its own: those that break a rule are reported by
    name with the rule's message, and the others go ahead.
    """
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            done, failed = 0, 0
            for application in queryset.select_related("role", "campaign", "worker"):
                try:
                    apply(application, form.cleaned_data, request.user)
                except ValidationError as error:
                    failed += 1
                    reasons = " ".join(m for ms in error.message_dict.values() for m in ms)
                    modeladmin.message_user(request, f"{application.full_name}: {reasons}", messages.ERROR)
                else:
                    done += 1
            if done:
                modeladmin.message_user(request, f"{title}: {done} applications updated.", messages.SUCCESS)
            if failed:
                modeladmin.message_user(
                    request, f"{title}: {failed} applications left as they were.", messages.WARNING
                )
            return None
    else:
        form = form_class()
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": title,
        "form": form,
        "queryset": queryset.select_related("role"),
        "action": request.POST.get("action"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "recruitment/admin/stage_action.html", context)


def bulk_start(application: Application, data: dict, user: Any) -> None:
    """Start ``application``'s candidate in a vacant post of their role (their team's first)."""
    on, fte = data["start_date"], data["fte"]
    posts = vacant_posts_for(role=application.role, on=on).filter(vacancy_fte__gte=fte)
    post = None
    if application.team_id:
        post = posts.filter(team_id=application.team_id).first()
    post = post or posts.first()
    if post is None:
        raise ValidationError(
            {
                "post": f"No {application.role.name} post has {fte.normalize():f} FTE vacant "
                f"on {long_date(on)}."
            }
        )
    services.start_candidate(
        application=application, post=post, start_date=on, fte=fte, contract=data["contract"], user=user
    )
