"""Small-count suppression of a published paper: primary and secondary.

Primary: a count of people from 1 to ``threshold - 1`` is withheld ("<5"). Secondary:
a withheld count must not be recoverable by subtraction, so wherever it is the only
hidden cell of a relation that adds up (the rows of a column to their total, the
columns of a row to theirs, a total printed in another table), the next smallest
non-zero cell of that relation is withheld too ("*"). Rates, FTE, days and money in a
row with a withheld count would give it away, so they are withheld with it; so are
figures elsewhere that repeat or are worked from a withheld one (``LINKS``). This is
repeated until nothing more changes: each cell withheld can make another relation
need a second.

Which cells add up is the tables' arithmetic, declared here by table key
(``STRUCTURE``) rather than on the tables, so that papers published before it was
declared are protected by the same rules when read back. A table not listed adds up
down its columns: its rows to its total row or, with none, to a total printed
elsewhere (e.g. leavers by category add up to the leavers in the headline table).

Pure functions over ``Table``; no database access.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from reporting.figures import COUNT, DAYS, FTE, MONEY, RATE, Cell, Table

WITHHELD = "*"
PRIMARY, SECONDARY = "primary", "secondary"
BESIDE = (RATE, FTE, DAYS, MONEY)  # figures that would give away a count withheld in their row
ADDING = (COUNT, FTE)  # the kinds of figure that add up


@dataclass(frozen=True)
class Structure:
    """How a table's figures add up.

    ``adds_up``: each column's rows add up (to the total row, or to a total elsewhere);
    ``apart``: rows counted apart, outside that sum; ``across``: in each row, the
    ``parts`` columns add up to the ``total`` column; ``derived``: (row, row) pairs, the
    second's figures worked out from the first's count.
    """

    adds_up: bool = True
    apart: tuple[str, ...] = ()
    across: tuple[tuple[tuple[str, ...], str], ...] = ()
    derived: tuple[tuple[str, str], ...] = ()


STRUCTURE: dict[str, Structure] = {
    # Rates and counts at dates: nothing adds up down the columns.
    "measures": Structure(adds_up=False),
    "permanent_fill": Structure(adds_up=False),
    # Leavers, their FTE, under 3 years (of whom under 1 year), no conversation yet.
    "leavers_summary": Structure(adds_up=False),
    # A leaver may give several reasons: the rows add up to nothing.
    "leavers_reasons": Structure(adds_up=False),
    "recruitment_cost": Structure(adds_up=False, derived=(("starts", "cost_per_start"),)),
    "recruitment_funnel": Structure(apart=("newly_qualified",)),
    "recruitment_internal": Structure(apart=("newly_qualified",)),
    "recruitment_declines": Structure(across=((("declined", "withdrawn"), "total"),)),
}


@dataclass(frozen=True)
class Ref:
    """A cell by table, row and column keys; ``row`` "*" pairs every row of one table with the
    row of the same key in the other."""

    table: str
    row: str
    column: str


@dataclass(frozen=True)
class Link:
    """Cells of different tables that move together.

    ``same``: the two print one figure (both withheld if either is); ``reveals``: the
    second is worked out from the first (withheld when the first is); ``sums``: the
    ``parts`` add up to the first cell, a relation like a table's own columns.
    """

    kind: str
    first: Ref
    others: tuple[Ref, ...]


LINKS: tuple[Link, ...] = (
    Link(
        "same",
        Ref("recruitment_funnel", "*", "internal_offers"),
        (Ref("recruitment_internal", "*", "internal_offered_percent"),),
    ),
    Link("reveals", Ref("recruitment_funnel", "*", "offered"), (Ref("recruitment_time", "*", "to_offer"),)),
    Link("reveals", Ref("recruitment_funnel", "*", "started"), (Ref("recruitment_time", "*", "to_start"),)),
    Link(
        "same", Ref("leavers_summary", "under_1_year", "count"), (Ref("leavers_by_service", "<1", "count"),)
    ),
    Link(
        "sums",
        Ref("leavers_summary", "under_3_years", "count"),
        (Ref("leavers_by_service", "<1", "count"), Ref("leavers_by_service", "1-3", "count")),
    ),
)

Position = tuple[str, int, int]  # table key, row index, column index


@dataclass(frozen=True)
class Relation:
    """Cells that add up: ``parts`` to ``total`` (None: a total printed elsewhere, or none)."""

    parts: tuple[Position, ...]
    total: Position | None = None

    @property
    def cells(self) -> tuple[Position, ...]:
        return self.parts + ((self.total,) if self.total else ())


class _Grid:
    """The people tables of a paper, addressed by position, and what is withheld in them."""

    def __init__(self, tables: Iterable[Table]) -> None:
        self.tables = {table.key: table for table in tables if table.people}
        self.hidden: dict[Position, str] = {}

    def cell(self, position: Position) -> Cell:
        key, row, column = position
        return self.tables[key].rows[row].cells[column]

    def value(self, position: Position):
        return self.cell(position).value

    def find(self, ref: Ref, row_key: str | None = None) -> Position | None:
        table = self.tables.get(ref.table)
        if table is None:
            return None
        wanted = row_key if ref.row == "*" else ref.row
        rows = [i for i, row in enumerate(table.rows) if row.key == wanted]
        columns = [i for i, column in enumerate(table.columns) if column.key == ref.column]
        if not rows or not columns:
            return None
        return (ref.table, rows[0], columns[0])

    def pairs(self, first: Ref, other: Ref) -> Iterator[tuple[Position, Position]]:
        """Yield the positions ``first`` and ``other`` name together (row by row for "*")."""
        if first.row != "*":
            a, b = self.find(first), self.find(other)
            if a and b:
                yield a, b
            return
        table = self.tables.get(first.table)
        for row in table.rows if table else ():
            a, b = self.find(first, row.key), self.find(other, row.key)
            if a and b:
                yield a, b

    def hide(self, position: Position, how: str) -> bool:
        cell = self.cell(position)
        if position in self.hidden or cell.value is None or (cell.kind in ADDING and cell.value == 0):
            return False
        self.hidden[position] = how
        return True


def _relations(grid: _Grid) -> list[Relation]:
    """Return every relation of adding cells in the grid's tables, and between them."""
    found: list[Relation] = []
    for key, table in grid.tables.items():
        structure = STRUCTURE.get(key, Structure())
        adding = [
            i
            for i, column in enumerate(table.columns)
            if any(row.cells[i].kind in ADDING for row in table.rows)
        ]
        if structure.adds_up:
            parts = [
                i for i, row in enumerate(table.rows) if not row.total and row.key not in structure.apart
            ]
            totals = [i for i, row in enumerate(table.rows) if row.total]
            for column in adding if parts else ():
                found.append(
                    Relation(
                        parts=tuple((key, row, column) for row in parts),
                        total=(key, totals[0], column) if totals else None,
                    )
                )
        for part_keys, total_key in structure.across:
            columns = [table.column_index(k) for k in part_keys if any(c.key == k for c in table.columns)]
            total = table.column_index(total_key)
            for row in range(len(table.rows)):
                found.append(Relation(parts=tuple((key, row, c) for c in columns), total=(key, row, total)))
    for link in LINKS:
        if link.kind != "sums":
            continue
        total = grid.find(link.first)
        parts = tuple(p for p in (grid.find(ref) for ref in link.others) if p)
        if total and parts:
            found.append(Relation(parts=parts, total=total))
    return found


