"""Send one notice by email to one person, through Django's email framework.

Every email is plain text with links back to the product, and says how to turn it off.
It carries no personal data beyond what its recipient may see of their own teams: the
callers pass only figures, titles and links, or (for a manager) their own teams' leavers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from notices.kinds import Kind
from notices.models import EmailPreferences, SentEmail

logger = logging.getLogger(__name__)
SUBJECT_PREFIX = "Social work workforce: "


def link(path: str) -> str:
    """Return the absolute address of ``path`` on the product's site (setting ``SITE_URL``)."""
    return f"{settings.SITE_URL}{path}"


def wanted_by(users: Iterable[Any], kind: str) -> list[Any]:
    """Return those of ``users`` who have an email address and have not turned ``kind`` off
    (one query, whatever the number of users)."""
    users = [user for user in users if user.is_active and user.email]
    off = set(
        EmailPreferences.objects.filter(user__in=[user.pk for user in users], **{Kind(kind).value: False})
        .values_list("user_id", flat=True)
    )
    return [user for user in users if user.pk not in off]


def users_in_group(group: str) -> list[Any]:
    """Return the active users of the group ``group``, in username order."""
    return list(
        get_user_model().objects.filter(is_active=True, groups__name=group).distinct().order_by("username")
    )


def send_notice(
    *, kind: str, key: str, user: Any, subject: str, template: str, context: dict[str, Any]
) -> bool:
    """Email ``user`` the notice ``template`` about ``key``, unless they turned ``kind`` off,
    have no address, or were sent this one already; return whether it was sent.

    The log row is written first (outside a transaction: a slow mail server must not hold the
    database), and removed again if sending fails, so a retry sends it.
    """
    if not wanted_by([user], kind):
        return False
    subject = f"{SUBJECT_PREFIX}{subject}"[:200]
    try:
        with transaction.atomic():
            sent = SentEmail.objects.create(kind=kind, key=key[:100], recipient=user, subject=subject)
    except IntegrityError:
        return False  # sent already
    body = render_to_string(
        template,
        {
            **context,
            "recipient": user,
            "site_url": settings.SITE_URL,
            "preferences_url": link(reverse("notices:preferences")),
        },
    )
    try:
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except Exception:
        sent.delete()
        raise
    logger.info("Sent %s email %s to user %s", kind, key, user.pk)
    return True
