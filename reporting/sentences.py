"""The drafted sentence of each figures section, in the papers' own style.

Each drafter reads only the printed cells of its section's tables, so a summary with
small counts withheld is drafted from what is left ("<5 leavers"), never from the
numbers behind them. The author may reword any sentence; ``apply`` puts their words in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from foundation.measures import format_money, format_rate
from reporting import agency_section, caseload_section, forecast_section
from reporting.figures import Cell, CommitteeSummary, Section, column_heading, long_date


def _join(parts: list[str]) -> str:
    """Return "a", "a and b" or "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _number(cell: Cell) -> Decimal:
    return cell.value if cell.value is not None else Decimal(0)


def _people(cell: Cell, singular: str, plural: str) -> str:
    """Return "1 leaver", "12 leavers" or "<5 leavers"."""
    one = not cell.suppressed and cell.value == 1
    return f"{cell.text} {singular if one else plural}"


def _verb(cell: Cell, singular: str, plural: str) -> str:
    return singular if not cell.suppressed and cell.value == 1 else plural


def _with_share(count: Cell, share: Cell) -> str:
    """Return "56 (38.9%)", or just the count where the share is withheld or undefined."""
    if share.suppressed or share.value is None:
        return count.text
    return f"{count.text} ({share.text})"


def _window(section: Section, summary: CommitteeSummary) -> str:
    """Return how a sentence names the section's window: "the 12 months to 30 June 2019"."""
    if section.window is None:
        return f"the {summary.window_months} months to {long_date(summary.as_of)}"
    return section.window.phrase


def _movement(name: str, before: Cell, now: Cell) -> str:
    """Return how a rate moved, in words chosen from the printed figures: risen, fallen,
    unchanged (when both print the same), or which end has no figure."""
    if before.value is None and now.value is None:
        return f"there is no {name} at either date (nothing to divide by)"
    if before.value is None:
        return f"the {name} is now {format_rate(now.value)} (there was no figure at the baseline)"
    if now.value is None:
        was = format_rate(before.value)
        return f"there is no {name} now (nothing to divide by), against {was} at the baseline"
    was, is_ = format_rate(before.value), format_rate(now.value)
    if was == is_:
        return f"the {name} is unchanged at {is_}"
    if now.value > before.value:
        return f"the {name} has risen from {was} to {is_}"
    return f"the {name} has fallen from {was} to {is_}"


def _measures(section: Section, summary: CommitteeSummary) -> str:
    table = section.table("measures")
    last = summary.as_of.isoformat()
    names = (("turnover", "turnover rate"), ("vacancy", "vacancy rate"), ("agency", "agency rate"))
    if summary.baseline is None:
        parts = [
            f"the {name} is {table.cell(key, last).text}"
            if table.cell(key, last).value is not None
            else f"there is no {name} (nothing to divide by)"
            for key, name in names
        ]
        return f"At {long_date(summary.as_of)} {_join(parts)}."
    first = summary.baseline.isoformat()
    parts = [_movement(name, table.cell(key, first), table.cell(key, last)) for key, name in names]
    baseline = column_heading(summary.baseline, baseline=True)
    return (
        f"Since the {baseline[0].lower()}{baseline[1:]} {_join(parts)}. "
        "The table below shows each rate at each date, with the FTE it counts in brackets."
    )


def _vacancies(section: Section, summary: CommitteeSummary) -> str:
    table = section.table("vacancies_by_role")
    vacancy = table.column_index("vacancy")
    parts = [
        f"{row.cells[vacancy].text} FTE {row.label.lower()} vacancies"
        for row in table.rows
        if not row.total and _number(row.cells[vacancy]) > 0
    ]
    day = long_date(summary.as_of)
    if not parts:
        return f"As of {day} there are no vacancies in social work and management roles."
    sentence = f"As of {day} there are {_join(parts)}."
    if len(parts) > 1:
        sentence += f" In all, {table.cell('total', 'vacancy').text} FTE is vacant."
    return sentence


