"""The provider's settings, checked, and its endpoints (from discovery or set one by one)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from access.roles import GROUPS

DISCOVERY_KEPT_SECONDS = 3600


@dataclass(frozen=True)
class Endpoints:
    """Where the provider signs people in, hands out tokens and publishes its keys."""

    issuer: str
    authorization: str
    token: str
    jwks: str
    userinfo: str  # blank: the ID token's claims are used alone


@dataclass(frozen=True)
class Provider:
    """The council's OpenID Connect provider, as configured."""

    name: str
    client_id: str
    client_secret: str
    groups_claim: str
    username_claim: str
    # Each product role and the provider groups (or app roles) that give it.
    role_groups: dict[str, tuple[str, ...]]
    scopes: str
    sign_algo: str
    timeout: int
    discovery_url: str = ""
    endpoints: Endpoints | None = None  # None: read from discovery_url when first needed
    _discovered: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def parse_role_groups(text: str) -> dict[str, tuple[str, ...]]:
    """Return ``"hr=G1,G2;manager=G3"`` as ``{"hr": ("G1", "G2"), "manager": ("G3",)}``.

    Raise ``ImproperlyConfigured`` naming the part that is wrong: an unknown role, a role
    given twice, or a role with no group. Group names keep their case, as providers compare them.
    """
    mapping: dict[str, tuple[str, ...]] = {}
    for part in (p.strip() for p in text.replace("\n", ";").split(";")):
        if not part:
            continue
        role, equals, groups = part.partition("=")
        role = role.strip().lower()
        if not equals:
            raise ImproperlyConfigured(f"OIDC_ROLE_GROUPS: {part!r} should read role=group[,group...].")
        if role not in GROUPS:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_GROUPS: {role!r} is not a role; the roles are {', '.join(GROUPS)}."
            )
        if role in mapping:
            raise ImproperlyConfigured(f"OIDC_ROLE_GROUPS: the role {role!r} is given twice.")
        names = tuple(g.strip() for g in groups.split(",") if g.strip())
        if not names:
            raise ImproperlyConfigured(f"OIDC_ROLE_GROUPS: the role {role!r} has no group.")
        mapping[role] = names
    return mapping


_lock = threading.Lock()
_cached: dict[str, Any] = {}


def provider() -> Provider | None:
    """Return the configured provider, or None when single sign-on is off.

    Raise ``ImproperlyConfigured`` when it is half configured (the system checks report
    the same at start-up).
    """
    if "provider" in _cached:
        return _cached["provider"]
    with _lock:
        _cached["provider"] = _read_settings()
        return _cached["provider"]


def _read_settings() -> Provider | None:
    client_id = getattr(settings, "OIDC_RP_CLIENT_ID", "")
    if not client_id:
        return None
    required = ("OIDC_RP_CLIENT_SECRET", "OIDC_ROLE_GROUPS")
    missing = [name for name in required if not getattr(settings, name, "")]
    discovery = getattr(settings, "OIDC_OP_DISCOVERY_URL", "")
    endpoint_names = (
        "OIDC_OP_ISSUER",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    )
    endpoints = None
    if not discovery:
        missing += [name for name in endpoint_names if not getattr(settings, name, "")]
        if not missing:
            endpoints = Endpoints(
                issuer=settings.OIDC_OP_ISSUER,
                authorization=settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
                token=settings.OIDC_OP_TOKEN_ENDPOINT,
                jwks=settings.OIDC_OP_JWKS_ENDPOINT,
                userinfo=getattr(settings, "OIDC_OP_USER_ENDPOINT", ""),
            )
    if missing:
        raise ImproperlyConfigured(
            "Single sign-on is half configured (OIDC_RP_CLIENT_ID is set): set "
            + ", ".join(missing)
            + ("" if discovery else " (or OIDC_OP_DISCOVERY_URL instead of the endpoints)")
            + "."
        )
    return Provider(
        name=getattr(settings, "OIDC_PROVIDER_NAME", "") or "your council account",
        client_id=client_id,
        client_secret=settings.OIDC_RP_CLIENT_SECRET,
        groups_claim=getattr(settings, "OIDC_GROUPS_CLAIM", "") or "groups",
        username_claim=getattr(settings, "OIDC_USERNAME_CLAIM", "") or "preferred_username",
        role_groups=parse_role_groups(settings.OIDC_ROLE_GROUPS),
        scopes=getattr(settings, "OIDC_RP_SCOPES", "") or "openid email profile",
        sign_algo=getattr(settings, "OIDC_RP_SIGN_ALGO", "") or "RS256",
        timeout=int(getattr(settings, "OIDC_TIMEOUT", 10)),
        discovery_url=discovery,
        endpoints=endpoints,
    )


def endpoints(configured: Provider) -> Endpoints:
    """Return the provider's endpoints, reading its discovery document at most once an hour.

    Raise ``requests.RequestException`` when the document cannot be read, and
    ``ImproperlyConfigured`` when it lacks an endpoint the sign-in needs.
    """
    if configured.endpoints is not None:
        return configured.endpoints
    found = configured._discovered
    if found and found["at"] > time.monotonic() - DISCOVERY_KEPT_SECONDS:
        return found["endpoints"]
    response = requests.get(configured.discovery_url, timeout=configured.timeout)
    response.raise_for_status()
    document = response.json()
    try:
        read = Endpoints(
            issuer=document["issuer"],
            authorization=document["authorization_endpoint"],
            token=document["token_endpoint"],
            jwks=document["jwks_uri"],
            userinfo=document.get("userinfo_endpoint", ""),
        )
    except KeyError as missing:
        raise ImproperlyConfigured(
            f"OIDC_OP_DISCOVERY_URL: the provider's discovery document has no {missing.args[0]}."
        ) from None
    found.update(endpoints=read, at=time.monotonic())
    return read


def _forget(*, setting: str, **kwargs: Any) -> None:
    # Tests switch single sign-on on and off with override_settings.
    if setting.startswith("OIDC_"):
        _cached.clear()


setting_changed.connect(_forget, dispatch_uid="access.sso.config.forget")
