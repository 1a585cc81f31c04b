"""The committee reports stage of ``load_demo`` (runs last): the strategy's 24 actions (20
complete, 4 partially complete), an agency budget, the previous quarter's paper published
and the latest quarter's in draft."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model

from foundation.dates import long_date
from foundation.periods import add_months, financial_year, quarter_end_on_or_before
from reporting import services
from reporting.models import ActionStatus, AgencyBudget, CommitteeReport, StrategyAction
from workforce import analysis
from workforce.demo import demo_dates

TITLE = "Committee reports (strategy actions, agency budget, a published paper and a draft)"
COMMITTEE = "Children and Families Overview and Scrutiny Committee"
# The agency budget is set in proportion to the county's own agency use (its weekly
# charges): last year's a little above what was spent, this year's below the current
# rate of spend, so the paper shows a believable pressure rather than a tenfold overspend.
LAST_YEAR_SHARE = Decimal("1.04")
THIS_YEAR_SHARE = Decimal("0.92")
ROUND_TO = Decimal("10000")

# (title, owner), the strategy's implementation plan; the last four are partially complete.
ACTIONS: list[tuple[str, str]] = [
    ("Introduce a market premium for key social work roles", "Head of Service, Workforce"),
    ("Benchmark salaries against neighbouring authorities", "HR Business Partner"),
    ("Widen routes into social work: Frontline partnership", "Principal Social Worker"),
    ("Recruit and deploy social work apprentices", "Principal Social Worker"),
    ("Refresh the ASYE programme and support offer", "ASYE Programme Lead"),
    ("Publish policy and guidance on reflective supervision", "Principal Social Worker"),
    ("Run an annual leadership programme for new and aspiring managers", "Head of Service, Workforce"),
    ("Require monthly protected learning for managers and teams", "Heads of Service"),
    ("Launch the social work career pathway", "Principal Social Worker"),
    ("Map the learning offer to the knowledge and skills statements", "Workforce Development Manager"),
    ("Coordinate recruitment centrally with dedicated business support", "Recruitment Manager"),
    ("Run a rolling recruitment campaign for experienced social workers", "Recruitment Manager"),
    ("Targeted online advertising and social media for hard-to-fill roles", "Recruitment Manager"),
    ("Hold exit conversations with every leaver and report reasons quarterly", "Heads of Service"),
    ("Offer flexible working wherever the service allows", "HR Business Partner"),
    ("Agree a memorandum of co-operation on agency rates with neighbouring councils", "Assistant Director"),
    ("Enforce the agency framework contract and rate caps", "Commissioning Manager"),
    ("Offer agency workers a route to permanent roles", "Recruitment Manager"),
    ("Retention payments at service milestones", "Head of Service, Workforce"),
    ("Social worker health check and action plan", "Principal Social Worker"),
    ("Review capacity and demand across case-holding teams", "Transformation Unit"),
    ("Reduce reliance on agency additional capacity", "Assistant Director"),
    ("Wellbeing support for the emotional impact of the work", "Principal Social Worker"),
    ("Teaching partnership with local universities", "Workforce Development Manager"),
]
PARTIAL = 4

POLICY = (
    "A dedicated recruitment and retention strategy was reported to the Children's Social Care Panel, "
    "which asked for regular updates on progress."
)
BACKGROUND = (
    "The challenge to recruit and retain a stable social worker workforce is experienced across the "
    "country. The department relies on agency workers to cover vacancies, maternity leave and sickness, "
    "and on newly qualified social workers, who need a reduced caseload in their first year.\n\n"
    "Working in children's services is demanding: the work is complex and focused on the most "
    "vulnerable children, and the market for experienced social workers is competitive."
)
CONCLUSION = (
    "Recruiting and retaining experienced social workers remains a significant challenge. The strategy's "
    "actions are largely delivered; the measures above show where pressure remains."
)
RECOMMENDATIONS = (
    "The Committee is asked to note the content of this report and comment on the progress made."
)
EQUALITY = (
    "A stable, experienced workforce is part of ensuring that children and young people, many from "
    "marginalised families, remain at the centre of practice."
)
RESOURCES = (
    "Agency workers still cover vacancies, maternity leave and sickness, so the staffing budget carries "
    "their cost; the table above sets the spend against the budget for the same days."
)
SUMMARY = (
    "This paper updates the Committee on the recruitment and retention of children's social workers: "
    "the rates of turnover, vacancies and agency use, recruitment activity, why leavers left, and "
    "progress against the strategy."
)
FINANCIAL = (
    "The cost of agency workers is met from the social care staffing budget; the resource implications "
    "above set out the spend against it. There are no further financial implications of this report."
)
LEGAL = "There are no legal implications of this report."
BACKGROUND_PAPERS = (
    "Recruitment and retention strategy for children's social workers, Children's Social Care Panel\n"
    "Previous update to this Committee on the recruitment and retention of children's social workers"
)


def budget_for(start: dt.date, end: dt.date, share: Decimal) -> Decimal:
    """Return a year's agency budget: ``share`` of the agency spend the county's own records
    give for the 12 months to ``end``, rounded to £10,000 (not less than £10,000)."""
    spend = analysis.agency_spend(start=add_months(end, -12) + dt.timedelta(days=1), end=end)
    rounded = (spend * share / ROUND_TO).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * ROUND_TO
    return max(rounded, ROUND_TO)


def build(*, today: dt.date, stdout: Any = None) -> bool:
    """Add the demonstration's strategy actions, budget and two reports; False if already there."""
    if StrategyAction.objects.exists() or CommitteeReport.objects.exists():
        return False
    dates = demo_dates(today)
    latest = quarter_end_on_or_before(dates.window_end)
    previous = quarter_end_on_or_before(latest - dt.timedelta(days=1))

    for number, (title, owner) in enumerate(ACTIONS):
        partial = number >= len(ACTIONS) - PARTIAL
        services.save_strategy_action(
            action=StrategyAction(
                title=title,
                owner=owner,
                due_date=add_months(latest, -21 + number)
                if not partial
                else add_months(latest, 3 + number % 3),
                status=ActionStatus.PARTIAL if partial else ActionStatus.COMPLETE,
            )
        )

    for year_start, share in ((add_months(latest, -12), LAST_YEAR_SHARE), (latest, THIS_YEAR_SHARE)):
        start, end = financial_year(year_start)
        services.save_agency_budget(
            budget=AgencyBudget(
                period_start=start,
                period_end=end,
                amount=budget_for(start, end, share),
                notes="Agency provision in the staffing budget",
            )
        )

    words = {
        "committee": COMMITTEE,
        "scope": "all",
        "summary": SUMMARY,
        "financial_implications": FINANCIAL,
        "legal_implications": LEGAL,
        "background_papers": BACKGROUND_PAPERS,
        "policy_framework": POLICY,
        "background": BACKGROUND,
        "conclusion": CONCLUSION,
        "recommendations": RECOMMENDATIONS,
        "equality_implications": EQUALITY,
        "resource_implications": RESOURCES,
        "officer_to_contact": "Assistant Director, Children's Social Care\nEmail: workforce@example.org",
    }
    published = services.save_report(
        report=CommitteeReport(as_at=previous, meeting_date=add_months(previous, 2), **words)
    )
    director = get_user_model().objects.filter(username="director").first()
    services.publish_report(report=published, user=director)
    services.save_report(report=CommitteeReport(as_at=latest, meeting_date=add_months(latest, 2), **words))
    if stdout is not None:
        stdout.write(
            f"  committee reports: published as at {long_date(previous)}, draft as at {long_date(latest)}"
        )
    return True
