"""Single sign-on with OpenID Connect, read from the environment; off unless configured.

Imported at the end of ``base``. Signing in through the council's provider (Microsoft
Entra ID, say) is offered once ``OIDC_RP_CLIENT_ID`` is set; local accounts stay. What
each setting means, and Entra ID's values, are in docs/deploy.md ("Single sign-on").
"""

from __future__ import annotations

import os


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


OIDC_RP_CLIENT_ID = _env("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = _env("OIDC_RP_CLIENT_SECRET")
# The provider's name on the sign-in button: "Sign in with <name>".
OIDC_PROVIDER_NAME = _env("OIDC_PROVIDER_NAME", "your council account")
# Either the discovery document (…/.well-known/openid-configuration), fetched when first
# needed and kept for an hour, or the endpoints one by one.
OIDC_OP_DISCOVERY_URL = _env("OIDC_OP_DISCOVERY_URL")
OIDC_OP_ISSUER = _env("OIDC_OP_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = _env("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = _env("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = _env("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = _env("OIDC_OP_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = _env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = _env("OIDC_RP_SCOPES", "openid email profile")
# Which claim lists the user's groups (Entra ID: "groups", or "roles" for app roles), and
# which of them give each of the product's roles: "hr=G1,G2;manager=G3;director=G4;reader=G5".
OIDC_GROUPS_CLAIM = _env("OIDC_GROUPS_CLAIM", "groups")
OIDC_ROLE_GROUPS = _env("OIDC_ROLE_GROUPS")
# The claim that names the product's user (Entra ID: the UPN in preferred_username).
OIDC_USERNAME_CLAIM = _env("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_TIMEOUT = int(_env("OIDC_TIMEOUT", "10"))
OIDC_USE_PKCE = True
OIDC_AUTHENTICATE_CLASS = "access.sso.views.StartSignOn"
OIDC_CALLBACK_CLASS = "access.sso.views.FinishSignOn"
