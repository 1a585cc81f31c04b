"""What an import did, or would do: each file's rows created, updated or unchanged, and every problem."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

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
class FileReport:
    """One file of an import."""

    name: str
    kind: str | None = None
    notes: list[str] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(outcome.action for outcome in self.outcomes)
        return {action: counted.get(action, 0) for action in (CREATED, UPDATED, UNCHANGED)}

    @property
    def changed(self) -> list[RowOutcome]:
        return [outcome for outcome in self.outcomes if outcome.action != UNCHANGED]


@dataclass
class ImportReport:
    """The whole import: its files in the order they were applied, and every problem found."""

    dry_run: bool
    files: list[FileReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False
    rows_checked: bool = True  # False when a file could not be read or its headings are wrong

    @property
    def ok(self) -> bool:
        return not self.problems

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
            count = len(self.problems)
            return f"Import rejected: {count} problem{'s' if count != 1 else ''}; nothing was changed."
        if self.dry_run:
            return f"Dry run, nothing saved: would be {counts}."
        return f"Imported: {counts}."
