"""The committee summary: every figure of the committee report, built once, as plain data.

``build_committee_summary`` reads the selectors (establishment, leavers, recruitment,
workforce analyses, strategy, budget) a fixed number of times and returns frozen
dataclasses: sections of tables whose cells carry both the number and the text the
paper prints, the drafted sentence of each section, and the definitions used. Pages,
the admin, the command line and every exporter lay this out; none computes a figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils import timezone

from foundation.periods import months_to, twelve_months_to
from leavers import selectors as leavers_selectors
from recruitment import selectors as recruitment_selectors
from reporting import agency_section, definitions, sections, sentences
from reporting.figures import CommitteeSummary, PaperText
from workforce import analysis
from workforce.models import Role
from workforce.scopes import Scope
from workforce.selectors import establishment_on_dates


def build_committee_summary(
    *,
    as_of: dt.date,
    comparison_dates: list[dt.date] | tuple[dt.date, ...],
    scope: Scope | None = None,
    window_months: int = 12,
    now: dt.datetime | None = None,
) -> CommitteeSummary:
    """Return every figure of the committee report for ``as_of`` in ``scope``.

    The measures table has a column for each comparison date (the first, if there is
    more than one date, is the baseline) and for ``as_of``; turnover at each is over the
    12 months to it. The analyses (starters, recruitment, leavers, absence) cover the
    ``window_months`` months to ``as_of``. The number of queries depends on the number
    of dates, never on the number of records.
    """
    # The report's own selectors read reports, which are built from this summary.
    from reporting import selectors

    scope = scope or Scope.everything()
    if any(day > as_of for day in comparison_dates):
        raise ValueError("Comparison dates must be on or before the as-at date.")
    dates = tuple(sorted({*comparison_dates, as_of}))
    baseline = dates[0] if len(dates) > 1 else None
    window_start, window_end = months_to(as_of, window_months)

    snapshots = establishment_on_dates(dates, scope)
    turnover_windows = {day: twelve_months_to(day) for day in dates}
    turnover_leavers = leavers_selectors.leavers_fte_over(turnover_windows, scope=scope)
    roles = list(Role.objects.filter(in_scope=True).order_by("order", "name").values_list("pk", "name"))
    leavers = leavers_selectors.leavers_analysis(start=window_start, end=window_end, scope=scope)
    funnel = recruitment_selectors.recruitment_funnel(start=window_start, end=window_end, scope=scope)
    starters = analysis.starters_by_origin(start=window_start, end=window_end, scope=scope)
    experience = analysis.experience_profile(day=as_of, scope=scope)
    absence = analysis.absence_over(start=window_start, end=window_end, scope=scope)
    spend = selectors.agency_spend_against_budget(as_of=as_of, scope=scope)

    parts = (
        sections.measures_section(dates, baseline, snapshots, turnover_leavers),
        sections.vacancies_section(snapshots[as_of], roles),
        sections.agency_section(snapshots[as_of]),
        agency_section.build(as_of=as_of, scope=scope, window_start=window_start, window_end=window_end),
        sections.permanent_fill_section(dates, baseline, snapshots),
        sections.starters_section(starters),
        sections.recruitment_section(funnel),
        sections.leavers_section(leavers),
        sections.experience_section(experience),
        sections.absence_section(absence),
        sections.strategy_section(selectors.strategy_progress(as_of=as_of)),
        sections.agency_spend_section(spend),
    )
    summary = CommitteeSummary(
        as_of=as_of,
        dates=dates,
        baseline=baseline,
        scope_text=scope.as_text(),
        scope_label=scope.label,
        window_start=window_start,
        window_end=window_end,
        window_months=window_months,
        built_at=now or timezone.now(),
        sections=parts,
        definitions=definitions.definitions(scope_label=scope.label, window_months=window_months),
    )
    return sentences.redraft(summary)


def with_paper(summary: CommitteeSummary, paper: PaperText | None) -> CommitteeSummary:
    """Return ``summary`` carrying the report's own words."""
    return replace(summary, paper=paper)
