"""The committee reports stage of ``load_demo`` (runs last): the strategy's 24 actions (20
complete, 4 partially complete), an agency budget, the previous quarter's paper published
and the latest quarter's in draft."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from foundation.periods import add_months, financial_year, quarter_end_on_or_before
from reporting import services
from reporting.models import ActionStatus, AgencyBudget, CommitteeReport, StrategyAction
from workforce.demo import demo_dates

TITLE = "Committee reports (strategy actions, agency budget, a published paper and a draft)"
COMMITTEE = "Children and Families Overview and Scrutiny Committee"
# Near what the demonstration's agency workers cost (about £3.6m a year), and exceeded.
AGENCY_BUDGET = Decimal("3000000")
PREVIOUS_AGENCY_BUDGET = Decimal("2900000")

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
    "The pressure on the social care staffing budget persists because of the number of agency workers "
    "still required; robust contract management continues to control costs."
)


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

    start, end = financial_year(latest)
    for period_start, period_end, amount in (
        (add_months(start, -12), start - dt.timedelta(days=1), PREVIOUS_AGENCY_BUDGET),
        (start, end, AGENCY_BUDGET),
    ):
        services.save_agency_budget(
            budget=AgencyBudget(
                period_start=period_start,
                period_end=period_end,
                amount=amount,
                notes="Agency provision in the staffing budget",
            )
        )

    words = {
        "committee": COMMITTEE,
        "scope": "all",
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
            f"  committee reports: published as at {previous:%d %B %Y}, draft as at {latest:%d %B %Y}"
        )
    return True
