"""Writes of caseloads and comparators. Each runs in a transaction and validates with ``full_clean``.

The admin, the importer and the demo loader call these, so every rule of
``workforce.models.caseloads`` applies wherever a record comes from.
"""

from __future__ import annotations

from django.db import transaction

from workforce.models import Caseload, Comparator


@transaction.atomic
def save_caseload(*, caseload: Caseload) -> Caseload:
    """Validate and save ``caseload`` (new or corrected)."""
    caseload.full_clean()
    caseload.save()
    return caseload


@transaction.atomic
def save_comparator(*, comparator: Comparator) -> Comparator:
    """Validate and save ``comparator``."""
    comparator.full_clean()
    comparator.save()
    return comparator
