"""Reads for the committee report: strategy progress, agency spend against budget, and the
summary a report shows (its frozen figures once published, else built from the records)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from foundation import measures
from foundation.periods import financial_year, financial_year_label
from foundation.windows import Window
from jobs.cache import built_once
from reporting import forecast_section, frozen, sentences
from reporting.data_version import data_version
from reporting.figures import DEFAULT_PURPOSE, CommitteeSummary, PaperText, long_date
from reporting.models import ActionStatus, AgencyBudget, CommitteeReport, ReportStatus, StrategyAction
from reporting.publishing import Concern, publication_check
from reporting.summary import build_committee_summary, with_paper
from reporting.tasks import rebuild_draft_figures
from workforce.scopes import Scope
from workforce.selectors.agency_spend import ESTIMATED, SpendTotal, spend_to_date


@dataclass(frozen=True)
class StrategyProgress:
    total: int
    by_status: dict[str, int]
    overdue: int  # not complete and due before the as-at date


def strategy_progress(*, as_of: dt.date) -> StrategyProgress:
    """Return how many strategy actions are complete, partial and not started. One query."""
    counts = {status.value: Count("pk", filter=Q(status=status.value)) for status in ActionStatus}
    row = StrategyAction.objects.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=~Q(status=ActionStatus.COMPLETE) & Q(due_date__lt=as_of)),
        **counts,
    )
    return StrategyProgress(
        total=row["total"],
        by_status={status.value: row[status.value] for status in ActionStatus},
        overdue=row["overdue"],
    )


@dataclass(frozen=True)
class AgencySpend:
    period_start: dt.date  # the budget period containing ``end`` (the financial year without one)
    period_end: dt.date
    period_label: str
    start: dt.date  # spend is counted from here ...
    end: dt.date  # ... to here (the as-at date, or the period's end if earlier)
    budget: Decimal | None  # the whole period's budget; None: no budget recorded for it
    spend: Decimal
    budget_to_date: Decimal | None  # the budget for ``start`` to ``end``, pro rata; None: no budget
    projected: Decimal | None  # spend for the whole period at this rate (counted from its start only)
    budget_days: int | None = None  # days from ``start`` to ``end`` that a budget covers
    basis: str = ESTIMATED  # what ``spend`` rests on: "actual", "mixed" or "estimated"
    basis_text: str = ""  # the same in words, for the paper
    estimated: Decimal | None = None  # the estimate from weekly charges, for comparison
    invoiced: Decimal = Decimal("0")  # of ``spend``, what suppliers invoiced (the rest is estimated)
    invoiced_to: dt.date | None = None  # the latest week ending invoiced

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def variance(self) -> Decimal | None:
        """Return spend less the budget for the same days (over budget if positive)."""
        return None if self.budget_to_date is None else self.spend - self.budget_to_date


def agency_spend_against_budget(
    *,
    as_of: dt.date,
    scope: Scope | None = None,
    window: Window | None = None,
    total: SpendTotal | None = None,
) -> AgencySpend:
    """Return agency spend over ``window`` against the budget for the same days.

    Without a window, spend runs from the start of the budget period containing ``as_of``
    (the financial year without a budget) to ``as_of``, and is projected for the whole
    period. A window may straddle budget periods: its budget is each budget pro rata to
    the days of it in the window, and ``budget_days`` says how many days a budget covers.
    The spend is actual where suppliers have invoiced and estimated from weekly charges for
    the rest; ``basis`` says which (``workforce.selectors.agency_spend``). Three queries; one when
    ``total``, the spend over the same days in the same scope, was read already (the summary
    reads it once for this and the agency section, ``SpendBreakdown.as_total``)."""
    end = window.end if window is not None else as_of
    budgets = list(
        AgencyBudget.objects.filter(
            period_end__gte=window.start if window is not None else end, period_start__lte=end
        ).order_by("period_start")
    )
    current = next((b for b in budgets if b.period_start <= end <= b.period_end), None)
    if current is not None:
        period_start, period_end, amount = current.period_start, current.period_end, current.amount
    else:
        (period_start, period_end), amount = financial_year(end), None
    if (period_start, period_end) == financial_year(period_start):
        label = financial_year_label(period_start)
    else:
        label = f"{long_date(period_start)} to {long_date(period_end)}"
    start = window.start if window is not None else period_start
    end = min(end, period_end) if window is None else end
    if total is None or (total.start, total.end) != (start, end):
        total = spend_to_date(start=start, end=end, scope=scope)
    spend = total.spend
    budget_to_date, covered = None, 0
    for budget in budgets:
        overlap = (min(end, budget.period_end) - max(start, budget.period_start)).days + 1
        if overlap <= 0:
            continue
        whole = (budget.period_end - budget.period_start).days + 1
        covered += overlap
        budget_to_date = (budget_to_date or Decimal("0")) + measures.pro_rata(budget.amount, overlap, whole)
    projected = None
    if start == period_start and end <= period_end:
        projected = measures.pro_rata(spend, (period_end - period_start).days + 1, (end - start).days + 1)
    return AgencySpend(
        period_start=period_start,
        period_end=period_end,
        period_label=label,
        start=start,
        end=end,
        budget=amount,
        spend=spend,
        budget_to_date=budget_to_date,
        projected=projected,
        budget_days=covered,
        basis=total.basis,
        basis_text=total.basis_text,
        estimated=total.estimated,
        invoiced=total.actual,
        invoiced_to=total.invoiced_to,
    )


def paper_text(report: CommitteeReport) -> PaperText:
    """Return the report's own words for the paper (the council's officer to contact
    unless the report names its own)."""
    notes = []
    if report.supersedes_id is not None and report.supersedes.published_at is not None:
        notes.append(
            f"This version corrects version {report.supersedes.version}, published on "
            f"{long_date(report.supersedes.published_at.date())}."
        )
    if report.is_published:
        correction = report.corrections.filter(status=ReportStatus.PUBLISHED).order_by("-version").first()
        if correction is not None:
            notes.append(
                f"Superseded by version {correction.version}, published on "
                f"{long_date(correction.published_at.date())}."
            )
    supersedes = " ".join(notes)
    return PaperText(
        title=report.title,
        committee=report.committee,
        meeting_date=report.meeting_date,
        summary=report.summary,
        purpose=report.purpose or DEFAULT_PURPOSE,
        policy_framework=report.policy_framework,
        background=report.background,
        resource_implications=report.resource_implications,
        conclusion=report.conclusion,
        recommendations=report.recommendations,
        financial_implications=report.financial_implications,
        legal_implications=report.legal_implications,
        equality_implications=report.equality_implications,
        background_papers=report.background_papers,
        officer_to_contact=report.officer_to_contact or settings.WORKFORCE.get("OFFICER_TO_CONTACT", ""),
        status=report.status,
        published_at=report.published_at,
        version=report.version,
        supersedes=supersedes,
        large_tables_in_appendix=report.large_tables_in_appendix,
    )


def small_count_threshold() -> int:
    return int(settings.WORKFORCE.get("SMALL_COUNT_THRESHOLD", 5))


def live_summary(report: CommitteeReport, *, now: dt.datetime | None = None) -> CommitteeSummary:
    """Return the report's figures built from the records as they are now."""
    return build_committee_summary(
        as_of=report.as_at,
        comparison_dates=report.comparison_date_list(),
        scope=Scope.parse(report.scope),
        window_months=report.window_months,
        windows=report.windows(),
        now=now,
        forecast=forecast_section.options_for(report),
    )


