"""The kinds of email the product sends, who may get each, and how each is offered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from access.roles import DIRECTOR, HR, MANAGER
from access.scoping import ADMIN, access_for


class Kind(models.TextChoices):
    EXIT_CONVERSATIONS = "exit_conversations", "Exit conversations due in your teams"
    JOBS = "jobs", "Exports and imports you started, when they finish"
    REPORTS = "reports", "Committee reports, when one is published"
    RETURNS = "returns", "Checks of the census and other returns before they are due"


@dataclass(frozen=True)
class Offer:
    kind: Kind
    hint: str
    roles: frozenset[str]


OFFERS: tuple[Offer, ...] = (
    Offer(
        Kind.EXIT_CONVERSATIONS,
        "Monday mornings, when any leaver of your teams has no exit conversation recorded yet.",
        frozenset({MANAGER}),
    ),
    Offer(
        Kind.JOBS,
        "When an export or a large import you started has finished, or could not finish.",
        frozenset({HR, DIRECTOR, ADMIN}),
    ),
    Offer(Kind.REPORTS, "When a committee report is published.", frozenset({DIRECTOR})),
    Offer(
        Kind.RETURNS,
        "Weekly while a return is due, listing how many records would make it wrong.",
        frozenset({HR, DIRECTOR}),
    ),
)


def offers_for(user: object) -> list[Offer]:
    """Return the kinds of email ``user``'s role can receive, in the order they are shown."""
    role = access_for(user).role
    return [offer for offer in OFFERS if role in offer.roles]
