"""The committee paper's section on agency workers and the national rules: how many agency
workers meet each rule at the as-at date, agency spend against the budget by month over the
window (with a chart), and the suppliers the most was spent with.

``build`` reads the selectors (``workforce.selectors.agency`` and ``agency_spend``, and the
agency budgets) and ``agency_rules_section`` lays their results out as tables; the drafted
sentence reads only the printed cells, as every drafter does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from foundation import measures
from foundation.periods import months_between
from reporting.figures import (
    Cell,
    Chart,
    Column,
    CommitteeSummary,
    Row,
    Section,
    Table,
    count_cell,
    long_date,
    money_cell,
    rate_cell,
    text_cell,
    variance_cell,
)
from reporting.models import AgencyBudget
from workforce.scopes import Scope
from workforce.selectors.agency import (
    RuleCounts,
    WorkerCounts,
    agency_engagements,
    compliance_counts,
    engagement_counts,
)
from workforce.selectors.agency_spend import SpendBreakdown, spend_breakdown

KEY = "agency_rules"
TOP_SUPPLIERS = 5
ZERO = Decimal("0")


def budget_by_month(start: dt.date, end: dt.date) -> dict[dt.date, Decimal | None]:
    """Return the agency budget of each month from ``start`` to ``end`` (keyed by the month's first
    day in the window): each budget pro rata to the days of its period in the month; None for a
    month no budget covers at all. One query."""
    budgets = list(AgencyBudget.objects.filter(period_start__lte=end, period_end__gte=start))
    found: dict[dt.date, Decimal | None] = {}
    for first, last in months_between(start, end):
        amount, covered = ZERO, False
        for budget in budgets:
            lo, hi = max(first, budget.period_start), min(last, budget.period_end)
            if hi < lo:
                continue
            covered = True
            whole = (budget.period_end - budget.period_start).days + 1
            amount += measures.pro_rata(budget.amount, (hi - lo).days + 1, whole)
        found[first] = amount if covered else None
    return found


def build(
    *,
    as_of: dt.date,
    scope: Scope,
    window_start: dt.date,
    window_end: dt.date,
    spend: SpendBreakdown | None = None,
) -> Section:
    """Return the section for ``as_of`` in ``scope``: the rules at ``as_of``, the spend from
    ``window_start`` to ``window_end`` (``spend``, if the caller has read it: ``read_spend``).
    Seven queries, whatever the number of records; four with ``spend``."""
    engagements = agency_engagements(start=as_of, end=as_of, scope=scope)
    if spend is None or (spend.start, spend.end) != (window_start, window_end):
        spend = read_spend(scope=scope, window_start=window_start, window_end=window_end)
    budgets = budget_by_month(window_start, window_end)
    return agency_rules_section(
        compliance_counts(engagements), engagement_counts(engagements), spend, budgets
    )


def read_spend(*, scope: Scope, window_start: dt.date, window_end: dt.date) -> SpendBreakdown:
    """Return the spend the section shows: by month and supplier, from ``window_start`` to
    ``window_end``. Three queries."""
    return spend_breakdown(start=window_start, end=window_end, scope=scope, dimensions=("supplier",))


def agency_rules_section(
    rules: list[RuleCounts],
    workers: WorkerCounts,
    spend: SpendBreakdown,
    budgets: dict[dt.date, Decimal | None],
) -> Section:
    """Return the section's tables and chart from what ``build`` read."""
    compliance = Table(
        key="agency_compliance",
        title="Agency workers and the national rules",
        columns=(
            Column("rule", "Rule"),
            Column("met", "Met"),
            Column("by_exception", "Of which by exception or sign-off"),
            Column("breached", "Breached"),
            Column("not_known", "Not known"),
        ),
        rows=(
            *(
                Row(
                    key=rule.rule,
                    cells=(
                        text_cell(rule.name),
                        count_cell(rule.met),
                        count_cell(rule.by_exception),
                        count_cell(rule.breached),
                        count_cell(rule.not_known),
                    ),
                )
                for rule in rules
            ),
            Row(
                key="every_rule",
                cells=(
                    text_cell("Every rule (agency workers)"),
                    count_cell(workers.all_met),
                    text_cell(""),
                    count_cell(workers.some_breached),
                    count_cell(workers.some_not_known),
                ),
                total=True,
            ),
        ),
        footnotes=(KEY,),
    )
    return Section(
        key=KEY,
        title="Agency workers: the national rules and what they cost",
        tables=(compliance, _by_month(spend, budgets), _top_suppliers(spend)),
        charts=(
            Chart(
                key="agency_spend_chart",
                title="Agency spend by month against the monthly budget (£)",
                kind="bar",
                table="agency_spend_by_month",
                series_in="columns",
                rows=tuple(month.key.isoformat() for month in spend.months),
                columns=("budget", "spend"),
                unit="£",
            ),
        ),
    )


