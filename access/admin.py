"""Admin building blocks that apply team scoping and write through services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from access.models import SignOnIdentity
from access.scoping import restrict
from foundation.dates import short_date
from foundation.inputs import FteInput
from foundation.measures import format_fte

FTE_DECIMAL_PLACES = 4  # how every FTE field is stored (workforce.models.FTE_FIELD)


def is_fte_field(field: Any) -> bool:
    """Return whether a model field holds an FTE (a decimal stored to four places)."""
    return isinstance(field, models.DecimalField) and field.decimal_places == FTE_DECIMAL_PLACES


def fte_column(name: str, heading: str) -> Any:
    """Return a changelist column showing the FTE field ``name`` as the papers print it ("1.0")."""

    @admin.display(description=heading, ordering=name)
    def column(obj: Any) -> str:
        return format_fte(getattr(obj, name))

    column.__name__ = f"{name}_shown"
    return column


def date_column(name: str, heading: str) -> Any:
    """Return a changelist column showing the date field ``name`` as tables write it ("4 Dec 2026")."""

    @admin.display(description=heading, ordering=name, empty_value="–")
    def column(obj: Any) -> str | None:
        value = getattr(obj, name)
        return short_date(value) if value else None

    column.__name__ = f"{name}_shown"
    return column


def is_date_field(field: Any) -> bool:
    """Return whether a model field holds a date (not a date and time)."""
    return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


class FteFieldsMixin:
    """Show FTEs and dates as people write them: "1.0" in lists (not the stored "1.0000") and
    the exact value without trailing zeros in the form's box ("0.6", "0.25"), which saves
    unchanged; dates in lists as tables write them, "4 Dec 2026"."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if is_fte_field(db_field):
            kwargs.setdefault("widget", FteInput)
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]

    def get_changelist_formset(self, request: HttpRequest, **kwargs: Any) -> Any:
        """Name each box of a list's editable column for screen readers (its column's name)."""
        formset = super().get_changelist_formset(request, **kwargs)  # type: ignore[misc]

        class Labelled(formset):  # type: ignore[misc, valid-type]
            def add_fields(self, form: Any, index: Any) -> None:
                super().add_fields(form, index)
                for field in form.fields.values():
                    label_boxes(field)

        Labelled.__name__ = formset.__name__
        return Labelled

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = []
        for name in super().get_list_display(request):  # type: ignore[misc]
            field = _model_field(self.model, name) if isinstance(name, str) else None  # type: ignore[attr-defined]
            if isinstance(name, str) and name in self.list_editable:  # type: ignore[attr-defined]
                pass  # edited in the list: Django draws its box
            elif is_fte_field(field):
                name = fte_column(name, str(field.verbose_name))
            elif is_date_field(field):
                name = date_column(name, str(field.verbose_name))
            shown.append(name)
        return shown


class TabularInline(FteFieldsMixin, admin.TabularInline):
    """A tabular inline whose boxes each carry their column's name for screen readers.

    Django labels a tabular inline's boxes only by the column headings above them, so a
    screen reader (and axe) finds boxes without a name; each gets an ``aria-label``.
    """

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):  # type: ignore[misc, valid-type]
            def add_fields(self, form: Any, index: Any) -> None:
                super().add_fields(form, index)  # adds "Delete" and the order
                for field in form.fields.values():
                    label_boxes(field)

        Labelled.__name__ = formset.__name__
        return Labelled


def label_boxes(field: Any) -> None:
    """Give a form field's box (inside the admin's related-field wrapper too) its label as
    ``aria-label``, for a box laid out without a ``<label>`` of its own."""
    if not field.label:
        return
    widget = getattr(field.widget, "widget", field.widget)  # RelatedFieldWidgetWrapper
    if not widget.is_hidden:
        widget.attrs.setdefault("aria-label", str(field.label))


def _model_field(model: Any, name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a method or an admin column, not a field
        return None


class ScopedAdmin(FteFieldsMixin, SimpleHistoryAdmin):
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
