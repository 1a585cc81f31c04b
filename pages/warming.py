"""Build the figures people will open before they open them: every user's dashboard, and
each draft committee report's figures for today (drafts for meetings still to come).

Run when the product starts (``scripts/serve.sh``) and each morning (the scheduled work
``warm-dashboards``), it queues the builds on the task worker, so that after a first
deployment, an emptied cache, a new quarter or a night's import the first visitors find
their figures kept rather than each waiting seconds while theirs are built. Scopes many
users share (the whole council: HR, the directors, the readers) are queued first. What is
kept and current is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth import get_user_model
from django.db.models import F

from access.roles import DIRECTOR
from access.scoping import ADMIN, access_for
from pages.dashboard import dashboard_days, dashboard_scope
from pages.summaries import queue_rebuild, version_kept
from reporting.data_version import data_version
from reporting.models import CommitteeReport, ReportStatus
from reporting.selectors import queue_draft_figures
from workforce.scopes import Scope


@dataclass(frozen=True)
class Warmed:
    dashboards: int  # the users' distinct dashboards (one for each scope)
    queued: int  # of them, builds queued (nothing kept, or kept from older records)
    drafts: int  # drafts for meetings still to come (their figures queued unless kept)


def _users_by_scope() -> tuple[Counter[Scope], int]:
    """Return how many active users with a role have each dashboard scope (in the order first
    seen, the most recently signed in first), and how many of them preview draft reports
    (the directors and administrators)."""
    users = get_user_model().objects.filter(is_active=True)
    users = users.order_by(F("last_login").desc(nulls_last=True), "pk")
    counted: Counter[Scope] = Counter()
    previewers = 0
    for user in users:
        access = access_for(user)
        if access.role is not None:
            counted[dashboard_scope(user)] += 1
            previewers += access.role in {DIRECTOR, ADMIN}
    return counted, previewers


def user_scopes() -> list[Scope]:
    """Return the dashboards' scopes of every active user with a role, those shared by the
    most users first (then by who signed in most recently)."""
    counted, _ = _users_by_scope()
    return [scope for scope, _ in counted.most_common()]  # ties keep the order first seen


def warm(*, today: dt.date) -> Warmed:
    """Queue the builds of every user's dashboard and each upcoming draft's figures as on
    ``today``, what most people will open first: a draft's figures come after the
    dashboards shared by more people than there are directors to preview it."""
    days = dashboard_days(today)
    version = data_version()
    counted, previewers = _users_by_scope()
    upcoming = CommitteeReport.objects.filter(status=ReportStatus.DRAFT, meeting_date__gte=today)
    drafts = list(upcoming.order_by("meeting_date", "pk"))
    # (how many people will open it, then dashboards before drafts, then as listed; what to queue)
    work: list[tuple[int, int, int, Callable[[], bool]]] = [
        (-count, 0, order, partial(_queue_dashboard, days, scope, version))
        for order, (scope, count) in enumerate(counted.most_common())
    ]
    work += [
        (-previewers, 1, order, partial(queue_draft_figures, report)) for order, report in enumerate(drafts)
    ]
    queued = 0
    for _, kind, _, queue in sorted(work, key=lambda item: item[:3]):
        if queue() and kind == 0:
            queued += 1
    return Warmed(dashboards=len(counted), queued=queued, drafts=len(drafts))


def _queue_dashboard(days: list[dt.date], scope: Scope, version: str) -> bool:
    """Queue the build of a dashboard unless it is kept and current; return whether it was."""
    return version_kept(days, scope) != version and queue_rebuild(days, scope)