def _agency(section: Section, summary: CommitteeSummary) -> str:
    table = section.table("agency_by_reason")
    fte, heads = table.cell("total", "fte"), table.cell("total", "headcount")
    day = long_date(summary.as_of)
    if not heads.suppressed and _number(heads) == 0:
        return f"At {day} there were no agency workers."
    if fte.suppressed:
        workers = _people(heads, "agency worker", "agency workers")
    else:
        workers = f"{fte.text} FTE agency workers ({_people(heads, 'person', 'people')})"
    return f"At {day} there were {workers}, broken down by the reason they were engaged as follows."


def _permanent_fill(section: Section, summary: CommitteeSummary) -> str:
    table = section.table("permanent_fill")
    now = table.row(summary.as_of.isoformat())
    permanent, agency, target = (
        now.cells[table.column_index(key)] for key in ("permanent", "agency", "target")
    )
    day = long_date(summary.as_of)
    if permanent.value is None:
        return f"{summary.scope_phrase} at {day} there were no establishment posts."
    compared = ["", ""]
    if summary.baseline is not None:
        then = table.row(summary.baseline.isoformat())
        when = long_date(summary.baseline)
        compared = [
            f" (compared to {then.cells[table.column_index(key)].text} at {when})"
            for key in ("permanent", "agency")
        ]
    sentence = (
        f"{summary.scope_phrase} at {day}, {permanent.text} of posts were filled by permanent employees"
        f"{compared[0]} with a further {agency.text} being filled by agency staff{compared[1]}."
    )
    if target.value is None:
        return sentence
    if permanent.value >= target.value:
        return f"{sentence} This meets the target of {target.text}."
    return f"{sentence} The target of {target.text} has not been met."


def _starters(section: Section, summary: CommitteeSummary) -> str:
    table = section.table("starters_by_origin")
    total = table.row("total")
    heads, fte = total.cells[table.column_index("headcount")], total.cells[table.column_index("fte")]
    if not heads.suppressed and _number(heads) == 0:
        return f"No employees started in social work and management roles in {_window(section, summary)}."
    sentence = (
        f"In {_window(section, summary)}, {_people(heads, 'employee', 'employees')} started in social work "
        f"and management roles ({fte.text} FTE)"
    )
    if table.has_row("1"):
        sentence += f", {table.cell('1', 'headcount').text} of them newly qualified"
    return sentence + "."


def _recruitment(section: Section, summary: CommitteeSummary) -> str:
    table = section.table("recruitment_funnel")
    cells = {column.key: table.cell("total", column.key) for column in table.columns}
    window = f"In {_window(section, summary)}"
    if not cells["received"].suppressed and _number(cells["received"]) == 0:
        sentence = f"{window} no applications were received (newly qualified applicants excluded)."
    else:
        sentence = (
            f"{window}, {_people(cells['received'], 'application was', 'applications were')} received for "
            f"social work and management posts (newly qualified applicants excluded): "
            f"{cells['interviewed'].text} {_verb(cells['interviewed'], 'was', 'were')} interviewed, "
            f"{cells['offered'].text} {_verb(cells['offered'], 'was', 'were')} offered a post and "
            f"{cells['started'].text} started by the end of the window"
        )
        share = cells["internal_offers"]
        if share.value is not None and not share.suppressed:
            sentence += f"; {share.text} of the offers were to internal candidates"
        sentence += "."
    received, offered = table.cell("newly_qualified", "received"), table.cell("newly_qualified", "offered")
    if received.suppressed or _number(received):
        sentence += (
            " A further "
            + _people(received, "newly qualified application was", "newly qualified applications were")
            + f" received, and {offered.text} offered a post."
        )
    return sentence


def _leavers(section: Section, summary: CommitteeSummary) -> str:
    headline = section.table("leavers_summary")
    total = headline.cell("total", "count")
    if not total.suppressed and _number(total) == 0:
        return f"No employees left in {_window(section, summary)}."
    sentence = (
        f"Of the {_people(total, 'leaver', 'leavers')} in {_window(section, summary)} "
        f"({headline.cell('fte', 'count').text} FTE)"
    )
    categories = section.table("leavers_by_category")
    top = sorted(categories.rows, key=lambda row: -_number(row.cells[1]))[:4]
    if top:
        listed = "; ".join(f"{row.label.lower()}, {_with_share(row.cells[1], row.cells[2])}" for row in top)
        sentence += f", the highest proportions were in the following categories: {listed}"
    sentence += "."
    under_3, under_1 = headline.row("under_3_years"), headline.row("under_1_year")
    return sentence + (
        f" {_with_share(under_3.cells[1], under_3.cells[2])} had less than 3 years' service and, of these, "
        f"{_with_share(under_1.cells[1], under_1.cells[2])} had less than 1 year's service."
    )


