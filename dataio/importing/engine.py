"""Importing a month's extract: several files, in dependency order, all or nothing.

``run_import`` reads every file, works out what each one holds (teams, posts, workers,
...) from its headings and name, checks the headings, then applies the rows kind by
kind inside one transaction. Every problem in every file is collected; if there is
any, or if it is a dry run, the transaction is rolled back and nothing changes.
"""

from __future__ import annotations

import difflib
import re
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from dataio.importing.context import Context
from dataio.importing.kinds import KINDS
from dataio.importing.kinds.base import Kind, RowProblem, problems_from
from dataio.importing.reading import FileUnreadable, Table, Unreadable, normal_heading, read_table
from dataio.importing.report import FileReport, ImportReport, Problem, RowOutcome, TextSeen
from dataio.importing.values import CellError
from foundation.text import text_problem


@dataclass(frozen=True)
class Source:
    """An uploaded or named file: its name (for messages and recognition) and its bytes."""

    name: str
    content: bytes


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]
    bad: bool = False  # a cell could not be read
    plan: Plan | None = None


@dataclass
class Plan:
    kind: Kind
    table: Table
    report: FileReport
    columns: list[str]  # the kind's column name for each heading, in file order


def _name_words(name: str) -> set[str]:
    stem = PurePath(name).stem.lower()
    return set(re.split(r"[^a-z]+", stem)) - {""}


def kind_from_name(name: str) -> Kind | None:
    """Return the kind a file's name suggests ("2025-06 posts.csv" is a posts file), if exactly one."""
    words = _name_words(name)
    found = [
        kind
        for kind in KINDS
        if set(kind.name.split("_")) <= words or set(kind.record.split()) <= words
    ]
    return found[0] if len(found) == 1 else None


def identify(table: Table) -> tuple[Kind | None, str]:
    """Return the kind of file ``table`` is, by its headings and then its name, or an explanation."""
    headings = {normal_heading(heading) for heading in table.headings}
    complete = [kind for kind in KINDS if set(kind.required_names) <= headings]
    by_name = kind_from_name(table.name)
    if len(complete) == 1:
        return complete[0], ""
    if by_name is not None and (not complete or by_name in complete):
        return by_name, ""
    if complete:
        # The headings fit more than one kind: take the one that explains the most of them.
        def unknown(kind: Kind) -> int:
            return len(headings - set(kind.column_names))

        best = sorted(complete, key=unknown)
        if unknown(best[0]) < unknown(best[1]):
            return best[0], ""
    names = ", ".join(kind.name for kind in KINDS)
    return None, (
        "cannot tell what this file holds from its headings or its name. Use the headings in "
        f"docs/import.md, or put the kind of file ({names}) in its name."
    )