def report_preview(report: CommitteeReport) -> tuple[CommitteeSummary, bool]:
    """Return what the report's page shows, as ``report_summary`` does, and whether the
    figures are a draft's from before a change of records, being brought up to date
    (``draft_preview``)."""
    if report.is_published:
        return report_summary(report), False
    preview = draft_preview(report)
    summary = with_paper(sentences.apply(preview.summary, report.sentences), paper_text(report))
    return summary, preview.updating


def report_summary(report: CommitteeReport) -> CommitteeSummary:
    """Return the summary ``report`` shows: once published, the figures frozen in it with
    small counts suppressed; before, the figures built from today's records. Either way
    with the author's sentences and words."""
    if report.is_published:
        summary = frozen.suppress(frozen.load(report.frozen_summary), small_count_threshold())
    else:
        summary = kept_live_summary(report)
    return with_paper(sentences.apply(summary, report.sentences), paper_text(report))


logger = logging.getLogger(__name__)
KEEP_DRAFT_FIGURES_SECONDS = 24 * 60 * 60


def _draft_text(report: CommitteeReport) -> str:
    """Return what a draft's figures are built from but the records: its fields, today's
    date and the settings the figures read."""
    fields = [
        (field.attname, field.value_to_string(report))  # as text: a choice saved or read alike
        for field in report._meta.concrete_fields
        if field.attname != "frozen_summary"
    ]
    return repr((fields, timezone.localdate(), sorted(settings.WORKFORCE.items())))