def _reasons(section: Section, summary: CommitteeSummary) -> str:
    destinations = section.table("leavers_by_destination")
    total = destinations.cell("total", "count")
    window = _window(section, summary)
    if not total.suppressed and _number(total) == 0:
        return f"No employees left in {window}, so there are no reasons for leaving to report."
    missing = destinations.cell("without_conversation", "count")
    sentence = f"There {_verb(total, 'was', 'were')} {_people(total, 'leaver', 'leavers')} in {window}"
    if not missing.suppressed and _number(missing) == 0:
        sentence += ", and managers recorded an exit conversation with every one."
    elif not missing.suppressed and not total.suppressed and missing.value == total.value:
        return sentence + (
            "; no exit conversation has been recorded with any of them yet, so there are no reasons to give."
        )
    else:
        sentence += (
            f"; {_people(missing, 'leaver has', 'leavers have')} no exit conversation recorded yet "
            f"({destinations.cell('without_conversation', 'percent').text} of leavers), so the reasons "
            "below are incomplete."
        )
    reasons = section.table("leavers_reasons")
    top = sorted(reasons.rows, key=lambda row: -_number(row.cells[1]))[:3]
    if top:
        listed = "; ".join(f"{row.label.lower()}, {_with_share(row.cells[1], row.cells[2])}" for row in top)
        sentence += f" The reasons most often cited were: {listed}."
    return sentence


def _experience(section: Section, summary: CommitteeSummary) -> str:
    table = section.table("experience")
    total = table.cell("total", "headcount")
    day = long_date(summary.as_of)
    if not total.suppressed and _number(total) == 0:
        return f"At {day} there are no social workers in post."

    def band(key: str) -> str:
        if not table.has_row(key):
            return "0"
        return _with_share(table.cell(key, "headcount"), table.cell(key, "percent"))

    return (
        f"At {day}, {band('asye')} of the {_people(total, 'social worker', 'social workers')} in post are in "
        f"their assessed and supported year in employment (ASYE) and a further {band('under_2')} qualified "
        f"less than two years ago; {band('5_plus')} qualified five or more years ago."
    )


def _absence(section: Section, summary: CommitteeSummary) -> str:
    table = section.table("absence")
    available, lost, rate = (table.cell(key, "value") for key in ("available", "lost", "rate"))
    if rate.value is None:
        return (
            f"No working days were available in {_window(section, summary)}: there were no employees in post."
        )
    sentence = (
        f"In {_window(section, summary)}, {lost.text} working days were lost to absence: {rate.text} of the "
        f"{available.text} working days available."
    )
    reasons = section.table("absence_by_reason")
    if reasons.has_row("SIC"):
        sentence += f" Sick leave accounts for {reasons.cell('SIC', 'days').text} of the days lost."
    return sentence


def _strategy(section: Section, summary: CommitteeSummary) -> str:
    table = section.table("strategy")
    total = table.cell("total", "actions")
    if _number(total) == 0:
        return "No strategy actions are recorded."
    parts = []
    for key, singular, plural in (
        ("complete", "has been completed", "have been completed"),
        ("partial", "is partially completed", "are partially completed"),
        ("not_started", "has not been started", "have not been started"),
    ):
        cell = table.cell(key, "actions")
        if _number(cell):
            parts.append(f"{cell.text} {_verb(cell, singular, plural)}")
    sentence = (
        f"The implementation plan for the strategy has a total of {_people(total, 'action', 'actions')} "
        f"identified. Of these, {_join(parts)}."
    )
    overdue = table.cell("overdue", "actions")
    if _number(overdue):
        verb = _verb(overdue, "is", "are")
        sentence += f" {_people(overdue, 'action', 'actions')} not yet complete {verb} past the due date."
    return sentence


