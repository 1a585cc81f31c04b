"""Admin building blocks that apply team scoping and write through services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from access.scoping import restrict


class ScopedAdmin(SimpleHistoryAdmin):
    """A model admin whose rows are narrowed to the teams the user may see.

    ``team_path`` leads from the model to its team (``"team"``, ``"post__team"``...);
    ``None`` means the model is not team-owned.
    """

    team_path: str | None = None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if self.team_path is None:
            return queryset
        return restrict(queryset, request.user, self.team_path)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        service = getattr(self, "save_service", None)
        if service is None:
            super().save_model(request, obj, form, change)
        else:
            service(obj)
