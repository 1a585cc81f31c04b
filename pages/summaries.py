"""The dashboard's committee summaries, kept in the cache every process shares.

At 40,000 posts building a summary takes about a second, and the dashboard is the first
page everyone sees. Each summary is kept in Django's cache (the database's table by
default, Redis with ``REDIS_URL``: every web process and the task worker see the same
one) with the version of the records it was built from (``reporting.data_version``, one
query). While the records are unchanged it is shown as it is. After a change, the kept
figures are shown at once, marked as being brought up to date, and the task
``rebuild_dashboard_summary`` is queued (one at a time for each dates and scope); the next
visit shows its figures. With nothing kept yet (the first visit after the cache was
emptied) the summary is built there and then, once: others asking for it meanwhile wait
for that build (``jobs.cache.built_once``). ``warm`` queues the builds of every user's
dashboard before anyone asks (scheduled work ``warm-dashboards``, run when the product
starts).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import asdict, dataclass
from typing import Any

from django.core.cache import cache

from jobs.cache import built_once
from jobs.queue import ran_at_once, task
from reporting.data_version import data_version
from reporting.figures import CommitteeSummary
from reporting.summary import build_committee_summary
from workforce.scopes import Scope

logger = logging.getLogger(__name__)

SUMMARY_CACHE_SECONDS = 7 * 24 * 60 * 60  # checked against the version of the records on every visit
REBUILD_LOCK_SECONDS = 10 * 60  # a rebuild lost with its worker is queued again after this


@dataclass(frozen=True)
class KeptSummary:
    """A committee summary kept for the dashboard, and whether the records changed since."""

    summary: CommitteeSummary
    updating: bool  # the records changed after it was built; a fresh one is being built


def summary_key(days: list[dt.date], scope: Scope) -> str:
    """Return the cache key of the summary on ``days`` in ``scope``."""
    teams = None if scope.team_ids is None else sorted(scope.team_ids)
    scoped = (scope.case_holding_only, scope.service_area_id, teams, scope.role_id, scope.label)
    dates = [day.isoformat() for day in days]
    return "dashboard-summary:" + hashlib.sha256(f"{dates}|{scoped}".encode()).hexdigest()


def _build(days: list[dt.date], scope: Scope) -> CommitteeSummary:
    return build_committee_summary(as_of=days[-1], comparison_dates=days[:-1], scope=scope)


def _build_and_keep(key: str, days: list[dt.date], scope: Scope, version: str) -> CommitteeSummary:
    """Build the summary, keep it with ``version``, the version of the records read just
    before (a change made during the build leaves it out of date), and return it."""
    summary = _build(days, scope)
    cache.set(key, (version, summary), SUMMARY_CACHE_SECONDS)
    return summary


def _scope_data(scope: Scope) -> dict[str, Any]:
    data = asdict(scope)
    data["team_ids"] = None if scope.team_ids is None else sorted(scope.team_ids)
    return data


def _scope_from(data: dict[str, Any]) -> Scope:
    teams = data.get("team_ids")
    return Scope(**{**data, "team_ids": None if teams is None else frozenset(teams)})


@task()
def rebuild_dashboard_summary(days: list[str], scope: dict[str, Any]) -> None:
    """Build the dashboard's summary on ``days`` (ISO dates) in ``scope`` (a ``Scope``'s
    fields) from the records as they are now, and keep it. Safe to run any number of times."""
    dates = [dt.date.fromisoformat(day) for day in days]
    chosen = _scope_from(scope)
    key = summary_key(dates, chosen)
    try:
        version = data_version()
        if cache.get(key) is None:  # nothing kept: a visitor may be building it too, or waiting
            built_once(key, lambda: (version, _build(dates, chosen)), timeout=SUMMARY_CACHE_SECONDS)
        else:
            _build_and_keep(key, dates, chosen, version)
    finally:
        cache.delete(f"{key}:rebuilding")


def version_kept(days: list[dt.date], scope: Scope) -> str | None:
    """Return the version of the records the kept summary on ``days`` in ``scope`` was built
    from, or None if none is kept."""
    kept = cache.get(summary_key(days, scope))
    return None if kept is None else kept[0]


def _enqueue(key: str, days: list[dt.date], scope: Scope) -> Any:
    """Queue one rebuild of the summary unless one is queued already; return the task's
    result, or None if none was queued (one already was, or the queue did not answer)."""
    lock = f"{key}:rebuilding"
    if not cache.add(lock, True, REBUILD_LOCK_SECONDS):
        return None
    try:
        return rebuild_dashboard_summary.enqueue([day.isoformat() for day in days], _scope_data(scope))
    except Exception:  # noqa: BLE001 - the queue unreachable: the kept figures still show
        logger.exception("Could not queue the rebuild of the dashboard's figures")
        cache.delete(lock)
        return None


def queue_rebuild(days: list[dt.date], scope: Scope) -> bool:
    """Queue a rebuild of the summary on ``days`` in ``scope`` unless one is queued already;
    return whether one was queued."""
    return _enqueue(summary_key(days, scope), days, scope) is not None


def _queue_rebuild(key: str, days: list[dt.date], scope: Scope) -> bool:
    """Queue one rebuild of the summary (unless one is queued already); return whether it
    has already run (the immediate backend runs tasks as they are queued)."""
    result = _enqueue(key, days, scope)
    return result is not None and ran_at_once(result)


def dashboard_summary(days: list[dt.date], scope: Scope) -> KeptSummary:
    """Return the committee summary as at ``days[-1]`` compared with the other ``days``, in
    ``scope``, kept in the shared cache, with whether it is out of date (see the module)."""
    key = summary_key(days, scope)
    version = data_version()
    kept = cache.get(key)
    if kept is None:
        _, summary = built_once(key, lambda: (version, _build(days, scope)), timeout=SUMMARY_CACHE_SECONDS)
        return KeptSummary(summary=summary, updating=False)
    kept_version, summary = kept
    if kept_version == version:
        return KeptSummary(summary=summary, updating=False)
    if _queue_rebuild(key, days, scope):
        fresh = cache.get(key)
        if fresh is not None:
            return KeptSummary(summary=fresh[1], updating=False)
    return KeptSummary(summary=summary, updating=True)
