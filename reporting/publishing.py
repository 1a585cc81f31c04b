"""What to check before publishing a committee paper: what is missing or doubtful.

``publication_check`` reads a report's words and the summary it would freeze (with small
counts withheld, as published) and lists every concern for the check page the admin and
the reports page show before asking for confirmation. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reporting.figures import CommitteeSummary, Section

if TYPE_CHECKING:
    from reporting.models import CommitteeReport

MISSING = "missing"
DOUBTFUL = "doubtful"
WITHHELD = "withheld"

# The narrative parts a committee paper is expected to have (as the seeds do).
EXPECTED_WORDS = (
    ("summary", "Summary"),
    ("policy_framework", "Policy framework and previous decisions"),
    ("background", "Background"),
    ("financial_implications", "Financial implications"),
    ("legal_implications", "Legal implications"),
    ("equality_implications", "Equality and human rights implications"),
    ("conclusion", "Conclusion"),
    ("recommendations", "Recommendations"),
)


@dataclass(frozen=True)
class Concern:
    kind: str  # MISSING, DOUBTFUL or WITHHELD
    text: str


def _no_data(section: Section) -> bool:
    """Return True if a section counted over a window found nothing in it."""

    def value(table: str, row: str, column: str) -> bool:
        cell = section.table(table).cell(row, column)
        return not cell.suppressed and not cell.value

    match section.key:
        case "starters":
            return value("starters_by_origin", "total", "headcount")
        case "recruitment":
            funnel = "recruitment_funnel"
            return value(funnel, "total", "received") and value(funnel, "newly_qualified", "received")
        case "leavers":
            return value("leavers_summary", "total", "count")
        case "reasons":
            return not section.table("leavers_reasons").rows
        case "absence":
            return value("absence", "available", "value")
        case "agency_spend":
            return value("agency_spend", "spend", "value")
    return False


def publication_check(
    report: CommitteeReport, summary: CommitteeSummary, *, officer_setting: str = ""
) -> list[Concern]:
    """Return what is missing or doubtful in ``report`` as it would be published with
    ``summary``: empty narrative parts, windows with no data, no agency budget, sentences
    the author reworded (check them against the figures), and withheld small counts."""
    concerns = [
        Concern(MISSING, f"“{label}” is empty.")
        for name, label in EXPECTED_WORDS
        if not (getattr(report, name) or "").strip()
    ]
    if not report.officer_to_contact.strip() and not officer_setting.strip():
        concerns.append(
            Concern(MISSING, "There is no officer to contact (on the report or in the settings).")
        )
    for section in summary.sections:
        if section.window is not None and _no_data(section):
            concerns.append(
                Concern(DOUBTFUL, f"“{section.title}” has no data in its window, {section.window.label}.")
            )
    if summary.section("agency_spend").table("agency_spend").cell("budget_to_date", "value").value is None:
        concerns.append(Concern(MISSING, "No agency budget is recorded for the agency spend window."))
    for section in summary.sections:
        if section.sentence != section.drafted:
            concerns.append(
                Concern(
                    DOUBTFUL,
                    f"The sentence of “{section.title}” is the author's own wording: check it against the "
                    f"figures (drafted: “{section.drafted}”).",
                )
            )
    for table in summary.tables():
        withheld = sum(cell.suppressed for row in table.rows for cell in row.cells)
        if withheld:
            concerns.append(
                Concern(
                    WITHHELD,
                    f"“{table.title}”: {withheld} figure{'s' * (withheld != 1)} withheld as small counts.",
                )
            )
    return concerns