def _agency_spend(section: Section, summary: CommitteeSummary) -> str:
    table = section.table("agency_spend")
    cell = {row.key: row.cells[1] for row in table.rows}
    window = _window(section, summary)
    spend = f"Agency spend in {window} was {cell['spend'].text}"
    spend += _spend_basis(cell)
    if cell["budget_to_date"].value is None:
        return f"{spend}. No agency budget is recorded for any part of {window}, so there is none to compare."
    budget = cell["budget_to_date"]
    if "budget_days" in cell:
        return (
            f"{spend}. An agency budget is recorded for only {cell['budget_days'].text} days of that window "
            f"({budget.text} for those days), so spend cannot be judged against the budget; a window within "
            "the budget periods recorded would allow it."
        )
    sentence = f"{spend}, against a budget of {budget.text} for the same days"
    over = _money_verdict(cell["variance"].value, cell["spend_percent"])
    sentence += f", so spend was {over}." if over.startswith("£") else f": spend was {over}."
    if "projected" in cell and cell["projected_variance"].value is not None:
        period = cell["period"].text
        verdict = _money_verdict(cell["projected_variance"].value, None)
        sentence += (
            f" At this rate spend for {period} would be {cell['projected'].text} against its budget of "
            f"{cell['budget'].text}, {verdict}."
        )
    return sentence


def _spend_basis(cell: dict[str, Cell]) -> str:
    """Return what agency spend rests on, as a clause: invoiced, estimated, or both (nothing for
    a paper published before invoices were kept)."""
    if "basis" in cell:  # papers published while the basis was one row of words
        basis = cell["basis"].text
        return f", {basis[:1].lower()}{basis[1:]}" if basis else ""
    if "estimated" not in cell:
        return ""
    invoiced, estimated = cell.get("invoiced"), cell["estimated"]
    if invoiced is None:
        return ", estimated from weekly charges as no supplier invoices are recorded"
    if not estimated.value:
        return ", all of it invoiced by suppliers"
    return (
        f", of which {invoiced.text} was invoiced by suppliers and {estimated.text} is estimated from "
        "weekly charges for the weeks not yet invoiced"
    )


def _money_verdict(variance: Decimal | None, percent: Cell | None) -> str:
    """Return "£1,234 over budget (110.0% of the budget)", "£1,234 under budget ..." or "in line
    with the budget", judged on the amount as printed (to the pound)."""
    if variance is None:
        return "with nothing to compare"
    pounds = format_money(abs(variance))
    if pounds == format_money(Decimal(0)):
        return "in line with the budget"
    share = f" ({percent.text} of the budget)" if percent is not None and percent.value is not None else ""
    if variance > 0:
        return f"{pounds} over budget{share}"
    return f"{pounds} under budget{share}"


DRAFTERS: dict[str, Callable[[Section, CommitteeSummary], str]] = {
    "measures": _measures,
    "vacancies": _vacancies,
    "agency": _agency,
    "permanent_fill": _permanent_fill,
    "starters": _starters,
    "recruitment": _recruitment,
    "leavers": _leavers,
    "reasons": _reasons,
    "experience": _experience,
    "absence": _absence,
    "strategy": _strategy,
    "agency_spend": _agency_spend,
    caseload_section.KEY: caseload_section.draft,
    "forecast": forecast_section.draft,
    agency_section.KEY: agency_section.draft,
}


def redraft(summary: CommitteeSummary) -> CommitteeSummary:
    """Return ``summary`` with every section's sentence drafted afresh from its figures."""
    sections = []
    for section in summary.sections:
        drafted = DRAFTERS[section.key](section, summary)
        sections.append(replace(section, drafted=drafted, sentence=drafted))
    return replace(summary, sections=tuple(sections))


def apply(summary: CommitteeSummary, edited: dict[str, Any] | None) -> CommitteeSummary:
    """Return ``summary`` with the author's wording in place of the drafts they changed."""
    edited = edited or {}
    sections = tuple(
        replace(section, sentence=str(edited.get(section.key) or "").strip() or section.drafted)
        for section in summary.sections
    )
    return replace(summary, sections=sections)