def _withhold_beside(grid: _Grid) -> bool:
    """Withhold the figures beside every withheld count, and those worked out from it."""
    changed = False
    for key, table in grid.tables.items():
        structure = STRUCTURE.get(key, Structure())
        rows_with_count = {
            row for (k, row, column) in grid.hidden if k == key and grid.cell((k, row, column)).kind == COUNT
        }
        sources = {table.rows[row].key for row in rows_with_count}
        for source, target in structure.derived:
            if source in sources:
                rows_with_count |= {i for i, row in enumerate(table.rows) if row.key == target}
        for row in rows_with_count:
            for column, cell in enumerate(table.rows[row].cells):
                if cell.kind in BESIDE:
                    changed |= grid.hide((key, row, column), SECONDARY)
        # A total withheld to protect another cell: the shares of it in other rows would
        # give it back, so no share in the table is shown.
        if any(
            k == key and how == SECONDARY and table.rows[row].total and grid.cell((k, row, c)).kind == COUNT
            for (k, row, c), how in list(grid.hidden.items())
        ):
            for row_index, row in enumerate(table.rows):
                for column, cell in enumerate(row.cells):
                    if cell.kind == RATE:
                        changed |= grid.hide((key, row_index, column), SECONDARY)
    for link in LINKS:
        if link.kind == "sums":
            continue
        for other in link.others:
            for first, second in grid.pairs(link.first, other):
                if first in grid.hidden:
                    changed |= grid.hide(second, SECONDARY)
                if link.kind == "same" and second in grid.hidden:
                    changed |= grid.hide(first, SECONDARY)
    return changed


def _complement(grid: _Grid, relation: Relation) -> bool:
    """Withhold a second cell of ``relation`` if only one is withheld: the smallest non-zero
    part (the total only when no part will do)."""
    cells = [
        position for position in relation.cells if grid.value(position) is not None or position in grid.hidden
    ]
    if sum(position in grid.hidden for position in cells) != 1:
        return False
    for candidates in (relation.parts, (relation.total,) if relation.total else ()):
        open_ = [p for p in candidates if p not in grid.hidden and (grid.value(p) or 0) > 0]
        if open_:
            return grid.hide(min(open_, key=lambda p: grid.value(p)), SECONDARY)
    return False


def suppress_tables(tables: Iterable[Table], threshold: int) -> dict[str, Table]:
    """Return the people tables among ``tables`` (by key) with small counts withheld so that
    none can be worked out from what is shown; tables that are not of people are left out."""
    grid = _Grid(tables)
    for key, table in grid.tables.items():
        for row_index, row in enumerate(table.rows):
            for column, cell in enumerate(row.cells):
                if cell.kind == COUNT and cell.value is not None and 0 < cell.value < threshold:
                    grid.hide((key, row_index, column), PRIMARY)
    # Counts first: withholding one withholds the FTE beside it, which often protects the
    # FTE column without a further cell.
    relations = sorted(_relations(grid), key=lambda relation: grid.cell(relation.cells[0]).kind != COUNT)
    changed = True
    while changed:
        changed = _withhold_beside(grid)
        for relation in relations:
            if _complement(grid, relation):
                _withhold_beside(grid)
                changed = True
    return {key: _withheld(table, key, grid, threshold) for key, table in grid.tables.items()}


def _withheld(table: Table, key: str, grid: _Grid, threshold: int) -> Table:
    rows = []
    for row_index, row in enumerate(table.rows):
        cells = []
        for column, cell in enumerate(row.cells):
            how = grid.hidden.get((key, row_index, column))
            if how is None:
                cells.append(cell)
            elif how == PRIMARY:
                cells.append(Cell(text=f"<{threshold}", kind=COUNT, suppressed=True))
            else:
                cells.append(Cell(text=WITHHELD, kind=cell.kind, suppressed=True))
        rows.append(replace(row, cells=tuple(cells)) if cells != list(row.cells) else row)
    return replace(table, rows=tuple(rows))
