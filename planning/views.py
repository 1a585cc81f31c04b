"""The planning page: the forecast with its assumptions, scenarios, why the rates moved and how
accurate the forecast has been; and the scenario pages.

Everyone signed in sees the forecast (figures only, no names); managers see their own teams'.
HR, directors and managers make scenarios; a scenario is changed only by its owner.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from access.roles import DIRECTOR, HR, MANAGER
from access.scoping import ADMIN, EVERYONE, access_for, role_required
from foundation.dates import parse_date
from foundation.inputs import with_dates
from planning import assumptions as planning_assumptions
from planning import export, movement, page, services
from planning.backtest import backtest
from planning.forms import (
    AssumptionsForm,
    ForecastForm,
    LeverFormSet,
    MovementForm,
    ScenarioForm,
    readable,
    short_label,
)
from planning.models import Scenario, ScenarioLever
from planning.outlook import Outlook, outlook_from, read_inputs
from planning.selectors import applicable, visible_scenarios
from planning.selectors.movement import rate_movement
from workforce.scopes import Scope

AUTHORS = (ADMIN, HR, DIRECTOR, MANAGER)  # may make scenarios
SETTINGS = ("as_at", "quarters", "scope", "scenario", "confidence")


def _settings(request: HttpRequest) -> tuple[ForecastForm, dict[str, Any]]:
    """Return the settings form and the settings it gives (defaults where blank or wrong)."""
    today = timezone.localdate()
    form = ForecastForm(request.GET or None, user=request.user, today=today)
    values = readable(form)
    return form, {
        "as_of": values.get("as_at") or today,
        "quarters": values.get("quarters") or 4,
        "scope": form.chosen_scope(),
        "scenario": values.get("scenario"),
        "confidence": values.get("confidence") or planning_assumptions.DEFAULT_CONFIDENCE,
    }


def _outlook(request: HttpRequest) -> tuple[ForecastForm, AssumptionsForm, Outlook]:
    """Return the forecast the request asks for, with its forms."""
    form, chosen = _settings(request)
    inputs = read_inputs(as_of=chosen["as_of"], quarters=chosen["quarters"], scope=chosen["scope"])
    measured = planning_assumptions.measured(inputs)
    names = set(planning_assumptions.GLOBAL_FIELDS) | {
        f"{name}-{role}" for name in planning_assumptions.ROLE_FIELDS for role in measured.roles
    }
    given = names & set(request.GET)
    assumptions_form = AssumptionsForm(request.GET if given else None, assumptions=measured)
    changes: dict[str, Any] = {**assumptions_form.changes(), "confidence": chosen["confidence"]}
    outlook = outlook_from(
        inputs, scope=chosen["scope"], assumed=measured, scenario=chosen["scenario"], changes=changes
    )
    return form, assumptions_form, outlook


def _movement(request: HttpRequest, as_of: dt.date, scope: Scope) -> tuple[MovementForm, tuple[Any, Any]]:
    """Return the dates form and (why the rates moved, when it was worked out) for the dates asked."""
    start, end = movement.default_dates(as_of)
    # The boxes show the dates the section is for ("without the posts added since" the first
    # date, the one chosen if any).
    since = parse_date(request.GET.get("moved_from", "")) or start
    form = MovementForm(
        with_dates(request.GET, moved_from=start, moved_to=end, without_since=since),
        initial={"moved_from": start, "moved_to": end, "without_since": start},
    )
    values = readable(form)
    start, end = values.get("moved_from") or start, values.get("moved_to") or end
    if end <= start:
        return form, (None, None)
    since = values.get("without_since") or start
    return form, _kept(
        "movement",
        start,
        end,
        since,
        _scope_key(scope),
        work_out=lambda: rate_movement(start=start, end=end, scope=scope, without_since=since),
    )


KEPT_SECONDS = 3600


def _scope_key(scope: Scope) -> str:
    teams = ".".join(map(str, sorted(scope.team_ids))) if scope.team_ids is not None else "all"
    key = "-".join(map(str, (int(scope.case_holding_only), scope.service_area_id, teams, scope.role_id)))
    # Many teams: a digest keeps the key short enough for any cache.
    return key if len(key) < 150 else hashlib.sha256(key.encode()).hexdigest()


def _kept(name: str, *parts: object, work_out: Callable[[], Any]) -> tuple[Any, dt.datetime]:
    """Return what ``work_out`` gives and when, kept in Django's cache for an hour under ``name`` and
    ``parts``. For figures about past quarter-ends that read years of records (the accuracy, why a
    rate moved), which a correction in the last hour rarely moves."""
    key = f"planning-{name}-" + "-".join(str(part) for part in parts)
    kept = cache.get(key)
    if kept is None:
        kept = (work_out(), timezone.now())
        cache.set(key, kept, KEPT_SECONDS)
    return kept


@role_required(*EVERYONE)
def forecast(request: HttpRequest) -> HttpResponse:
    """Show the forecast, its assumptions, the scenarios, why the rates moved and the accuracy."""
    form, assumptions_form, outlook = _outlook(request)
    movement_form, (moved, moved_at) = _movement(request, outlook.as_of, outlook.scope)
    access = access_for(request.user)
    today = min(outlook.as_of, timezone.localdate())
    settings_query = {name: request.GET[name] for name in SETTINGS if request.GET.get(name)}
    changed_query = {name: str(value) for name, value in assumptions_form.changes().items()}
    return render(
        request,
        "planning/forecast.html",
        {
            "form": form,
            "assumptions_form": assumptions_form,
            "movement_form": movement_form,
            "outlook": outlook,
            "headings": page.headings(outlook),
            "rows": page.forecast_rows(outlook),
            "figures": [
                page.rate_figure(outlook, "vacancy_rate", "Vacancy rate"),
                page.rate_figure(outlook, "agency_rate", "Agency rate"),
            ],
            "summary": page.summary_sentence(outlook),
            "assumption_rows": [
                (row.role, [(assumptions_form[name], note, short_label(name)) for name, note in row.fields])
                for row in page.assumption_rows(outlook.assumptions)
            ],
            "global_assumptions": [
                (assumptions_form[name], note, short_label(name))
                for name, note in page.global_notes(outlook.assumptions).items()
            ],
            "known_headings": [page.short_date(day) for day in outlook.quarter_ends],
            "moved": moved,
            "moved_at": moved_at,
            "accuracy": _kept(
                "accuracy",
                today,
                _scope_key(outlook.scope),
                work_out=lambda: backtest(today=today, scope=outlook.scope),
            ),
            "scenarios": visible_scenarios(request.user),
            "may_make_scenarios": access.role in AUTHORS,
            "sees_names": access.sees_names,
            "settings_query": urlencode(settings_query),
            "download_query": urlencode({**settings_query, **changed_query}),
            "settings_items": settings_query.items(),
            "changed_items": changed_query.items(),
        },
    )


@role_required(*EVERYONE)
def download(request: HttpRequest, format: str) -> HttpResponse:
    """Download the forecast shown (the same settings and assumptions) as CSV or JSON."""
    if format not in export.FORMATS:
        raise Http404("No such format.")
    _, _, outlook = _outlook(request)
    content_type = "text/csv; charset=utf-8" if format == "csv" else "application/json"
    response = HttpResponse(export.render(outlook, format), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="forecast-{outlook.as_of.isoformat()}.{format}"'
    return response


def _scenario_for(request: HttpRequest, pk: int | None) -> Scenario | None:
    if pk is None:
        return None
    scenario = visible_scenarios(request.user).filter(pk=pk).first()
    if scenario is None:
        raise Http404("No such scenario.")
    return scenario


def _initial(scenario: Scenario | None) -> list[dict[str, Any]]:
    if scenario is None:
        return []
    return [
        {
            "kind": lever.kind,
            "role": lever.role_id,
            "team": lever.team_id,
            "fte": lever.fte,
            "points": lever.points,
            "starts_on": lever.starts_on,
        }
        for lever in scenario.levers.order_by("order", "pk")
    ]


@role_required(*EVERYONE)
def scenario(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Make a scenario, or change one's own; anyone who may see a shared one can read it here."""
    existing = _scenario_for(request, pk)
    owner = existing is None or services.may_change_scenario(request.user, existing)
    if access_for(request.user).role not in AUTHORS or not owner:
        if existing is None:
            raise PermissionDenied
        return render(request, "planning/scenario.html", {"scenario": existing, "read_only": True})
    preview = None
    if request.method == "POST":
        form = ScenarioForm(request.POST, instance=existing or Scenario())
        levers = LeverFormSet(request.POST, user=request.user, prefix="levers")
        if form.is_valid() and levers.is_valid():
            if request.POST.get("action") == "preview":
                preview = _preview(request, form.instance, levers.levers())
            else:
                try:
                    saved = services.save_scenario(
                        scenario=form.instance, levers=levers.levers(), user=request.user
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, f"Scenario “{saved.name}” saved.")
                    kept = {name: value for name, value in request.GET.items() if name in SETTINGS}
                    query = urlencode({**kept, "scenario": saved.pk})
                    return redirect(f"{reverse('planning:forecast')}?{query}")
    else:
        form = ScenarioForm(instance=existing)
        levers = LeverFormSet(initial=_initial(existing), user=request.user, prefix="levers")
    return render(
        request,
        "planning/scenario.html",
        {"scenario": existing, "form": form, "levers": levers, "preview": preview, "read_only": False},
    )


def _preview(request: HttpRequest, scenario: Scenario, levers: list[ScenarioLever]) -> dict[str, Any]:
    """Return the forecast with unsaved ``levers`` against the base, for the scenario page."""
    _, chosen = _settings(request)
    scope = chosen["scope"]
    inputs = read_inputs(as_of=chosen["as_of"], quarters=chosen["quarters"], scope=scope)
    outlook = outlook_from(inputs, scope=scope, scenario=scenario, levers=applicable(levers, scope))
    return {
        "outlook": outlook,
        "headings": page.headings(outlook),
        "rows": page.forecast_rows(outlook),
        "chart": page.rate_chart(outlook, "vacancy_rate", "Vacancy rate"),
        "summary": page.summary_sentence(outlook),
    }


@require_POST
@role_required(*EVERYONE)
def delete_scenario(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one's own scenario."""
    existing = _scenario_for(request, pk)
    services.delete_scenario(scenario=existing, user=request.user)
    messages.success(request, f"Scenario “{existing.name}” deleted.")
    return redirect("planning:forecast")
