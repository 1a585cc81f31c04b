"""The cache every process shares: Django's database cache by default, Redis with REDIS_URL."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

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
