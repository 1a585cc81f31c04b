"""Template filters for dates in the one GOV.UK style (``foundation.dates``).

Loaded for every template (``TEMPLATES`` ``builtins``): ``{{ day|long_date }}`` in prose
("4 December 2026"), ``{{ day|short_date }}`` in tables ("4 Dec 2026"),
``{{ moment|long_datetime }}`` for a time ("4 December 2026 at 3:15pm", local time).
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from foundation import dates

register = template.Library()


@register.filter
def long_date(value: dt.date | None) -> str:
    """Show a date in prose: "4 December 2026" ("" for none)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return dates.long_date(value)


@register.filter
def short_date(value: dt.date | None) -> str:
    """Show a date in a table: "4 Dec 2026" ("" for none)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return dates.short_date(value)


@register.filter
def long_datetime(value: dt.datetime | None) -> str:
    """Show a moment in local time: "4 December 2026 at 3:15pm" ("" for none)."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dates.long_datetime(value)
