"""Subject access: everything the product holds about one worker, as JSON.

The walk follows every relation that points at the worker, and one level further
(a leaver's exit conversation, an application's interviews), so records added by
later apps are included without changes here. Change history is included too.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.db import models

from workforce.models import Worker

MAX_DEPTH = 3


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, models.Model):
        return str(value)
    return value


def _record(instance: models.Model) -> dict[str, Any]:
    """Return the concrete fields of ``instance``, with foreign keys shown by name."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.is_relation:
            related = getattr(instance, field.name, None)
            data[field.name] = None if related is None else str(related)
        else:
            data[field.name] = _value(getattr(instance, field.attname))
    for field in instance._meta.many_to_many:
        data[field.name] = [str(item) for item in getattr(instance, field.name).all()]
    return data


def _related(instance: models.Model, depth: int, seen: set[tuple[str, int]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for relation in instance._meta.related_objects:
        if relation.related_model._meta.app_label in {"admin", "auth", "contenttypes", "sessions"}:
            continue
        accessor = relation.get_accessor_name()
        if relation.one_to_one:
            related = getattr(instance, accessor, None) if hasattr(instance, accessor) else None
            rows = [related] if related is not None else []
        else:
            rows = list(getattr(instance, accessor).all())
        entries = []
        for row in rows:
            key = (row._meta.label, row.pk)
            if key in seen:
                continue
            seen.add(key)
            entry = _record(row)
            if depth < MAX_DEPTH and not row._meta.model_name.startswith("historical"):
                children = _related(row, depth + 1, seen)
                if children:
                    entry["related"] = children
            entries.append(entry)
        if entries:
            found[relation.related_model._meta.verbose_name_plural.capitalize()] = entries
    return found


def subject_access_export(worker: Worker) -> dict[str, Any]:
    """Return everything held about ``worker``: their record, what hangs off it, and history."""
    seen = {(worker._meta.label, worker.pk)}
    return {
        "subject": {"staff_reference": worker.staff_reference, "name": worker.full_name},
        "produced_at": dt.datetime.now(dt.UTC).isoformat(),
        "worker": _record(worker),
        "related": _related(worker, 1, seen),
        "history": [_record(entry) for entry in worker.history.all()],
    }


def subject_access_json(worker: Worker) -> bytes:
    """Return the subject access export of ``worker`` as indented UTF-8 JSON."""
    return json.dumps(subject_access_export(worker), indent=2, ensure_ascii=False).encode()
