"""Which version of the records the figures are built from, read in one cheap query.

Every change made through the product leaves a django-simple-history row: the admin,
the services, the import (which writes its history rows in bulk), deletions included. So
the highest history id of each recorded model, together with the highest id of the model
itself (records written without history, as the scale generator does), changes whenever
anything a figure could depend on changes. Each is a ``MAX`` over a primary key, which
the database answers from the index whatever the size of the table.

The home dashboard keys its cached committee summary on this value, and a draft report its
kept figures (``reporting.selectors.kept_live_summary``).
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import connection

APPS = ("workforce", "recruitment", "leavers", "planning", "reporting")  # planning: the forecast section
# Recorded models no figure reads: the log of exports gains a row with every export, and
# counting it made every export put every kept summary (the dashboard's, a draft report's)
# out of date (docs/performance.md, "Under load").
NOT_READ_BY_FIGURES = {"reporting.exportlog"}


def _tables() -> list[tuple[str, str]]:
    """Return (table, primary key column) for every recorded model of ``APPS`` and its history."""
    tables = []
    for model in apps.get_models():
        if model._meta.app_label not in APPS or not hasattr(model, "history"):
            continue
        if model._meta.label_lower in NOT_READ_BY_FIGURES:
            continue
        if model.__name__.startswith("Historical"):
            continue
        history = model.history.model
        tables.append((model._meta.db_table, model._meta.pk.column))
        tables.append((history._meta.db_table, history._meta.pk.column))
    return sorted(tables)


def data_version() -> str:
    """Return a short text that changes whenever any record the figures use changes (one query)."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"(SELECT MAX({quote(pk)}) FROM {quote(table)})" for table, pk in _tables())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        maxima = cursor.fetchone()
    return hashlib.sha256(repr(maxima).encode()).hexdigest()[:16]
