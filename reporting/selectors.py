"""Reads for the committee report: strategy progress, agency spend against budget, and the
summary a report shows (its frozen figures once published, else built from the records)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q

from foundation import measures
from foundation.periods import financial_year, financial_year_label
from reporting import frozen, sentences
from reporting.figures import DEFAULT_PURPOSE, CommitteeSummary, PaperText, long_date
from reporting.models import ActionStatus, AgencyBudget, CommitteeReport, StrategyAction
from reporting.summary import build_committee_summary, with_paper
from workforce.scopes import Scope
from workforce.selectors.agency_spend import ESTIMATED, spend_to_date


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
    period_start: dt.date
    period_end: dt.date
    period_label: str
    start: dt.date  # spend is counted from here ...
    end: dt.date  # ... to here (the as-at date, or the period's end if earlier)
    budget: Decimal | None  # None: no budget recorded for the period
    spend: Decimal
    budget_to_date: Decimal | None
    projected: Decimal | None
    basis: str = ESTIMATED  # what ``spend`` rests on: "actual", "mixed" or "estimated"
    basis_text: str = ""  # the same in words, for the paper
    estimated: Decimal | None = None  # the estimate from weekly charges, for comparison


def agency_spend_against_budget(*, as_of: dt.date, scope: Scope | None = None) -> AgencySpend:
    """Return agency spend from the start of the budget period containing ``as_of`` to
    ``as_of``, against the budget pro rata and projected for the whole period. Without a
    budget, the period is the financial year. The spend is actual where suppliers have invoiced
    and estimated from weekly charges for the rest; ``basis`` says which
    (``workforce.selectors.agency_spend``). Three queries."""
    budget = AgencyBudget.objects.covering(as_of).order_by("period_start").first()
    if budget is not None:
        period_start, period_end, amount = budget.period_start, budget.period_end, budget.amount
    else:
        (period_start, period_end), amount = financial_year(as_of), None
    if (period_start, period_end) == financial_year(period_start):
        label = financial_year_label(period_start)
    else:
        label = f"{long_date(period_start)} to {long_date(period_end)}"
    end = min(as_of, period_end)
    total = spend_to_date(start=period_start, end=end, scope=scope)
    spend = total.spend
    elapsed = (end - period_start).days + 1
    whole = (period_end - period_start).days + 1
    return AgencySpend(
        period_start=period_start,
        period_end=period_end,
        period_label=label,
        start=period_start,
        end=end,
        budget=amount,
        spend=spend,
        budget_to_date=measures.pro_rata(amount, elapsed, whole) if amount is not None else None,
        projected=measures.pro_rata(spend, whole, elapsed),
        basis=total.basis,
        basis_text=total.basis_text,
        estimated=total.estimated,
    )


def paper_text(report: CommitteeReport) -> PaperText:
    """Return the report's own words for the paper."""
    return PaperText(
        title=report.title,
        committee=report.committee,
        meeting_date=report.meeting_date,
        purpose=report.purpose or DEFAULT_PURPOSE,
        policy_framework=report.policy_framework,
        background=report.background,
        resource_implications=report.resource_implications,
        conclusion=report.conclusion,
        recommendations=report.recommendations,
        equality_implications=report.equality_implications,
        officer_to_contact=report.officer_to_contact,
        status=report.status,
        published_at=report.published_at,
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
        now=now,
    )


def report_summary(report: CommitteeReport) -> CommitteeSummary:
    """Return the summary ``report`` shows: once published, the figures frozen in it with
    small counts suppressed; before, the figures built from today's records. Either way
    with the author's sentences and words."""
    if report.is_published:
        summary = frozen.suppress(frozen.load(report.frozen_summary), small_count_threshold())
    else:
        summary = live_summary(report)
    return with_paper(sentences.apply(summary, report.sentences), paper_text(report))


def changes_since_published(report: CommitteeReport) -> list[frozen.Difference]:
    """Return the figures that would differ if the published ``report`` were built today."""
    if not report.is_published:
        return []
    return frozen.differences(frozen.load(report.frozen_summary), live_summary(report))
