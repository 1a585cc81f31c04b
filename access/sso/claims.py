"""From a provider's claims to the product's user: roles and names (pure: no queries)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from access.roles import GROUPS

USERNAME_MAX_LENGTH = 150  # django.contrib.auth's User.username


class SignOnRefused(Exception):
    """The provider vouched for someone the product will not sign in; ``reason`` says why."""

    def __init__(self, reason: str, *, username: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.username = username


@dataclass(frozen=True)
class Person:
    """Who the provider says signed in, and which of the product's roles their groups give."""

    subject: str
    username: str
    email: str
    first_name: str
    last_name: str
    roles: frozenset[str]


def groups_in(claims: Mapping[str, Any], claim: str) -> list[str]:
    """Return the groups (or app roles) listed in ``claim``; raise ``SignOnRefused("overage")``
    when the provider left them out for being too many (Entra ID's group overage)."""
    value = claims.get(claim)
    if value is None:
        overage = claim in (claims.get("_claim_names") or {}) or claims.get("hasgroups") is True
        if overage:
            raise SignOnRefused("overage")
        return []
    if isinstance(value, str):  # some providers send one group as a plain string
        return [value]
    return [str(item) for item in value]


def roles_for(groups: list[str], role_groups: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    """Return the product roles that ``groups`` give under the council's mapping."""
    held = set(groups)
    return frozenset(role for role in GROUPS if held.intersection(role_groups.get(role, ())))


def person_from_claims(
    claims: Mapping[str, Any],
    *,
    groups_claim: str,
    username_claim: str,
    role_groups: Mapping[str, tuple[str, ...]],
) -> Person:
    """Return the ``Person`` the claims describe (their roles may be none); raise
    ``SignOnRefused`` if the claims cannot describe one.

    The username is the configured claim (Entra ID's ``preferred_username`` is the UPN),
    else the email address; it is never cut short to fit.
    """
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignOnRefused("incomplete")
    username = str(claims.get(username_claim) or claims.get("email") or "").strip()
    if not username:
        raise SignOnRefused("incomplete")
    if len(username) > USERNAME_MAX_LENGTH:
        raise SignOnRefused("incomplete", username=username[:USERNAME_MAX_LENGTH] + "…")
    return Person(
        subject=subject,
        username=username,
        email=str(claims.get("email") or ""),
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
        roles=roles_for(groups_in(claims, groups_claim), role_groups),
    )
