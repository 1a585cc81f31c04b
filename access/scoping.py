"""Team scoping: the one place that decides whose records a user may reach.

Every page, form, export and admin queryset asks ``access_for(user)`` and narrows
with ``restrict`` (a queryset) or ``scope_for`` (a figures ``Scope``), so a manager
cannot reach another team's people by editing a URL, a form or a filter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from access.roles import DIRECTOR, HR, MANAGER, READER
from workforce.scopes import Scope

ADMIN = "admin"
ROLE_LABELS = {
    ADMIN: "Administrator",
    HR: "HR",
    DIRECTOR: "Assistant director",
    MANAGER: "Team manager",
    READER: "Reader",
}
_PRIORITY = (HR, DIRECTOR, MANAGER, READER)


@dataclass(frozen=True)
class Access:
    """What one signed-in user may see."""

    role: str | None
    team_ids: frozenset[int] | None  # None: every team

    @property
    def label(self) -> str:
        return ROLE_LABELS.get(self.role or "", "No access")

    @property
    def sees_names(self) -> bool:
        """Whether names, staff references, notes and quotes may be shown."""
        return self.role in {ADMIN, HR, DIRECTOR, MANAGER}

    @property
    def sees_all_teams(self) -> bool:
        return self.team_ids is None

    def allows_team(self, team_id: int | None) -> bool:
        return self.team_ids is None or team_id in self.team_ids


NO_ACCESS = Access(role=None, team_ids=frozenset())


def access_for(user: Any) -> Access:
    """Return what ``user`` may see, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_workforce_access", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        access = Access(role=ADMIN, team_ids=None)
    else:
        groups = set(user.groups.values_list("name", flat=True))
        role = next((name for name in _PRIORITY if name in groups), None)
        if role in {HR, DIRECTOR, READER}:
            access = Access(role=role, team_ids=None)
        elif role == MANAGER:
            access = Access(
                role=MANAGER,
                team_ids=frozenset(user.managed_teams.values_list("pk", flat=True)),
            )
        else:
            access = NO_ACCESS
    user._workforce_access = access
    return access


def restrict(queryset: QuerySet, user: Any, team_path: str) -> QuerySet:
    """Return ``queryset`` narrowed to the teams ``user`` may see.

    ``team_path`` leads from the queryset's model to its team, e.g. ``"post__team"``.
    """
    access = access_for(user)
    if access.role is None:
        return queryset.none()
    if access.team_ids is None:
        return queryset
    return queryset.filter(**{f"{team_path}__in": sorted(access.team_ids)})


def scope_for(user: Any, scope: Scope | None = None) -> Scope:
    """Return ``scope`` narrowed to the teams ``user`` may see."""
    return (scope or Scope.everything()).limited_to_teams(access_for(user).team_ids)


def role_required(*roles: str) -> Callable:
    """Decorate a view so only signed-in users of ``roles`` (and administrators) reach it."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_for(request.user)
            if access.role != ADMIN and access.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


EVERYONE = (HR, DIRECTOR, MANAGER, READER)
