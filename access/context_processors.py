"""Template context: what the signed-in user may see."""

from typing import Any

from django.http import HttpRequest

from access.scoping import access_for


def access(request: HttpRequest) -> dict[str, Any]:
    """Return the user's ``Access`` as ``access`` for templates."""
    user = getattr(request, "user", None)
    return {"access": access_for(user) if user is not None else None}
