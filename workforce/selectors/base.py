"""The plain helpers every read of the establishment shares: FTE values and rows read without
Django's converters."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    DecimalField,
    QuerySet,
)

ZERO = Decimal("0")
FTE_PLACES = Decimal("0.0001")


def fte(value: object) -> Decimal:
    """Return ``value`` as an FTE Decimal to four places (databases sum to floats or ints)."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(FTE_PLACES)


FTE_OUTPUT = DecimalField(max_digits=12, decimal_places=4)


def raw_rows(queryset: QuerySet) -> list[tuple]:
    """Return the rows of ``queryset`` as the database gives them, skipping Django's per-value
    converters (for integer and text columns they change nothing; tens of thousands of rows).

    Decimals come as the database gives them (floats or ints on SQLite) and dates as text on
    SQLite: convert the few values that need it (``fte``, ``Decimal(str(value))``)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. filtered by an empty list: nothing to ask the database
        return []
    return sql_rows(sql, params)


def sql_rows(sql: str, params: tuple | list) -> list[tuple]:
    """Return the rows of the statement ``sql`` as the database gives them (no converters)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
