"""Template context: what the signed-in user may see."""

from typing import Any

from django.http import HttpRequest

from access.scoping import access_for
from access.sso.config import provider


def access(request: HttpRequest) -> dict[str, Any]:
    """Return the user's ``Access`` as ``access``, and the name of the council's sign-on
    provider (None while single sign-on is off) as ``sign_on``, for templates."""
    user = getattr(request, "user", None)
    configured = provider()
    return {
        "access": access_for(user) if user is not None else None,
        "sign_on": configured.name if configured else None,
    }
