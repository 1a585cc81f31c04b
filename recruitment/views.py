"""The recruitment pages: campaigns with their funnels, and one campaign with its applications.

Who sees what (``access.scoping``):
- HR, the assistant director and administrators see every campaign and every
  application, with candidates' names.
- Team managers see the campaigns that have applications for their own teams, the
  figures of those applications only, and the applications themselves without names.
- Readers see every campaign's figures and no applications at all.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from access.roles import DIRECTOR, HR, READER
from access.scoping import ADMIN, EVERYONE, access_for, restrict, role_required, scope_for
from foundation.measures import format_money
from foundation.periods import twelve_months_to
from recruitment.filters import CampaignFilter
from recruitment.models import Application, Campaign, CampaignStatus
from recruitment.selectors import campaigns_with_funnel, recruitment_funnel, scoped_applications
from recruitment.tables import ApplicationTable, CampaignTable
from workforce.models import Team
from workforce.scopes import Scope
from workforce.team_choice import offer_teams

NAMES_ROLES = {ADMIN, HR, DIRECTOR}


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the twelve months to the last month-end before ``today``."""
    return twelve_months_to(today.replace(day=1) - dt.timedelta(days=1))


@role_required(*EVERYONE)
def campaigns(request: HttpRequest) -> HttpResponse:
    """Show the campaigns running in a period, each with its funnel, and the period's funnel by role."""
    scope = scope_for(request.user)
    start, end = default_period(timezone.localdate())
    # The probe only reads the period and role from the query; its queryset is never run.
    probe = CampaignFilter(request.GET or None, queryset=Campaign.objects.none())
    role = None
    if probe.is_bound and probe.form.is_valid():
        chosen = probe.form.cleaned_data
        start = chosen.get("start") or start
        end = chosen.get("end") or end
        role = chosen.get("role")
        asked = Scope.build(
            case_holding_only=bool(chosen.get("case_holding")),
            service_area=chosen.get("service_area"),
            teams=list(chosen.get("team") or []),
        )
        scope = scope_for(request.user, asked)
    if end < start:
        start, end = default_period(timezone.localdate())
    listed = campaigns_with_funnel(scope).running_between(start, end)
    filterset = CampaignFilter(request.GET or None, queryset=listed)
    # Offer the teams the person may see, those of the chosen service area when there are many
    # (a team asked for beyond them is dropped by ``scope_for`` above all the same).
    filterset.form.fields["team"].queryset = restrict(Team.objects.all(), request.user, "pk")
    offer_teams(filterset.form)
    table = CampaignTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    funnel = recruitment_funnel(start=start, end=end, scope=scope.with_role(role.pk if role else None))
    return render(
        request,
        "recruitment/campaigns.html",
        {
            "filter": filterset,
            "table": table,
            "funnel": funnel,
            "cost_per_start": format_money(funnel.cost_per_start),
            "campaign_cost": format_money(funnel.campaign_cost),
            "start": start,
            "end": end,
            "today": timezone.localdate(),
        },
    )


@role_required(*EVERYONE)
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one campaign: its details, its funnel by role and (for staff who may) its applications."""
    access = access_for(request.user)
    scope = scope_for(request.user)
    found = campaigns_with_funnel(scope).filter(pk=pk).first()
    if found is None:
        raise Http404("No such campaign in the teams you can see.")
    today = timezone.localdate()
    funnel = recruitment_funnel(start=found.opens_on, end=today, scope=scope, campaign=found)
    table = None
    if access.role != READER:
        applications: QuerySet[Application] = (
            scoped_applications(scope).filter(campaign=found).select_related("role", "team", "source")
        )
        table = ApplicationTable(applications, sees_names=access.role in NAMES_ROLES)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "recruitment/campaign.html",
        {
            "campaign": found,
            "status": CampaignStatus(found.status_on(today)).label,
            "funnel": funnel,
            "cost": format_money(found.cost),
            "cost_per_start": format_money(funnel.cost_per_start),
            "table": table,
            "today": today,
            # A newly qualified cohort that starts later: nobody can have started yet.
            "cohort_not_started": bool(
                found.newly_qualified_cohort and found.cohort_starts_on and found.cohort_starts_on > today
            ),
        },
    )
