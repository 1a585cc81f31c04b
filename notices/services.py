"""Writes of the email preferences (the page and the admin call these)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from notices.kinds import Kind
from notices.models import EmailPreferences


def preferences_for(user: Any) -> EmailPreferences:
    """Return ``user``'s preferences: their saved row, or the defaults (every kind on), unsaved."""
    return EmailPreferences.objects.filter(user=user).first() or EmailPreferences(user=user)


@transaction.atomic
def save_preferences(*, user: Any, offered: Iterable[str], wanted: Iterable[str]) -> EmailPreferences:
    """Turn each kind in ``offered`` on if it is in ``wanted``, off if not; leave the others."""
    preferences = EmailPreferences.objects.select_for_update().filter(user=user).first()
    preferences = preferences or EmailPreferences(user=user)
    wanted = set(wanted)
    for kind in offered:
        setattr(preferences, Kind(kind).value, kind in wanted)
    preferences.updated_at = timezone.now()
    preferences.full_clean()
    preferences.save()
    return preferences
