"""Write generated rows with ``bulk_create`` in batches, keys given by the generator.

The generator knows every row's primary key before the row is written (counters that
start after the largest key in each table), so rows can point at each other without
reading anything back, and the buffers are flushed in dependency order whenever they
hold enough rows. On PostgreSQL the key sequences are moved past the keys used at the end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max


class BulkWriter:
    """Buffer model instances per model and insert them in batches, in the order of ``models``."""

    def __init__(
        self,
        *,
        order: list[type[models.Model]],
        flush_every: int = 20_000,
        on_flush: Callable[[Counter], None] | None = None,
    ) -> None:
        self.order = order
        self.flush_every = flush_every
        self.on_flush = on_flush
        self.buffers: dict[type[models.Model], list[models.Model]] = {model: [] for model in order}
        self.next_keys: dict[type[models.Model], int] = {}
        self.written: Counter = Counter()
        self._buffered = 0

    def _next_key(self, model: type[models.Model]) -> int:
        if model not in self.next_keys:
            self.next_keys[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        key = self.next_keys[model]
        self.next_keys[model] = key + 1
        return key

    def add(self, model: type[models.Model], **fields: Any) -> int:
        """Queue a new ``model`` row with ``fields``; return the primary key it will have."""
        key = self._next_key(model)
        self.buffers[model].append(model(pk=key, **fields))
        self._buffered += 1
        if self._buffered >= self.flush_every:
            self.flush()
        return key

    def flush(self) -> None:
        """Insert every queued row, parents before children."""
        for model in self.order:
            rows = self.buffers[model]
            if rows:
                model.objects.bulk_create(rows)
                self.written[model._meta.label] += len(rows)
                self.buffers[model] = []
        self._buffered = 0
        if self.on_flush is not None:
            self.on_flush(self.written)

    def finish(self) -> Counter:
        """Flush the rest, move PostgreSQL's key sequences on, and return rows written per model."""
        self.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_keys))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        return self.written


def analyse_after_bulk_load() -> None:
    """Gather the planner's statistics after a bulk load, on PostgreSQL (SQLite has none to
    go stale). Autovacuum would do it a minute later, but not inside a transaction still
    open (a test's), and until then the planner works from the tables as they were before:
    a plan for a few rows over millions can take minutes. ANALYZE in a transaction counts
    its own rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
