"""Writes for the committee report. Each runs in a transaction and validates with ``full_clean``;
the admin, the reports page, the command line and the demo loader call these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reporting import frozen
from reporting.models import (
    AgencyBudget,
    CommitteeReport,
    ExportLog,
    ReportStatus,
    StrategyAction,
)
from reporting.signals import report_published


@transaction.atomic
def save_strategy_action(*, action: StrategyAction) -> StrategyAction:
    """Validate and save a strategy action."""
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def save_agency_budget(*, budget: AgencyBudget) -> AgencyBudget:
    """Validate and save an agency budget (periods may not overlap)."""
    budget.full_clean()
    budget.save()
    return budget


def _was_published(report: CommitteeReport) -> bool:
    if report.pk is None:
        return False
    return (
        CommitteeReport.objects.select_for_update()
        .filter(pk=report.pk, status=ReportStatus.PUBLISHED)
        .exists()
    )


@transaction.atomic
def save_report(*, report: CommitteeReport) -> CommitteeReport:
    """Validate and save a draft committee report. A published report cannot be changed:
    its figures and words are what went to the committee."""
    if _was_published(report):
        raise ValidationError(
            {"status": "This report has been published and cannot be changed; copy it to a new draft."}
        )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def publish_report(*, report: CommitteeReport, user: Any, now: dt.datetime | None = None) -> CommitteeReport:
    """Freeze the report's figures as they are now, and record who published it and when."""
    from reporting.selectors import live_summary

    if _was_published(report):
        raise ValidationError({"status": "This report has already been published."})
    report.full_clean()
    now = now or timezone.now()
    summary = live_summary(report, now=now)
    report.frozen_summary = frozen.dump(summary)
    report.status = ReportStatus.PUBLISHED
    report.published_at = now
    report.published_by = user if getattr(user, "is_authenticated", False) else None
    report.full_clean()
    report.save()
    report_published.send(sender=CommitteeReport, report=report, user=user)
    return report


@transaction.atomic
def correct_report(*, report: CommitteeReport) -> CommitteeReport:
    """Return a new draft version of the published ``report``, with its words, dates and
    sentences, that supersedes it once published. The published paper is never edited:
    both stay available, each naming the other."""
    if not CommitteeReport.objects.filter(pk=report.pk, status=ReportStatus.PUBLISHED).exists():
        raise ValidationError(
            {"status": "Only a published paper is corrected by a new version; edit a draft."}
        )
    open_draft = report.corrections.filter(status=ReportStatus.DRAFT).first()
    if open_draft is not None:
        raise ValidationError(
            {
                "status": f"Version {open_draft.version}, correcting this paper, is already a draft "
                f"(report {open_draft.pk})."
            }
        )
    correction = _copy(report)
    correction.supersedes = report
    correction.version = report.version + 1
    return save_report(report=correction)


def _copy(report: CommitteeReport) -> CommitteeReport:
    return CommitteeReport(
        **{
            field.name: getattr(report, field.name)
            for field in CommitteeReport._meta.concrete_fields
            if field.name
            not in {"id", "status", "published_at", "published_by", "frozen_summary", "version", "supersedes"}
        }
    )


@transaction.atomic
def copy_report(*, report: CommitteeReport) -> CommitteeReport:
    """Return a new draft with the report's words and dates, to roll forward (a correction
    of a published paper is ``correct_report``)."""
    return save_report(report=_copy(report))


def log_export(
    *,
    user: Any,
    format: str,
    as_at: dt.date,
    scope: str,
    report: CommitteeReport | None = None,
    via: str = "web",
) -> ExportLog:
    """Record that figures were exported."""
    entry = ExportLog(
        report=report,
        user=user if getattr(user, "is_authenticated", False) else None,
        format=format,
        as_at=as_at,
        scope=scope,
        published_figures=bool(report and report.is_published),
        via=via,
    )
    entry.full_clean()
    entry.save()
    return entry
