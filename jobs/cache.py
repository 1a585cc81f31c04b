"""The cache every process shares: Django's database cache by default, Redis with REDIS_URL;
what is kept in it is keyed on the version of the records it was worked out from
(``records_version``) and built once however many ask for it at the same time (``built_once``)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

T = TypeVar("T")
BUILD_WAIT_SECONDS = 30  # how long a request waits for another process's build before its own
POLL_SECONDS = 0.1


def create_cache_tables(using: str = "default", verbosity: int = 0, **kwargs: Any) -> None:
    """Create the database cache's table if it is missing (run after every ``migrate``)."""
    uses_database = any(
        cache["BACKEND"].endswith("DatabaseCache") for cache in getattr(settings, "CACHES", {}).values()
    )
    if uses_database:
        call_command("createcachetable", database=using, verbosity=verbosity)


def built_once(key: str, build: Callable[[], T], *, timeout: int, wait: float | None = None) -> T:
    """Return what the shared cache keeps under ``key``; with nothing kept, build it once for
    every process: the first to ask builds it (``build()``) and keeps it for ``timeout``
    seconds, and the others asking meanwhile wait for it rather than build it too.

    Twenty people opening the dashboard at once after the cache was emptied make one build
    of the whole council's figures, not twenty competing for the processors. A waiter whose
    builder has not finished within ``wait`` seconds (``BUILD_WAIT_SECONDS``: it may have
    died with its process; its claim expires then too) builds it itself."""
    kept = cache.get(key)
    if kept is not None:
        return kept
    wait = BUILD_WAIT_SECONDS if wait is None else wait
    claim = f"{key}:building"
    deadline = time.monotonic() + wait
    claimed = cache.add(claim, True, max(1, int(wait)))
    while not claimed and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        kept = cache.get(key)
        if kept is not None:
            return kept
        claimed = cache.add(claim, True, max(1, int(wait)))
    try:
        value = build()
        cache.set(key, value, timeout)
    finally:
        if claimed:
            cache.delete(claim)
    return value


@lru_cache(maxsize=16)
def _recorded_tables(app_labels: tuple[str, ...], leave_out: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Return (table, primary key column) for every recorded model of ``app_labels`` (those
    with a history) and its history table, but the models labelled in ``leave_out``."""
    tables = []
    for model in apps.get_models():
        if model._meta.app_label not in app_labels or not hasattr(model, "history"):
            continue
        if model._meta.label_lower in leave_out or model.__name__.startswith("Historical"):
            continue
        history = model.history.model
        tables.append((model._meta.db_table, model._meta.pk.column))
        tables.append((history._meta.db_table, history._meta.pk.column))
    return tuple(sorted(tables))


def records_version(app_labels: Iterable[str], *, leave_out: Iterable[str] = ()) -> str:
    """Return a short text that changes whenever any record of the apps ``app_labels`` changes
    (one query), leaving out the models labelled (``app.model``) in ``leave_out``.

    Every change made through the product leaves a django-simple-history row: the admin,
    the services, the import (which writes its history rows in bulk), deletions included.
    So the highest history id of each recorded model, together with the highest id of the
    model itself (records written without history, as the scale generator does), changes
    whenever anything worked out from them could. Each is a ``MAX`` over a primary key,
    which the database answers from the index whatever the size of the table."""
    tables = _recorded_tables(tuple(sorted(app_labels)), tuple(sorted(leave_out)))
    quote = connection.ops.quote_name
    columns = ", ".join(f"(SELECT MAX({quote(pk)}) FROM {quote(table)})" for table, pk in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        maxima = cursor.fetchone()
    return hashlib.sha256(repr(maxima).encode()).hexdigest()[:16]
