"""Writing the rows of one kind of file together: checked one by one in memory, saved in bulk.

Saving a row at a time costs a savepoint, a uniqueness query per unique field, the rule
queries and two inserts (the record and its history). A kind that writes in batches
instead reads what its rows need up front (the records they name, the values already
taken), then for each row builds the record and ``stage``s it: ``validate`` raises the
same ``ValidationError`` ``full_clean`` would, naming the field, so the row is reported
exactly as before. At the end of the kind, ``Batch.write`` saves every staged record
(``create_with_history``, ``update``) and its django-simple-history row (``write_history``)
in a few bulk queries, inside the import's transaction, so the import stays all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from dataio.importing.context import chunks

BULK_BATCH = 1000  # records in one INSERT or executemany (fewer where the database needs it)


def unique_fields(model: type[models.Model]) -> list[models.Field]:
    """Return the fields of ``model`` whose values must be unique (its primary key aside)."""
    return [f for f in model._meta.concrete_fields if f.unique and not f.primary_key]


def taken_values(model: type[models.Model], values: dict[str, Iterable[Any]]) -> dict[str, dict[Any, Any]]:
    """Return, for each unique field in ``values``, which of the values given are already
    recorded and by which record (its primary key): one query per few thousand values."""
    taken: dict[str, dict[Any, Any]] = {}
    for name, wanted in values.items():
        taken[name] = {}
        distinct = sorted({value for value in wanted if value is not None})
        for chunk in chunks(distinct):
            rows = model._default_manager.filter(**{f"{name}__in": chunk}).values_list(name, "pk")
            taken[name].update(rows)
    return taken


def _owner(instance: models.Model) -> Any:
    """Return who holds a unique value: a saved record's primary key, or the unsaved record."""
    return instance.pk if instance.pk is not None else instance


def validate(instance: models.Model, clean: Callable[[], None], taken: dict[str, dict[Any, Any]]) -> None:
    """Raise the ``ValidationError`` that ``instance.full_clean()`` would, without its queries.

    As ``full_clean``: the fields' own checks, then ``clean`` (the model's ``clean``, or a
    rule that reads pre-fetched records instead of querying), then uniqueness for the
    fields that passed. Related records are not looked up again: the import found them (so
    they exist) or just created them. Uniqueness is read from ``taken`` (value to owner: a
    primary key, or a record staged earlier in the batch), not queried per record.
    """
    errors: dict[str, Any] = {}
    exclude = {
        f.name
        for f in instance._meta.concrete_fields
        if f.is_relation and getattr(instance, f.attname) is not None
    }
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    own = _owner(instance)
    for name, owners in taken.items():
        owner = owners.get(getattr(instance, name))
        if name not in errors and owner is not None and owner != own:
            clash = instance.unique_error_message(type(instance), (name,))
            errors = ValidationError({name: [clash]}).update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _written(model: type[models.Model]) -> list[models.Field]:
    """Return the fields an INSERT of ``model`` writes: all but an automatic primary key."""
    return [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]


def _database(model: type[models.Model]) -> Any:
    """Return the connection ``model`` is written through (the connection itself, not the proxy)."""
    return connections[router.db_for_write(model)]


def insert(model: type[models.Model], records: list[models.Model]) -> list[list[Any]]:
    """INSERT new ``records``, setting their primary keys; return the values written for each
    (the database's form of each of ``_written(model)``), which their history rows reuse.

    What ``bulk_create`` does where the database returns the keys of many new rows at once
    (SQLite 3.35+, PostgreSQL), in as few statements, without its per-value expression
    handling: each value is prepared once, here, for the record and its history row.
    """
    database = _database(model)
    fields = _written(model)
    values = [[f.get_db_prep_save(f.pre_save(record, True), database) for f in fields] for record in records]
    if database.vendor == "postgresql":
        _copy_new(model, records, fields, values, database)
        return values
    quote = database.ops.quote_name
    returning, _ = database.ops.return_insert_columns([model._meta.pk])
    start = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    )
    one = f"({', '.join(['%s'] * len(fields))})"
    size = max(1, min(BULK_BATCH, database.ops.bulk_batch_size(fields, records)))
    with database.cursor() as cursor:
        for first in range(0, len(records), size):
            chunk = values[first : first + size]
            cursor.execute(
                f"{start}{', '.join([one] * len(chunk))} {returning}", [v for row in chunk for v in row]
            )
            for record, (key,) in zip(records[first : first + size], cursor.fetchall(), strict=True):
                record.pk = key
                record._state.adding = False
                record._state.db = database.alias
    return values


