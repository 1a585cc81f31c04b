"""The committee summary: every figure of the committee report, built once, as plain data.

``build_committee_summary`` reads the selectors (establishment, leavers, recruitment,
workforce analyses, strategy, budget) a fixed number of times and returns frozen
dataclasses: sections of tables whose cells carry both the number and the text the
paper prints, the drafted sentence of each section, and the definitions used. Pages,
the admin, the command line and every exporter lay this out; none computes a figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from django.utils import timezone

from foundation.periods import twelve_months_to
from foundation.windows import Window, default_window, resolve_windows
from leavers import selectors as leavers_selectors
from recruitment import selectors as recruitment_selectors
from reporting import agency_section, caseload_section, definitions, forecast_section, sections, sentences
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
    windows: Mapping[str, Window] | None = None,
    now: dt.datetime | None = None,
    forecast: forecast_section.Options | None = None,
) -> CommitteeSummary:
    """Return every figure of the committee report for ``as_of`` in ``scope``.

    The measures table has a column for each comparison date (the first, if there is
    more than one date, is the baseline) and for ``as_of``; turnover at each is over the
    12 months to it. Each section counted over a period (``foundation.windows``) uses its
    window from ``windows``, else the ``window_months`` months to ``as_of``; a window
    ending before it starts or after ``as_of`` raises ``WindowError``. The number of
    queries depends on the number of dates, never on the number of records. With
    ``forecast`` it includes the "Looking ahead" section (``reporting.forecast_section``).
    """
    # The report's own selectors read reports, which are built from this summary.
    from reporting import selectors

    scope = scope or Scope.everything()
    if any(day > as_of for day in comparison_dates):
        raise ValueError("Comparison dates must be on or before the as-at date.")
    dates = tuple(sorted({*comparison_dates, as_of}))
    baseline = dates[0] if len(dates) > 1 else None
    default = default_window(as_of, window_months)
    window = resolve_windows(as_of, default=default, overrides=windows)

    snapshots = establishment_on_dates(dates, scope)
    turnover_windows = {day: twelve_months_to(day) for day in dates}
    turnover_leavers = leavers_selectors.leavers_fte_over(turnover_windows, scope=scope)
    roles = list(Role.objects.filter(in_scope=True).order_by("order", "name").values_list("pk", "name"))

    def leavers_over(key: str) -> leavers_selectors.LeaversAnalysis:
        return leavers_selectors.leavers_analysis(start=window[key].start, end=window[key].end, scope=scope)

    leavers = leavers_over("leavers")
    reasons = leavers if window["reasons"] == window["leavers"] else leavers_over("reasons")
    recruitment = window["recruitment"]
    funnel = recruitment_selectors.recruitment_funnel(
        start=recruitment.start, end=recruitment.end, scope=scope
    )
    starters = analysis.starters_by_origin(
        start=window["starters"].start, end=window["starters"].end, scope=scope
    )
    experience = analysis.experience_profile(day=as_of, scope=scope)
    absence = analysis.absence_over(start=window["absence"].start, end=window["absence"].end, scope=scope)
    # The agency section and the spend against the budget count the same lines over the same
    # window: read once.
    agency_window = window["agency_spend"]
    agency_spend = agency_section.read_spend(
        scope=scope, window_start=agency_window.start, window_end=agency_window.end
    )
    spend = selectors.agency_spend_against_budget(
        as_of=as_of, scope=scope, window=agency_window, total=agency_spend.as_total()
    )
    comparators = caseload_section.comparators(as_of)

    # The paper's parts in order. A new section adds one line here (and, if it counts
    # over a period, its key to foundation.windows.SECTION_WINDOWS).
    parts = [
        caseload_section.with_comparators(
            sections.measures_section(dates, baseline, snapshots, turnover_leavers), comparators, as_of
        ),
        *forecast_section.parts(as_of=as_of, dates=dates, scope=scope, options=forecast),
        sections.vacancies_section(snapshots[as_of], roles),
        sections.agency_section(snapshots[as_of]),
        agency_section.build(
            as_of=as_of,
            scope=scope,
            window_start=agency_window.start,
            window_end=agency_window.end,
            spend=agency_spend,
        ),
        sections.permanent_fill_section(dates, baseline, snapshots),
        sections.starters_section(starters, window["starters"]),
        sections.recruitment_section(funnel, window["recruitment"]),
        sections.leavers_section(leavers, window["leavers"]),
        sections.reasons_section(reasons, window["reasons"]),
        sections.experience_section(experience),
        caseload_section.caseload_section(
            as_of=as_of, dates=dates, baseline=baseline, scope=scope, found=comparators
        ),
        sections.absence_section(absence, window["absence"]),
        sections.strategy_section(selectors.strategy_progress(as_of=as_of)),
        sections.agency_spend_section(spend, window["agency_spend"]),
    ]
    summary = CommitteeSummary(
        as_of=as_of,
        dates=dates,
        baseline=baseline,
        scope_text=scope.as_text(),
        scope_label=scope.label,
        window_start=default.start,
        window_end=default.end,
        window_months=window_months,
        built_at=now or timezone.now(),
        sections=tuple(parts),
        definitions=(
            definitions.definitions(scope_label=scope.label) + caseload_section.definitions(comparators)
        ),
    )
    return sentences.redraft(summary)


def with_paper(summary: CommitteeSummary, paper: PaperText | None) -> CommitteeSummary:
    """Return ``summary`` carrying the report's own words."""
    return replace(summary, paper=paper)
