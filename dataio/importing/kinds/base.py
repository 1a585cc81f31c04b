"""What every kind of import file shares: its columns, its reference, and how a row is applied.

A kind says which columns its file has (and which are required), which columns make a
row's reference (how it is matched to a record already there), and how one row is
written, always through the owning app's service so that every rule applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from dataio.importing.report import CREATED, UNCHANGED, UPDATED, RowProblem
from foundation.dates import long_date

if TYPE_CHECKING:
    from dataio.importing.context import Context

__all__ = ["KEEP", "Applied", "Column", "Kind", "RowProblem", "assign", "field_values", "outcome", "show"]


class Keep:
    """A blank cell in this column leaves the record's value (or the default) as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()


@dataclass(frozen=True)
class Column:
    """One column of a kind of file."""

    name: str
    read: Callable[[Any], Any]
    description: str
    example: str = ""
    required: bool = False
    field: str | None = None  # the model field the value goes to, when it goes straight there
    empty: Any = None  # what a blank cell means: a value to store, or KEEP


@dataclass(frozen=True)
class Applied:
    """What applying a row did."""

    action: str
    changes: tuple[str, ...] = ()


class Kind:
    """A kind of import file. Subclasses set the class attributes and write ``apply``."""

    name: str = ""  # plural, as files are named: "posts"
    title: str = ""
    record: str = ""  # singular, for messages: "post"
    columns: tuple[Column, ...] = ()
    key: tuple[str, ...] = ()
    # Errors on model fields no column sets directly, and the column to name for them.
    error_columns: dict[str, str] = {}
    # Columns naming records the import reads by reference: column name -> Context lookup.
    refers: dict[str, str] = {}
    # The model a batched kind writes: its rows are checked in memory as they are applied and
    # their records written together at the end (``dataio.importing.batch``). None: each row
    # is saved as it is applied, in its own savepoint.
    batch_model: type[models.Model] | None = None
    # The model whose fields the columns with a ``field`` set (``batch_model`` when None).
    model: type[models.Model] | None = None

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required_names(self) -> list[str]:
        return [column.name for column in self.columns if column.required]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def column_for_field(self, field: str) -> str | None:
        """Return the column that sets model ``field`` (to name it in a rule's message)."""
        direct = next((column.name for column in self.columns if column.field == field), None)
        return direct or self.error_columns.get(field)

    def check_fields(self, values: dict[str, Any]) -> list[RowProblem]:
        """Return what the model's own field checks (lengths, formats, ranges, choices) find wrong
        with the row's values that go straight to a field, each naming its column.

        Used on a row that fails for another reason (a cell that cannot be read, a record it
        names that is missing), so that every problem of the row is listed at once.
        """
        model = self.model or self.batch_model
        if model is None:
            return []
        found = []
        for column in self.columns:
            value = values.get(column.name)
            if column.field is None or value is None:
                continue
            try:
                model_field = model._meta.get_field(column.field)
            except FieldDoesNotExist:
                continue
            if model_field.is_relation:
                continue
            try:
                model_field.clean(value, None)
            except ValidationError as error:
                found.extend(RowProblem(message, column.name) for message in error.messages)
        return found

    def reference(self, values: dict[str, Any]) -> str:
        """Return how a person would name the row's record: "W0012 in P104 from 01/04/2024"."""
        return " / ".join(show(values.get(name)) for name in self.key)

    def identity(self, values: dict[str, Any]) -> tuple:
        """Return the row's reference as a comparable key (text compared without case)."""
        return tuple(
            values.get(name).casefold() if isinstance(values.get(name), str) else values.get(name)
            for name in self.key
        )

    @property
    def batched(self) -> bool:
        return self.batch_model is not None

    def prepare(self, rows: list[dict[str, Any]], context: Any) -> None:
        """Read, in a few queries, what applying ``rows`` (their values) needs: by default the
        records their reference columns name. Batched kinds also open their batch here."""
        for column, lookup in self.refers.items():
            getattr(context, lookup).fetch(values[column] for values in rows if values.get(column))

    def order(self, rows: list[Any], context: Any) -> list[Any]:
        """Return ``rows`` in the order they should be applied (the file's order by default)."""
        return rows

    def apply(self, values: dict[str, Any], context: Any) -> Applied:  # pragma: no cover - abstract
        raise NotImplementedError

    def refused(self, values: dict[str, Any], context: Any) -> None:
        """Forget what a row staged after the database refused it, so that rows naming its
        record say why it is missing (for kinds whose records other files name)."""

    def write(self, context: Any) -> list[tuple[Any, Exception]]:
        """Write what a batched kind's rows staged; return the rows the database refused, with why."""
        batch = context.batches.pop(self.batch_model, None)
        if batch is None:
            return []
        refused = batch.write(user=context.history_user)
        context.created[self.batch_model].update(
            instance.pk for instance, _ in batch.created if instance.pk is not None
        )
        return refused


def show(value: Any) -> str:
    """Return a value as a person would write it in a message."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return f"{long_date(value)}"
    return str(value)


def field_values(kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
    """Return the model fields set directly by the row's columns; KEEP columns left out when blank."""
    result = {}
    for column in kind.columns:
        if column.field is None or column.name not in values:
            continue
        value = values[column.name]
        if value is None:
            if column.empty is KEEP:
                continue
            value = column.empty
        result[column.field] = value
    return result


def assign(instance: models.Model, values: dict[str, Any]) -> tuple[str, ...]:
    """Set ``values`` on ``instance``; return a description of each value that changed."""
    adding = instance._state.adding
    if adding:
        for field, value in values.items():
            setattr(instance, field, value)
        return ()
    changes = []
    for field, value in values.items():
        model_field = instance._meta.get_field(field)
        if model_field.is_relation:
            old_key = getattr(instance, model_field.attname)
            same = old_key == (value.pk if value is not None else None)
            old_shown = show(getattr(instance, field)) if old_key is not None else show(None)
        else:
            old = getattr(instance, field)
            same = old == value
            old_shown = show(old)
        if not same:
            setattr(instance, field, value)
            changes.append(f"{model_field.verbose_name}: {old_shown} → {show(value)}")
    return tuple(changes)


def outcome(adding: bool, changes: Iterable[str]) -> Applied:
    changes = tuple(changes)
    if adding:
        return Applied(CREATED)
    return Applied(UPDATED if changes else UNCHANGED, changes)


def problems_from(error: ValidationError, kind: Kind) -> list[RowProblem]:
    """Return a service's ``ValidationError`` as problems, each naming the column to correct."""
    if not hasattr(error, "error_dict"):
        return [RowProblem(message) for message in error.messages]
    found = []
    for field, messages in error.message_dict.items():
        column = kind.column_for_field(field) if field != "__all__" else None
        for message in messages:
            if column is None and field != "__all__":
                message = f"{field.replace('_', ' ')}: {message}"
            found.append(RowProblem(message, column))
    return found


def choices_text(options: Any) -> str:
    return "; ".join(f"{value} ({label})" for value, label in options)


def name_in_history(record: Any, context: Context) -> None:
    """Name the importing user in the history of ``record`` when it is saved, as the batched
    kinds do (without one, simple-history names the user of the request, if any)."""
    if context.history_user is not None:
        record._history_user = context.history_user


def named_records(lookup: Any, references: Any) -> dict[int, Any]:
    """Return the recorded records ``references`` name in ``lookup`` (already fetched), by key."""
    found = (lookup.get(reference) for reference in set(references) if reference)
    return {record.pk: record for record in found if record is not None and record.pk is not None}