def _copy_new(
    model: type[models.Model],
    records: list[models.Model],
    fields: list[models.Field],
    values: list,
    database: Any,
) -> None:
    """On PostgreSQL: take keys for ``records`` from the table's own sequence, then write them
    with ``COPY``, about ten times faster than multi-row INSERTs (measured: 3,500 workers in
    26 ms against 263 ms). COPY is not a query: Django's query logging does not see it."""
    quote = database.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk
    columns = ", ".join(quote(f.column) for f in [pk, *fields])
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(records)],
        )
        keys = [key for (key,) in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for key, row in zip(keys, values, strict=True):
                copy.write_row([key, *row])
    for record, key in zip(records, keys, strict=True):
        record.pk = key
        record._state.adding = False
        record._state.db = database.alias


def update(model: type[models.Model], records: list[models.Model]) -> list[list[Any]]:
    """UPDATE every field of each of ``records`` (recorded, and changed), as saving each would;
    return the values written for each (as ``insert`` does), which their history rows reuse.

    One prepared statement for all (executemany), rather than ``bulk_update``, whose CASE
    expression per field and record took seconds for a few hundred corrections.
    """
    database = _database(model)
    fields = _written(model)
    pk = model._meta.pk
    values = [[f.get_db_prep_save(f.pre_save(record, False), database) for f in fields] for record in records]
    quote = database.ops.quote_name
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} "
        f"WHERE {quote(pk.column)} = %s"
    )
    with database.cursor() as cursor:
        for first in range(0, len(records), BULK_BATCH):
            chunk = zip(values[first : first + BULK_BATCH], records[first : first + BULK_BATCH], strict=True)
            cursor.executemany(
                sql, [[*row, pk.get_db_prep_save(record.pk, database)] for row, record in chunk]
            )
    return values


def create_with_history(
    model: type[models.Model], records: list[models.Model], *, user: Any, when: Any
) -> None:
    """Save new ``records`` and their history rows, setting their primary keys."""
    if _database(model).features.can_return_rows_from_bulk_insert:
        values = insert(model, records)
        write_history(model, records, history_type="+", user=user, when=when, values=values)
        return
    # simple-history finds the new rows again by their values, and so their keys.
    saved = bulk_create_with_history(
        records, model, batch_size=BULK_BATCH, default_user=user, default_date=when
    )
    for record, found in zip(records, saved, strict=True):
        record.pk = found.pk
        record._state.adding = False
        record._state.db = found._state.db


