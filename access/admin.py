"""Admin building blocks that apply team scoping and write through services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from access.models import SignOnIdentity
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


@admin.register(SignOnIdentity)
class SignOnIdentityAdmin(admin.ModelAdmin):
    """Which accounts sign in through the council's provider, and the roles it last gave.

    Read-only: the links are made by signing in. Deleting one lets the account be taken
    over by the next person the provider signs in with its username and no password.
    """

    list_display = ("user", "roles", "last_signed_in", "first_signed_in", "issuer")
    list_select_related = ("user",)
    search_fields = ("user__username", "subject")
    readonly_fields = ("user", "issuer", "subject", "roles", "first_signed_in", "last_signed_in")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
