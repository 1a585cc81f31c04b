"""The cache every process shares: Django's database cache by default, Redis with REDIS_URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command


def create_cache_tables(using: str = "default", verbosity: int = 0, **kwargs: Any) -> None:
    """Create the database cache's table if it is missing (run after every ``migrate``)."""
    uses_database = any(
        cache["BACKEND"].endswith("DatabaseCache") for cache in getattr(settings, "CACHES", {}).values()
    )
    if uses_database:
        call_command("createcachetable", database=using, verbosity=verbosity)
