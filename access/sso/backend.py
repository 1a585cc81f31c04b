"""Sign a user in from the council provider's claims: find or make the account, set its roles."""

from __future__ import annotations

import logging
from typing import Any

import jwt
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from access.models import SignOnIdentity
from access.roles import DIRECTOR, GROUPS, HR
from access.sso.claims import Person, SignOnRefused, person_from_claims
from access.sso.config import Endpoints, Provider, endpoints, provider

logger = logging.getLogger(__name__)
BACKEND = "access.sso.backend.SignOnBackend"
# The roles that keep records in the Django admin (as the demonstration logins do).
STAFF_ROLES = frozenset({HR, DIRECTOR})
CLOCK_SKEW_SECONDS = 60


class SignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, made safe and lazy for a product where sign-on is optional.

    - Nothing is read until a sign-in finishes, so the backend can stay listed in
      ``AUTHENTICATION_BACKENDS`` (where Django looks for it on every request of a signed-in
      user) whether single sign-on is on or off.
    - ``authenticate`` never signs anyone in: the callback view calls ``sign_in``, so a
      refused sign-on is never counted by django-axes as a wrong password.
    - The ID token's audience and issuer are checked, and accounts are found by the
      provider's issuer and subject (``SignOnIdentity``), never by email.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        """Return None: single sign-on goes through ``sign_in`` from the callback view."""
        return None

    def get_user(self, user_id: Any) -> Any:
        """Return the signed-in user, or None once the account is turned off (as Django does)."""
        return ModelBackend.get_user(self, user_id)

    def sign_in(self, request: HttpRequest, *, nonce: str | None, code_verifier: str | None) -> Any:
        """Return the user the provider's authorization code in ``request`` vouches for.

        Raise ``SignOnRefused`` when the product will not sign them in (no role, locked,
        turned off, a local account with the same name), ``SuspiciousOperation`` when a
        token does not verify, and ``requests.RequestException`` when the provider fails.
        """
        configured = provider()
        if configured is None:
            raise SignOnRefused("failed")
        found = endpoints(configured)
        self.provider: Provider = configured
        self.endpoints: Endpoints = found
        self.OIDC_OP_TOKEN_ENDPOINT = found.token
        self.OIDC_OP_USER_ENDPOINT = found.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks
        self.OIDC_RP_CLIENT_ID = configured.client_id
        self.OIDC_RP_CLIENT_SECRET = configured.client_secret
        self.OIDC_RP_SIGN_ALGO = configured.sign_algo
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def get_settings(self, attr: str, *args: Any) -> Any:  # type: ignore[override]
        if attr == "OIDC_TIMEOUT":
            return self.provider.timeout
        return super().get_settings(attr, *args)

    def _verify_jws(self, payload: bytes | str, key: Any) -> dict[str, Any]:
        # mozilla-django-oidc leaves the audience and issuer unchecked; a token issued to
        # another application, or by another tenant, must not sign anyone in here.
        alg = jwt.get_unverified_header(payload).get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"The ID token is signed with {alg!r}, not {self.OIDC_RP_SIGN_ALGO}.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.endpoints.issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"The ID token did not verify: {error}") from error

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        # Entra ID puts groups in the ID token only, so its claims are the base and the
        # user-info endpoint (where there is one) adds to them.
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            extra = super().get_userinfo(access_token, id_token, payload)
            if str(extra.get("sub", payload["sub"])) != str(payload["sub"]):
                raise SuspiciousOperation("The user-info endpoint described someone else.")
            claims.update(extra)
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        claims = self.get_userinfo(access_token, id_token, payload)
        person = person_from_claims(
            claims,
            groups_claim=self.provider.groups_claim,
            username_claim=self.provider.username_claim,
            role_groups=self.provider.role_groups,
        )
        if not person.roles:
            self._withdraw_roles(person, issuer=self.endpoints.issuer)
            raise SignOnRefused("no_role", username=person.username)
        if not AxesProxyHandler.is_allowed(self.request, {"username": person.username}):
            raise SignOnRefused("locked", username=person.username)
        user = self._account_for(person, issuer=self.endpoints.issuer)
        logger.info("Single sign-on: %s signed in with roles %s", user.get_username(), sorted(person.roles))
        return user

    @transaction.atomic
    def _account_for(self, person: Person, *, issuer: str) -> Any:
        identity = (
            SignOnIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=person.subject)
            .first()
        )
        if identity is not None:
            user = identity.user
        else:
            user = self._first_account(person)
            identity = SignOnIdentity(user=user, issuer=issuer, subject=person.subject)
        if not user.is_active:
            raise SignOnRefused("inactive", username=user.get_username())
        self._update_account(user, person)
        identity.roles = ",".join(sorted(person.roles))
        identity.last_signed_in = timezone.now()
        identity.save()
        return user

    @transaction.atomic
    def _withdraw_roles(self, person: Person, *, issuer: str) -> None:
        """Take the roles off the account of someone now in none of the council's groups."""
        identity = SignOnIdentity.objects.filter(issuer=issuer, subject=person.subject).first()
        if identity is not None:
            self._update_account(identity.user, person)
            identity.roles = ""
            identity.save(update_fields=["roles"])

    def _first_account(self, person: Person) -> Any:
        """Return the account for someone signing in for the first time: a new one, or one an
        administrator made for them beforehand (same username, no password) to set their teams."""
        username_field = self.UserModel._meta.get_field(self.UserModel.USERNAME_FIELD)
        try:
            username_field.run_validators(person.username)
        except ValidationError:
            raise SignOnRefused("incomplete", username=person.username) from None
        existing = self.UserModel.objects.select_for_update().filter(username=person.username).first()
        if existing is None:
            user = self.UserModel(username=person.username)
            user.set_unusable_password()
            user.save()
            return user
        if existing.has_usable_password() or SignOnIdentity.objects.filter(user=existing).exists():
            raise SignOnRefused("conflict", username=person.username)
        return existing

    def _update_account(self, user: Any, person: Person) -> None:
        """Bring the account's names and roles into line with the provider's claims.

        Roles follow the groups at every sign-in, so someone taken out of a group loses
        its role the next time they sign in. Teams a manager manages are kept: they are
        set in the product, not by the provider. Other groups are left alone.
        """
        user.email = person.email or user.email
        user.first_name = person.first_name or user.first_name
        user.last_name = person.last_name or user.last_name
        user.is_staff = user.is_superuser or bool(person.roles & STAFF_ROLES)
        user.save()
        role_groups = {group.name: group for group in Group.objects.filter(name__in=GROUPS)}
        user.groups.remove(*[group for name, group in role_groups.items() if name not in person.roles])
        user.groups.add(*[group for name, group in role_groups.items() if name in person.roles])
