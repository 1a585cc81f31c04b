"""Published figures: a summary frozen as JSON and read back, small counts suppressed,
and the differences between a published summary and the same one built again.

Pure functions over ``CommitteeSummary``; no database access.
"""

from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass, fields, is_dataclass, replace
from decimal import Decimal
from typing import Any, Union, get_args, get_origin, get_type_hints

from reporting import sentences
from reporting.definitions import suppression_definition
from reporting.figures import CommitteeSummary
from reporting.suppression import WITHHELD, suppress_tables

FORMAT_VERSION = 1


def _encode(value: Any) -> Any:
    if is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _decode(kind: Any, data: Any) -> Any:
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        if data is None:
            return None
        options = [option for option in get_args(kind) if option is not type(None)]
        return _decode(options[0], data)
    if origin is tuple:
        return tuple(_decode(get_args(kind)[0], item) for item in data)
    if is_dataclass(kind):
        hints = get_type_hints(kind)
        return kind(**{name: _decode(hints[name], data[name]) for name in hints if name in data})
    if kind is Decimal:
        return Decimal(data)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if kind is dt.date:
        return dt.date.fromisoformat(data)
    return data


def dump(summary: CommitteeSummary) -> dict[str, Any]:
    """Return ``summary`` as JSON-ready data (numbers exact, as strings)."""
    return {"version": FORMAT_VERSION, "summary": _encode(summary)}


def load(data: dict[str, Any]) -> CommitteeSummary:
    """Return the summary ``dump`` wrote."""
    if not data or data.get("version") != FORMAT_VERSION:
        raise ValueError("These frozen figures were written in a format this version cannot read.")
    return _decode(CommitteeSummary, data["summary"])


# --- Small-count suppression -----------------------------------------------------------------


def suppress(summary: CommitteeSummary, threshold: int) -> CommitteeSummary:
    """Return ``summary`` with counts of people from 1 to ``threshold - 1`` withheld ("<5"),
    the shares and FTE beside them ("*"), and enough other cells of each row, column or
    total ("*") that none can be worked out by subtraction (``reporting.suppression``);
    sentences are drafted again from what is left. A threshold of 0 or 1 withholds nothing."""
    if threshold <= 1 or summary.suppression_threshold:
        return summary
    withheld = suppress_tables(summary.tables(), threshold)
    sections = tuple(
        replace(section, tables=tuple(withheld.get(table.key, table) for table in section.tables))
        for section in summary.sections
    )
    suppressed = replace(
        summary,
        sections=sections,
        suppression_threshold=threshold,
        definitions=summary.definitions + (suppression_definition(threshold, WITHHELD),),
    )
    return sentences.redraft(suppressed)


# --- What would change ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    table: str
    row: str
    column: str
    published: str
    now: str


NONE = "(not shown)"


def differences(published: CommitteeSummary, rebuilt: CommitteeSummary) -> list[Difference]:
    """Return every figure printed differently in ``rebuilt`` than in ``published``,
    table by table, row by row (rows that appear or disappear included)."""
    found: list[Difference] = []
    for old in published.tables():
        try:
            new = rebuilt.table(old.key)
        except StopIteration:
            continue
        new_rows = {row.key: row for row in new.rows}
        old_rows = {row.key: row for row in old.rows}
        for key in [*old_rows, *(k for k in new_rows if k not in old_rows)]:
            before, after = old_rows.get(key), new_rows.get(key)
            label = (before or after).label
            for index, column in enumerate(old.columns[1:], 1):
                was = before.cells[index].text if before else NONE
                now = after.cells[index].text if after and index < len(after.cells) else NONE
                if was != now:
                    found.append(Difference(old.title, label, column.heading, was, now))
    return found
