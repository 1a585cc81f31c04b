"""What an import did, or would do: each file's rows created, updated or unchanged, and every problem."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import, naming the file, row and column where it lies."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class RowProblem(Exception):
    """A row cannot be applied; ``column`` names where the trouble lies (None: the whole row)."""

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one row: the record it matched and what changed."""

    row: int
    reference: str
    action: str  # CREATED, UPDATED or UNCHANGED
    changes: tuple[str, ...] = ()


@dataclass
class TextSeen:
    """A value holding characters beyond plain ASCII, as it was read, so a person can check it
    was read right before confirming (an accent garbled by a wrong encoding shows here)."""

    value: str
    row: int
    column: str
    count: int = 1


MAX_TEXT_SEEN = 1000  # distinct values listed a file


@dataclass
class FileReport:
    """One file of an import."""

    name: str
    kind: str | None = None
    notes: list[str] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)
    text_seen: list[TextSeen] = field(default_factory=list)
    text_seen_more: int = 0  # distinct values beyond MAX_TEXT_SEEN, not listed

    def saw_text(self, value: str, row: int, column: str, index: dict[str, TextSeen]) -> None:
        """Remember ``value`` (beyond ASCII), read at ``row`` and ``column``; ``index`` holds the
        values seen so far in this file, by value."""
        seen = index.get(value)
        if seen is not None:
            seen.count += 1
        elif len(self.text_seen) < MAX_TEXT_SEEN:
            index[value] = TextSeen(value, row, column)
            self.text_seen.append(index[value])
        else:
            self.text_seen_more += 1

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(outcome.action for outcome in self.outcomes)
        return {action: counted.get(action, 0) for action in (CREATED, UPDATED, UNCHANGED)}

    @property
    def changed(self) -> list[RowOutcome]:
        return [outcome for outcome in self.outcomes if outcome.action != UNCHANGED]


@dataclass
class ImportReport:
    """The whole import: its files in the order they were applied, and every problem found.

    Every problem is counted (``problem_count``), but only the first ``IMPORT_MAX_PROBLEMS``
    in file and row order are kept to list (``problems``, complete once ``finish`` is called),
    with the first of the others (``first_unlisted``): a file of a million bad rows costs
    no more memory, or page, than one of a few hundred.
    """

    dry_run: bool
    files: list[FileReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False
    rows_checked: bool = True  # False when a file could not be read or its headings are wrong
    problem_count: int = 0
    first_unlisted: Problem | None = None

    def __post_init__(self) -> None:
        self.problem_count = max(self.problem_count, len(self.problems))
        self._limit = max(1, int(getattr(settings, "IMPORT_MAX_PROBLEMS", 200)))
        self._kept: list[tuple[Any, ...]] = []  # a heap of the first problems, by their order negated
        self._unlisted: tuple[Any, ...] | None = None

    def _order(self, problem: Problem) -> tuple[int, int, int]:
        position = next(
            (index for index, file in enumerate(self.files) if file.name == problem.file), len(self.files)
        )
        return (position, problem.row or 0, self.problem_count)

    def add_problem(self, problem: Problem) -> None:
        """Count ``problem``, and keep it to list if it is among the first by file and row."""
        self.problem_count += 1
        order = self._order(problem)
        entry = (tuple(-part for part in order), problem)
        if len(self._kept) < self._limit:
            heapq.heappush(self._kept, entry)
            return
        dropped = heapq.heappushpop(self._kept, entry)
        dropped_order = tuple(-part for part in dropped[0])
        if self._unlisted is None or dropped_order < self._unlisted[0]:
            self._unlisted = (dropped_order, dropped[1])

    def add_problems(self, problems: Any) -> None:
        for problem in problems:
            self.add_problem(problem)

    def finish(self) -> None:
        """List the problems kept, in file and row order (once every problem has been added)."""
        self.problems = [problem for _, problem in sorted(self._kept, reverse=True)]
        self.first_unlisted = self._unlisted[1] if self._unlisted else None

    @property
    def unlisted(self) -> int:
        """Return how many problems were found beyond those listed."""
        return self.problem_count - len(self.problems)

    def more_problems(self) -> str:
        """Return "and N more problems, the first at FILE row R", or "" when every one is listed."""
        if self.unlisted <= 0:
            return ""
        where = ""
        if self.first_unlisted is not None:
            first = self.first_unlisted
            where = f", the first of them at {first.file}" + (f" row {first.row}" if first.row else "")
        return f"and {self.unlisted:,} more problem{'s' if self.unlisted != 1 else ''}{where}"

    @property
    def ok(self) -> bool:
        return not self.problems and not self.problem_count

    @property
    def totals(self) -> dict[str, int]:
        total: Counter = Counter()
        for report in self.files:
            total.update(report.counts)
        return {action: total.get(action, 0) for action in (CREATED, UPDATED, UNCHANGED)}

    def summary(self) -> str:
        """Return one line on the outcome, for a message or a log."""
        totals = self.totals
        counts = (
            f"{totals[CREATED]} created, {totals[UPDATED]} updated, {totals[UNCHANGED]} unchanged "
            f"in {len(self.files)} file{'s' if len(self.files) != 1 else ''}"
        )
        if not self.ok:
            count = self.problem_count
            return f"Import rejected: {count:,} problem{'s' if count != 1 else ''}; nothing was changed."
        if self.dry_run:
            return f"Dry run, nothing saved: would be {counts}."
        return f"Imported: {counts}."