def _by_month(spend: SpendBreakdown, budgets: dict[dt.date, Decimal | None]) -> Table:
    known = [budgets.get(month.key) for month in spend.months]
    # A total budget only where every month has one: part of a year's budget set against a
    # whole year's spend would flatter it.
    budget_total = sum(known, ZERO) if known and None not in known else None
    rows = [
        _month_row(
            month.key.isoformat(), f"{month.key:%b %Y}", budgets.get(month.key), month.spend, month.actual
        )
        for month in spend.months
    ]
    total = spend.total
    rows.append(_month_row("total", "Total", budget_total, total.spend, total.actual, total_row=True))
    return Table(
        key="agency_spend_by_month",
        title="Monthly agency spend and budget",
        columns=(
            Column("month", "Month"),
            Column("budget", "Budget"),
            Column("spend", "Spend"),
            Column("invoiced", "Of which invoiced"),
            Column("variance", "Over (under) budget"),
        ),
        rows=tuple(rows),
        footnotes=("agency_spend",),
        people=False,
    )


def _month_row(
    key: str,
    label: str,
    budget: Decimal | None,
    spend: Decimal,
    invoiced: Decimal,
    *,
    total_row: bool = False,
) -> Row:
    return Row(
        key=key,
        cells=(
            text_cell(label),
            money_cell(budget),
            money_cell(spend),
            money_cell(invoiced),
            variance_cell(spend - budget if budget is not None else None),
        ),
        total=total_row,
    )


def _top_suppliers(spend: SpendBreakdown) -> Table:
    """Return the suppliers the most was spent with (each with how it is bought), the rest
    together, and the total."""
    total = spend.total.spend
    shown = [row for row in spend.by_supplier if row.spend][:TOP_SUPPLIERS]

    def row(key: str, label: str, amount: Decimal, *, total_row: bool = False) -> Row:
        share = measures.percentage(amount, total) if total else None
        return Row(key=key, cells=(text_cell(label), money_cell(amount), rate_cell(share)), total=total_row)

    rows = [
        row(
            f"supplier_{number}",
            f"{each.label} ({spend.routes[each.label]})" if each.label in spend.routes else each.label,
            each.spend,
        )
        for number, each in enumerate(shown, 1)
    ]
    others = total - sum((each.spend for each in shown), ZERO)
    if others:
        rows.append(row("others", "All other suppliers", others))
    rows.append(row("total", "Total", total, total_row=True))
    return Table(
        key="agency_top_suppliers",
        title="Agency spend by supplier",
        columns=(
            Column("supplier", "Supplier (bought through)"),
            Column("spend", "Spend"),
            Column("share", "Share"),
        ),
        rows=tuple(rows),
        footnotes=("agency_spend",),
        people=False,
    )


def _join(parts: list[str]) -> str:
    """Return "a", "a and b" or "a, b and c"."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _number(cell: Cell) -> Decimal:
    return cell.value if cell.value is not None else ZERO


def draft(section: Section, summary: CommitteeSummary) -> str:
    """Return the section's sentence, from its printed cells only."""
    rules = section.table("agency_compliance")
    every = rules.row("every_rule")
    met, breached, unknown = every.cells[1], every.cells[3], every.cells[4]
    day = long_date(summary.as_of)
    total = sum((_number(cell) for cell in (met, breached, unknown)), ZERO)
    if not any(cell.suppressed for cell in (met, breached, unknown)) and total == 0:
        sentence = f"At {day} there were no agency workers to check against the national agency rules."
    else:
        sentence = (
            f"At {day}, {met.text} agency worker{'s' * (met.value != 1)} met every national agency rule, "
            f"{breached.text} breached at least one and for {unknown.text} a rule could not be checked for "
            "lack of data."
        )
        breached = sorted(
            (
                row
                for row in rules.rows
                if not row.total and (row.cells[3].suppressed or _number(row.cells[3]))
            ),
            key=lambda row: -_number(row.cells[3]),
        )
        if breached:
            named = [f"the {row.label.lower()} ({row.cells[3].text})" for row in breached]
            sentence += (
                f" The rules breached are {_join(named)}."
                if len(named) > 1
                else (f" The rule breached is {named[0]}.")
            )
    months = section.table("agency_spend_by_month")
    total_row = months.row("total")
    spend, invoiced, budget = (
        total_row.cells[months.column_index(key)] for key in ("spend", "invoiced", "budget")
    )
    window = f"the {summary.window_months} months to {day}"
    if not _number(spend):
        return sentence + f" No agency spend is recorded for {window}."
    if _number(invoiced) == _number(spend):
        basis = "all of it invoiced by suppliers"
    elif not _number(invoiced):
        basis = "estimated from weekly charges, as no supplier invoices are recorded"
    else:
        basis = f"{invoiced.text} of it invoiced by suppliers and the rest estimated from weekly charges"
    sentence += f" Agency spend in {window} was {spend.text} ({basis})"
    if budget.value is not None:
        sentence += f" against a budget of {budget.text} for the same months"
    sentence += "."
    suppliers = section.table("agency_top_suppliers")
    if suppliers.rows and suppliers.rows[0].key.startswith("supplier_"):
        top = suppliers.rows[0]
        sentence += (
            f" The most was spent with {top.label}: {top.cells[1].text}, {top.cells[2].text} of the total."
        )
    return sentence