def check_headings(kind: Kind, table: Table) -> tuple[list[str], list[Problem]]:
    """Return the column for each heading and the problems with the headings."""
    problems: list[Problem] = []
    columns = [normal_heading(heading) for heading in table.headings]
    known = kind.column_names
    seen: dict[str, int] = {}
    for position, column in enumerate(columns, start=1):
        if not column:
            problems.append(
                Problem(
                    table.name, f"column {position} has no heading; give it one from docs/import.md", row=1
                )
            )
            continue
        if column in seen:
            problems.append(
                Problem(
                    table.name,
                    f"the column appears twice (columns {seen[column]} and {position})",
                    row=1,
                    column=column,
                )
            )
        seen.setdefault(column, position)
        if column not in known:
            close = difflib.get_close_matches(column, known, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            problems.append(
                Problem(
                    table.name,
                    f"unknown column in a {kind.name} file.{hint} The columns are: {', '.join(known)}.",
                    row=1,
                    column=table.headings[position - 1],
                )
            )
    for required in kind.required_names:
        if required not in seen:
            problems.append(
                Problem(
                    table.name,
                    f"the required column '{required}' is missing from this {kind.name} file",
                    row=1,
                )
            )
    return columns, problems


def _cell_problem(cell: Any) -> str | None:
    """Return why a cell must be refused whatever its column: it could not be read, or its text
    holds a control character or mojibake (``foundation.text``). Every kind inherits this."""
    if isinstance(cell, Unreadable):
        return str(cell)
    if isinstance(cell, str):
        return text_problem(cell)
    return None


def _parse(plan: Plan, report: ImportReport) -> list[ParsedRow]:
    """Return each row of ``plan`` with its cells read; report the cells that cannot be, and
    note every value beyond plain ASCII as it was read (for the dry run to show)."""
    rows: list[ParsedRow] = []
    name = plan.table.name
    columns = [plan.kind.column(column_name) for column_name in plan.columns]
    seen: dict[str, TextSeen] = {}
    for number, cells in plan.table.rows:
        values: dict[str, Any] = {}
        bad = False
        for column, cell in zip(columns, cells, strict=True):
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                if column.required:
                    report.add_problem(Problem(name, "a value is required", row=number, column=column.name))
                    bad = True
                values[column.name] = None
                continue
            refused = _cell_problem(cell)
            if refused is not None:
                report.add_problem(Problem(name, refused, row=number, column=column.name))
                bad = True
                continue
            if isinstance(cell, str) and not cell.isascii():
                plan.report.saw_text(cell.strip(), number, column.name, seen)
            try:
                values[column.name] = column.read(cell)
            except CellError as error:
                report.add_problem(Problem(name, str(error), row=number, column=column.name))
                bad = True
        row = ParsedRow(number, values, bad)
        if bad:
            # The cells that could be read are still checked, so every problem of the row is
            # listed at once, not only the first few.
            reported = {column.name for column in columns if column.name not in values}
            reported |= {column.name for column in columns if values.get(column.name) is None}
            for problem in plan.kind.check_fields(values):
                if problem.column not in reported:
                    report.add_problem(Problem(name, problem.message, row=number, column=problem.column))
        rows.append(row)
    return rows


def _check_rows(
    plan: Plan, report: ImportReport, context: Context, first_seen: dict[tuple, str]
) -> list[ParsedRow]:
    """Return the rows of ``plan`` that can be applied; report the rest (bad cells, duplicates)."""
    kind, name = plan.kind, plan.table.name
    rows = _parse(plan, report)
    good: list[ParsedRow] = []
    for row in rows:
        where = f"{name} row {row.number}"
        key_known = all(row.values.get(column) is not None for column in kind.key)
        if key_known:
            identity = kind.identity(row.values)
            if identity in first_seen:
                report.add_problem(
                    Problem(
                        name,
                        f"{kind.record} {kind.reference(row.values)} appears more than once (first at "
                        f"{first_seen[identity]}); each {kind.record} may appear only once",
                        row=row.number,
                        column=kind.key[0],
                    )
                )
                continue
            first_seen[identity] = where
        if row.bad:
            if key_known:
                context.mark_failed(kind.name, kind.reference(row.values), where)
            continue
        row.plan = plan
        good.append(row)
    return good


def _apply_row(row: ParsedRow, report: ImportReport, context: Context) -> None:
    """Apply one row: saved at once in a savepoint, or, for a batched kind, checked and staged."""
    plan = row.plan
    kind = plan.kind
    context.row = row
    try:
        with nullcontext() if kind.batched else transaction.atomic():
            applied = kind.apply(row.values, context)
    except RowProblem as problem:
        found = [problem]
    except ValidationError as error:
        found = problems_from(error, kind)
    except DatabaseError as error:
        found = [RowProblem(f"the database refused the row ({error})")]
    else:
        plan.report.outcomes.append(
            RowOutcome(row.number, kind.reference(row.values), applied.action, applied.changes)
        )
        return
    _row_failed(row, report, context, found)


def _row_failed(row: ParsedRow, report: ImportReport, context: Context, found: list[RowProblem]) -> None:
    plan = row.plan
    kind, name = plan.kind, plan.table.name
    context.mark_failed(kind.name, kind.reference(row.values), f"{name} row {row.number}")
    # A rule that stopped the row early (a record it names is missing) leaves its other cells
    # unchecked: check them too, so every problem of the row is listed at once.
    listed = {(problem.column, problem.message) for problem in found}
    more = kind.check_fields(row.values)
    found = found + [problem for problem in more if (problem.column, problem.message) not in listed]
    report.add_problems(
        Problem(name, problem.message, row=row.number, column=problem.column) for problem in found
    )


def _write(kind: Kind, report: ImportReport, context: Context) -> None:
    """Write what a batched kind's rows staged; report any row whose record the database refused."""
    for row, error in kind.write(context):
        kind.refused(row.values, context)
        row.plan.report.outcomes = [
            outcome for outcome in row.plan.report.outcomes if outcome.row != row.number
        ]
        _row_failed(row, report, context, [RowProblem(f"the database refused the row ({error})")])


def _apply(plans: list[Plan], report: ImportReport, context: Context) -> None:
    """Apply every row, kind by kind; the rows of all files of one kind are ordered together.

    Before a kind's rows, what they need is read in a few queries (``Kind.prepare``); a
    batched kind's records are written together after its last row, so the next kind finds
    them (an assignments file names the posts of the posts file).
    """
    for kind in KINDS:
        first_seen: dict[tuple, str] = {}
        rows: list[ParsedRow] = []
        for plan in plans:
            if plan.kind is kind:
                rows += _check_rows(plan, report, context, first_seen)
        if not rows:
            continue
        kind.prepare([row.values for row in rows], context)
        for row in kind.order(rows, context):
            _apply_row(row, report, context)
        if kind.batched:
            _write(kind, report, context)
    context.row = None
    for plan in plans:
        plan.report.outcomes.sort(key=lambda outcome: outcome.row)


def run_import(sources: list[Source], *, dry_run: bool = False, user: Any = None) -> ImportReport:
    """Import ``sources`` together: all or nothing, in dependency order; return what happened.

    With ``dry_run`` (or any problem anywhere) every change is rolled back; the report
    still lists what each row would have done.
    """
    report = ImportReport(dry_run=dry_run)
    plans: list[Plan] = []
    for source in sources:
        file_report = FileReport(name=source.name)
        report.files.append(file_report)
        try:
            table = read_table(source.name, source.content)
        except FileUnreadable as error:
            report.add_problem(Problem(source.name, str(error)))
            continue
        file_report.notes.extend(table.notes)
        kind, why = identify(table)
        if kind is None:
            report.add_problem(Problem(source.name, why))
            continue
        file_report.kind = kind.name
        columns, problems = check_headings(kind, table)
        report.add_problems(problems)
        if not table.rows:
            file_report.notes.append("no rows under the headings")
        plans.append(Plan(kind=kind, table=table, report=file_report, columns=columns))
    if not report.ok:
        report.rows_checked = False
        report.finish()
        return report

    order = {kind.name: position for position, kind in enumerate(KINDS)}
    plans.sort(key=lambda plan: order[plan.kind.name])
    report.files.sort(key=lambda file_report: order[file_report.kind])
    with transaction.atomic():
        _apply(plans, report, Context(user=user))
        if dry_run or not report.ok:
            transaction.set_rollback(True)
        else:
            report.applied = True
    report.finish()
    return report
