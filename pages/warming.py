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
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F

from access.scoping import access_for
from jobs.queue import task
from pages.dashboard import dashboard_days, dashboard_scope
from pages.summaries import queue_rebuild, version_kept
from reporting.data_version import data_version
from reporting.models import CommitteeReport, ReportStatus
from reporting.selectors import kept_live_summary
from workforce.scopes import Scope


@dataclass(frozen=True)
class Warmed:
    dashboards: int  # the users' distinct dashboards (one for each scope)
    queued: int  # of them, builds queued (nothing kept, or kept from older records)
    drafts: int  # drafts for meetings still to come, whose figures were queued


@task()
def keep_draft_figures(report_id: int) -> None:
    """Build and keep a draft report's figures for today, unless they are kept already."""
    report = CommitteeReport.objects.filter(pk=report_id).first()
    if report is not None and not report.is_published:
        kept_live_summary(report)


def user_scopes() -> list[Scope]:
    """Return the dashboards' scopes of every active user with a role, those shared by the
    most users first (then by who signed in most recently)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by(F("last_login").desc(nulls_last=True), "pk")
        .prefetch_related("groups")
    )
    counted: Counter[Scope] = Counter()
    for user in users:
        if access_for(user).role is not None:
            counted[dashboard_scope(user)] += 1
    return [scope for scope, _ in counted.most_common()]  # ties keep the order first seen


def warm(*, today: dt.date) -> Warmed:
    """Queue the builds of every user's dashboard and each draft's figures as on ``today``."""
    days = dashboard_days(today)
    version = data_version()
    scopes = user_scopes()
    queued = 0
    for scope in scopes:
        if version_kept(days, scope) != version and queue_rebuild(days, scope):
            queued += 1
    drafts = 0
    upcoming = CommitteeReport.objects.filter(status=ReportStatus.DRAFT, meeting_date__gte=today)
    for report_id in upcoming.values_list("pk", flat=True):
        keep_draft_figures.enqueue(report_id)
        drafts += 1
    return Warmed(dashboards=len(scopes), queued=queued, drafts=drafts)