def _draft_keys(report: CommitteeReport) -> tuple[str, str]:
    """Return the cache keys of a draft's figures: from the records as they are now (its
    fields, the version of the records, the day and the settings: any of them changing
    makes a new key), and the latest built from any version of the records."""
    text = _draft_text(report)
    current = hashlib.sha256(repr((text, data_version())).encode()).hexdigest()
    latest = hashlib.sha256(text.encode()).hexdigest()
    return f"report-figures:{report.pk}:{current}", f"report-figures-latest:{report.pk}:{latest}"


def _build_and_note(report: CommitteeReport, latest_key: str) -> CommitteeSummary:
    summary = live_summary(report)
    cache.set(latest_key, summary, KEEP_DRAFT_FIGURES_SECONDS)
    return summary


def kept_live_summary(report: CommitteeReport) -> CommitteeSummary:
    """Return ``live_summary(report)``, kept in the shared cache while nothing it is built from
    changes, so a draft opened again, or exported, is not built again.

    At 40,000 posts the build takes about two seconds on an idle machine (the agency and
    caseload sections read every engagement); a draft is previewed and exported many times
    between changes (docs/performance.md, "Under load"). The key holds the version of the
    records read before the build, so a change made during it leaves the kept figures
    unused. Directors opening it at once wait for one build (``jobs.cache.built_once``).
    Publishing builds its figures afresh (``services.publish_report``)."""
    if report.pk is None:
        return live_summary(report)
    key, latest = _draft_keys(report)
    return built_once(key, lambda: _build_and_note(report, latest), timeout=KEEP_DRAFT_FIGURES_SECONDS)


@dataclass(frozen=True)
class DraftPreview:
    """A draft's figures to preview, and whether the records changed since they were built."""

    summary: CommitteeSummary
    updating: bool  # built from older records; the current figures are being built


def draft_preview(report: CommitteeReport) -> DraftPreview:
    """Return the draft's figures for its preview page: those of the records as they are now
    if kept; else, after a change of records (an import, say), the figures last built, at
    once, while the task worker builds the current ones (``rebuild_draft_figures``, queued
    once), as the dashboard does; with none built yet, the figures built there and then.

    Exports and publishing never take older figures (``kept_live_summary``, ``publish_report``)."""
    key, latest = _draft_keys(report)
    kept = cache.get(key)
    if kept is not None:
        return DraftPreview(summary=kept, updating=False)
    older = cache.get(latest)
    if older is not None and _queue_draft_rebuild(report, key):
        fresh = cache.get(key)
        return DraftPreview(summary=fresh, updating=False) if fresh is not None else DraftPreview(older, True)
    built = built_once(key, lambda: _build_and_note(report, latest), timeout=KEEP_DRAFT_FIGURES_SECONDS)
    return DraftPreview(summary=built, updating=False)


REBUILD_LOCK_SECONDS = 10 * 60  # a rebuild lost with its worker is queued again after this


def queue_draft_figures(report: CommitteeReport) -> bool:
    """Queue the build of a draft's figures from the records as they are now, unless they
    are kept or queued already; return whether a build is queued (``pages.warming``)."""
    key, _ = _draft_keys(report)
    if cache.get(key) is not None:
        return False
    return _queue_draft_rebuild(report, key)


def _queue_draft_rebuild(report: CommitteeReport, key: str) -> bool:
    """Queue the build of the draft's current figures once; return whether one is queued
    (now or by an earlier visit). The queue unreachable: False, and the page builds them."""
    if not cache.add(f"{key}:queued", True, REBUILD_LOCK_SECONDS):
        return True
    try:
        rebuild_draft_figures.enqueue(report.pk)
    except Exception:  # noqa: BLE001 - the queue unreachable: built while the page waits
        logger.exception("Could not queue the build of report %s's figures", report.pk)
        cache.delete(f"{key}:queued")
        return False
    return True


def changes_since_published(report: CommitteeReport) -> list[frozen.Difference]:
    """Return the figures that would differ if the published ``report`` were built today."""
    if not report.is_published:
        return []
    return frozen.differences(frozen.load(report.frozen_summary), live_summary(report))


def publication_preview(report: CommitteeReport) -> tuple[CommitteeSummary, list[Concern]]:
    """Return the draft ``report``'s figures as publishing would freeze and show them (small
    counts withheld, the author's words), and what is missing or doubtful in it."""
    summary = sentences.apply(
        frozen.suppress(live_summary(report), small_count_threshold()), report.sentences
    )
    concerns = publication_check(
        report, summary, officer_setting=settings.WORKFORCE.get("OFFICER_TO_CONTACT", "")
    )
    return with_paper(summary, paper_text(report)), concerns
