"""The establishment page's caseloads: each team's case holders, cases and caseload per case
holder on the as-at date, for the teams the page's filters and the user's access select."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from foundation import measures
from workforce.models import Team
from workforce.scopes import Scope
from workforce.selectors.caseloads import CaseloadFigures, caseloads_on

# Above this many posts shown (a national pool, not a council), working out every team's
# caseloads would slow the page for everyone: the page asks for a service area or team instead.
MAX_POSTS = 2000


@dataclass(frozen=True)
class TeamCaseloads:
    """One row of the table: the figures as the page prints them."""

    team: str
    holders: str
    fte: str
    cases: str
    per_case_holder: str
    above_threshold: str
    not_known: str


def _row(name: str, figures: CaseloadFigures) -> TeamCaseloads:
    return TeamCaseloads(
        team=name,
        holders=measures.format_count(figures.holders),
        fte=measures.format_fte(figures.fte),
        cases=measures.format_count(figures.cases),
        per_case_holder=measures.format_caseload(figures.per_case_holder),
        above_threshold=measures.format_count(figures.above_threshold),
        not_known=measures.format_count(figures.not_known),
    )


def page_scope(scope: Scope, filters: dict[str, Any]) -> Scope:
    """Return ``scope`` (the user's teams) narrowed by the page's service area, team, role and
    case-holding filters (funding, vacant and agency filters are about posts, not people)."""
    if filters.get("service_area") is not None:
        scope = replace(scope, service_area_id=filters["service_area"].pk)
    if filters.get("team") is not None:
        scope = scope.limited_to_teams(frozenset({filters["team"].pk}))
    if filters.get("role") is not None:
        scope = scope.with_role(filters["role"].pk)
    if filters.get("case_holding") is True:
        scope = replace(scope, case_holding_only=True)
    elif filters.get("case_holding") is False:
        teams = frozenset(Team.objects.filter(case_holding=False).values_list("pk", flat=True))
        scope = scope.limited_to_teams(teams)
    return scope


def caseload_context(*, scope: Scope, filters: dict[str, Any], as_of: dt.date, posts: int) -> dict[str, Any]:
    """Return what the page shows of caseloads: each team's and the total, or why not."""
    if posts > MAX_POSTS:
        return {"caseloads": None, "caseloads_limit": MAX_POSTS}
    snapshot = caseloads_on(as_of, page_scope(scope, filters))
    teams = sorted(snapshot.by_team, key=lambda team: snapshot.team_names[team])
    return {
        "caseloads": {
            "teams": [_row(snapshot.team_names[team], snapshot.by_team[team]) for team in teams],
            "total": _row("Total", snapshot.total),
            "threshold": snapshot.threshold,
            "stale_days": snapshot.stale_days,
        },
        "caseloads_limit": MAX_POSTS,
    }
