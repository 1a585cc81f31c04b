"""The agency pages: ``/agency/`` shows every agency engagement on a date with each national
rule met, breached or not known, and each breach with its sign-off or exception;
``/agency/spend/`` shows what agency workers cost, actual beside estimated, by month,
supplier, reason and team, against the budget, and the premium over permanent staff.

For HR and directors (every team), managers (their own teams) and readers (figures, never
names). The figures come from ``workforce.selectors.agency`` and ``agency_spend``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from access.scoping import EVERYONE, access_for, role_required, scope_for
from foundation.inputs import with_dates
from foundation.measures import format_money, format_rate, format_variance, percentage
from foundation.periods import financial_year
from pages.agency_tables import (
    AgencyFilterForm,
    EngagementsTable,
    SpendFilterForm,
    breaches_and_exceptions,
    keeps,
    listed_item,
)
from reporting.agency_section import budget_by_month
from workforce.agency_rules import RULES
from workforce.scopes import Scope
from workforce.selectors.agency import agency_engagements, compliance_counts, engagement_counts
from workforce.selectors.agency_spend import Spend, kept_spend_breakdown

PER_PAGE = 50


def _scope(request: HttpRequest, chosen: dict[str, Any]) -> Scope:
    """Return the teams the filters choose, within those the user may see."""
    team, area = chosen.get("team"), chosen.get("service_area")
    if team is not None:
        scope = replace(Scope.team(team.pk, team.name), service_area_id=area.pk if area else None)
    elif area is not None:
        scope = Scope.service_area(area.pk, area.name)
    else:
        scope = Scope.everything()
    return scope_for(request.user, scope)


@role_required(*EVERYONE)
def agency(request: HttpRequest) -> HttpResponse:
    """Show the agency engagements on a date with each national rule's result, filtered."""
    access = access_for(request.user)
    today = timezone.localdate()
    # The box shows the date the page is for (today unless another is chosen).
    form = AgencyFilterForm(with_dates(request.GET, as_of=today), initial={"as_of": today}, user=request.user)
    chosen = form.chosen() if form.is_bound else {}
    as_of = chosen.get("as_of") or today
    supplier = chosen.get("supplier")
    engagements = agency_engagements(
        start=as_of,
        end=as_of,
        scope=_scope(request, chosen),
        supplier_id=supplier.pk if supplier else None,
        reason=chosen.get("reason") or "",
    )
    rule, status = chosen.get("rule") or "", chosen.get("status") or ""
    shown = [engagement for engagement in engagements if keeps(engagement, rule, status)]
    table = EngagementsTable(shown, sees_names=access.sees_names, admin=request.user.is_staff)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    page = Paginator(breaches_and_exceptions(shown), PER_PAGE).get_page(request.GET.get("listed"))
    listed = [listed_item(engagement, result, sees_names=access.sees_names) for engagement, result in page]
    counts = engagement_counts(shown)
    return render(
        request,
        "agency/agency.html",
        {
            "form": form,
            "as_of": as_of,
            "table": table,
            "rules": compliance_counts(shown),
            "workers": counts,
            "engaged": len(engagements),
            "shown": len(shown),
            "listed": listed,
            "listed_page": page,
            "rule_names": dict(RULES),
            "filtered": any(chosen.get(name) for name in ("rule", "status")),
        },
    )


def _default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the financial year to date."""
    return financial_year(today)[0], today


def _money_row(spend: Spend, budget: Decimal | None = None) -> dict[str, str]:
    return {
        "label": spend.label,
        "spend": format_money(spend.spend),
        "invoiced": format_money(spend.actual),
        "estimated_rest": format_money(spend.estimated_rest),
        "estimated": format_money(spend.estimated),
        "budget": format_money(budget),
        "variance": format_variance(spend.spend - budget if budget is not None else None),
    }


@role_required(*EVERYONE)
def agency_spend(request: HttpRequest) -> HttpResponse:
    """Show agency spend over a period by month, supplier, reason, team and role, actual beside
    estimated, against the budget (for the whole council), with the premium over permanent staff."""
    access = access_for(request.user)
    default_start, default_end = _default_period(timezone.localdate())
    form = SpendFilterForm(
        with_dates(request.GET, start=default_start, end=default_end),
        initial={"start": default_start, "end": default_end},
        user=request.user,
    )
    chosen = form.chosen() if form.is_bound and form.is_valid() else {}
    start, end = chosen.get("start") or default_start, chosen.get("end") or default_end
    if start > end:
        start = end
    scope = _scope(request, chosen)
    breakdown = kept_spend_breakdown(start=start, end=end, scope=scope)
    whole_council = access.sees_all_teams and not chosen.get("team") and not chosen.get("service_area")
    budgets = budget_by_month(start, end) if whole_council else {}
    months = [_money_row(month, budgets.get(month.key)) for month in breakdown.months]
    known = [budgets.get(month.key) for month in breakdown.months]
    budget_total = sum(known, Decimal("0")) if whole_council and known and None not in known else None
    total = breakdown.total.spend
    return render(
        request,
        "agency/spend.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "basis": breakdown.basis_text,
            "whole_council": whole_council,
            "total": _money_row(breakdown.total, budget_total),
            "months": months,
            "by_supplier": [
                {**_money_row(row), "share": format_rate(percentage(row.spend, total) if total else None)}
                for row in breakdown.by_supplier
            ],
            "by_reason": [_money_row(row) for row in breakdown.by_reason],
            "by_team": [_money_row(row) for row in breakdown.by_team],
            "premiums": [
                {
                    "role": premium.role,
                    "agency": format_money(premium.agency_cost),
                    "annual": format_money(premium.annual_cost),
                    "permanent": format_money(premium.permanent_cost),
                    "premium": format_money(premium.premium),
                    "percent": format_rate(premium.premium_percent),
                }
                for premium in breakdown.premiums
            ],
            "agreements": breakdown.agreements,
        },
    )

