"""The definitions a committee report prints as footnotes, worded from the council's settings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from foundation.measures import DASH, IN_POST, format_rate
from reporting.figures import Definition


def definitions(*, scope_label: str) -> tuple[Definition, ...]:
    """Return the definitions behind every figure of the summary, in footnote order."""
    workforce = settings.WORKFORCE
    target = format_rate(Decimal(workforce.get("PERMANENT_FILL_TARGET", "85")))
    if workforce.get("VACANCY_RATE_DENOMINATOR") == IN_POST:
        vacancy = (
            "Vacancy FTE divided by the FTE of social workers in post (the council's own definition). "
            "A vacancy is the FTE of an establishment post not held by an employee; a vacancy covered "
            "by an agency worker is still a vacancy."
        )
    else:
        vacancy = (
            "Vacancy FTE divided by vacancy FTE plus the FTE of social workers in post (the national "
            "census definition). A vacancy is the FTE of an establishment post not held by an employee; "
            "a vacancy covered by an agency worker is still a vacancy."
        )
    window = "section's window (given in its heading)"
    return (
        Definition(
            "scope",
            "Scope",
            f"{scope_label}: employees and agency workers in children-and-family social work roles, "
            "managers included. Rates are shown to one decimal place with the FTE they count in brackets; "
            f"'{DASH}' means there is nothing to divide by.",
        ),
        Definition(
            "turnover",
            "Turnover rate",
            "The FTE at leaving of employees who left in the 12 months to the date, divided by the FTE of "
            "social workers in post on the date. An agency worker's assignment ending is not a leaver.",
        ),
        Definition("vacancy", "Vacancy rate", vacancy),
        Definition(
            "agency",
            "Agency rate",
            "Agency FTE divided by agency FTE plus the FTE of social workers in post, on the date.",
        ),
        Definition(
            "permanent_fill",
            "Posts filled by permanent staff",
            "Establishment FTE less vacancy FTE, divided by establishment FTE, against a target of "
            f"{target}. "
            "Employees on fixed-term contracts and on leave (maternity included) hold their posts.",
        ),
        Definition(
            "agency_fill",
            "Posts filled by agency staff",
            "The FTE of agency workers engaged to cover vacancies in establishment posts, divided by "
            "establishment FTE.",
        ),
        Definition(
            "vacancy_cover",
            "Vacancies covered by agency workers",
            "The FTE of agency workers engaged to cover vacancies, divided by vacancy FTE.",
        ),
        Definition(
            "in_post",
            "Social workers in post",
            "The FTE of employees (permanent and fixed term) in post on the date.",
        ),
        Definition("headcount", "Headcount", "Distinct people, however many posts each holds."),
        Definition(
            "starters",
            "Starters",
            f"Employees who began employment in the {window} (a move between posts is "
            "not a start; an agency worker taking a permanent post is), by the census origin recorded.",
        ),
        Definition(
            "funnel",
            "Recruitment funnel",
            f"Applications received in the {window} and the stage each had reached by its end. Newly "
            "qualified applicants are counted apart; internal candidates already work for the council.",
        ),
        Definition(
            "internal",
            "Internal candidates",
            "Candidates already employed by the council, as a share of all the candidates interviewed "
            "and of all those offered a post, among the applications received in the window.",
        ),
        Definition(
            "time_to_hire",
            "Days to offer and to start",
            "The median number of calendar days from the day an application was received to the offer, "
            "and to the start, over the applications received in the window that reached each by its "
            "end; '–' where none did.",
        ),
        Definition(
            "declines",
            "Offers declined or withdrawn",
            "Offers to applications received in the window, newly qualified included, declined or "
            "withdrawn (by either side) by its end, by the reason recorded. 'Not recorded': declined "
            "or withdrawn before reasons were kept.",
        ),
        Definition(
            "leavers",
            "Leavers",
            f"Employees who left in the {window}; agency workers are not leavers.",
        ),
        Definition(
            "service",
            "Length of service",
            "Continuous service with the council at the leaving date: under 1 year, 1 to under 3, "
            "3 to under 5, 5 to under 10, 10 years or more.",
        ),
        Definition(
            "reasons",
            "Reasons for leaving",
            "Reasons recorded by managers from exit conversations, as a % of all leavers in the window; "
            "a leaver may give several, and some have no conversation recorded yet, so the percentages "
            "do not add up to 100.",
        ),
        Definition(
            "destination",
            "Destination",
            "Where leavers went next, as their managers recorded it in the exit conversation; leavers "
            "with no conversation recorded yet are counted apart, so the percentages, all of the "
            "leavers in the window, add up to 100.",
        ),
        Definition(
            "experience",
            "Time since qualifying",
            "Employees in post on the as-at date by the date they qualified as social workers: the ASYE "
            "is the first 12 months after qualifying.",
        ),
        Definition(
            "absence",
            "Absence rate",
            f"Working days lost to absence in the {window} (pro rata for absences "
            "running past either end), divided by the working days available: each employee's FTE times "
            "the weekdays they were in post.",
        ),
        Definition(
            "strategy",
            "Strategy actions",
            "The actions of the recruitment and retention strategy, by their status when the figures "
            "were built.",
        ),
        Definition(
            "agency_spend",
            "Agency spend",
            "Over the section's window, for the teams and roles in scope: the suppliers' invoice lines "
            "up to the latest week invoiced (each counted in the week it ends), then each agency worker's "
            "weekly charge pro rata to the days engaged; against the agency budget pro rata to the same "
            "days (a window across two budget periods takes each budget for its own days). Without "
            "invoices, all of it is estimated from the weekly charges; the paper says which.",
        ),
        Definition(
            "agency_rules",
            "National agency rules",
            "DfE's statutory guidance on agency child and family social workers (from 31 October 2024): "
            "pay within the regional price cap for the core job type (pay rate, employer National Insurance "
            "and apprenticeship levy) or with the sign-off of the Director of Children's Services and the "
            "chief executive; three years' post-qualifying experience in local authorities; no engagement "
            "within three months of leaving a permanent role in this council or region, except after "
            "redundancy, during probation, on moving to a permanent role or from another region; four "
            "weeks' notice (or the council's shorter notice); a practice-based reference; and every worker "
            "in a project team identified and costed. Agency workers engaged on the as-at date; 'not known' "
            "means the records lack what the rule needs.",
        ),
        Definition(
            "quotes",
            "Quotes",
            "Quoted only where the leaver agreed to be quoted anonymously; no names are given.",
        ),
    )


def suppression_definition(threshold: int, withheld: str) -> Definition:
    """Return the footnote explaining small-count suppression."""
    return Definition(
        "suppression",
        "Small numbers",
        f"Counts of people from 1 to {threshold - 1} are shown as '<{threshold}', and the figures beside "
        f"them as '{withheld}', so that no one can be identified. So that no such count can be worked out "
        f"from a total by subtraction, other figures in its row, column or total are shown as '{withheld}' "
        "too.",
    )