def write_history(
    model: type[models.Model],
    records: list[models.Model],
    *,
    history_type: str,
    user: Any,
    when: Any,
    values: list[list[Any]] | None = None,
) -> None:
    """Insert the django-simple-history row of each of ``records``, just created (``history_type``
    "+") or changed ("~") and saved, as saving each one would: its fields, ``when``, the type, no
    change reason, and ``user`` (None: the user simple-history finds, that of the request).
    ``values`` are the records' values as ``insert`` wrote them, if it did.

    One prepared statement for all the rows (executemany), rather than simple-history's
    ``bulk_history_create``, which builds a model instance and compiles an INSERT for each
    row: that took more than a third of an import's time.
    """
    if not records or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    database = _database(model)
    history = model.history.model
    if user is None:
        user = history.get_default_history_user(records[0])
    own = {
        "history_date": when,
        "history_change_reason": None,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }
    tracked = {f.attname for f in history.tracked_fields}
    fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    unknown = [f.attname for f in fields if f.attname not in tracked and f.attname not in own]
    if unknown:
        raise ImproperlyConfigured(f"{history._meta.label} has fields an import does not fill: {unknown}")
    # Each history column takes: a value the record's INSERT wrote, the record's own value, or
    # the same value for every row (date, type, reason, user), each prepared once.
    position = {f.attname: index for index, f in enumerate(_written(model))} if values else {}
    constant = {f.attname: f.get_db_prep_save(own[f.attname], database) for f in fields if f.attname in own}
    pk = model._meta.pk.attname
    rows = []
    for number, record in enumerate(records):
        row = []
        for f in fields:
            if f.attname in constant:
                row.append(constant[f.attname])
            elif f.attname in position and f.attname != pk:
                row.append(values[number][position[f.attname]])
            else:
                row.append(f.get_db_prep_save(getattr(record, f.attname), database))
        rows.append(row)
    quote = database.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    if database.vendor == "postgresql":  # as _copy_new: the history's own key is its default
        with (
            database.cursor() as cursor,
            cursor.cursor.copy(f"COPY {quote(history._meta.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with database.cursor() as cursor:
        for chunk in chunks(rows, BULK_BATCH):
            cursor.executemany(sql, chunk)


@dataclass
class Batch:
    """The records one kind of file creates and changes, checked as each row is staged and
    written together by ``write``."""

    model: type[models.Model]
    taken: dict[str, dict[Any, Any]] = field(default_factory=dict)
    created: list[tuple[models.Model, Any]] = field(default_factory=list)  # (record, row)
    updated: list[tuple[models.Model, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        meta = self.model._meta
        if meta.unique_together or meta.constraints:
            raise ImproperlyConfigured(
                f"{meta.label} has constraints across fields; batch validation checks single fields only"
            )
        missing = {f.name for f in unique_fields(self.model)} - set(self.taken)
        if missing:
            raise ImproperlyConfigured(f"the values taken in {', '.join(sorted(missing))} must be read first")

    def stage(self, instance: models.Model, row: Any, *, clean: Callable[[], None] | None = None) -> None:
        """Check ``instance`` (raising ``ValidationError`` as ``full_clean`` would) and keep it to
        write; ``row`` is the file row it came from, to name if the database refuses it."""
        validate(instance, clean or instance.clean, self.taken)
        for name, owners in self.taken.items():
            value = getattr(instance, name)
            if value is not None:
                owners[value] = _owner(instance)
        (self.created if instance._state.adding else self.updated).append((instance, row))

    def write(self, *, user: Any = None) -> list[tuple[Any, DatabaseError]]:
        """Save every staged record and its history (naming ``user``, when given, as who made the
        change); return the rows whose record the database refused, with its reason.

        The bulk queries run in a savepoint; if the database refuses them, each record is saved
        alone (in its own savepoint) so that the rows at fault can be named.
        """
        created = [instance for instance, _ in self.created]
        updated = [instance for instance, _ in self.updated]
        try:
            with transaction.atomic():
                when = timezone.now()
                if created:
                    create_with_history(self.model, created, user=user, when=when)
                if updated:
                    values = update(self.model, updated)
                    write_history(self.model, updated, history_type="~", user=user, when=when, values=values)
        except DatabaseError:
            return self._write_one_by_one(user)
        return []

    def _write_one_by_one(self, user: Any) -> list[tuple[Any, DatabaseError]]:
        refused = []
        for instance, _ in self.created:
            instance.pk = None  # keys the failed bulk insert handed out were rolled back
            instance._state.adding = True
        for instance, row in [*self.created, *self.updated]:
            if user is not None:
                instance._history_user = user
            try:
                with transaction.atomic():
                    instance.save()
            except DatabaseError as error:
                refused.append((row, error))
        return refused
