"""List filters for admin changelists that stay quick and usable on big tables.

Two kinds, shared by every app's admin:

- ``period_filter``: a date field by period (this month, the past 12 months, each of the
  last few years and, once a year is chosen, its months). Its choices are fixed, so it
  never reads the table to list them, unlike ``date_hierarchy``, which selects every
  distinct year with a function per row.
- ``ChoiceOrSearchFilter`` (``service_area_filter``, ``team_filter`` and the campaign
  filter of the recruitment admin): a related record. It lists the records the user may
  see as links while there are at most ``SHORT_LIST`` of them (a county's service areas,
  a manager's teams, the teams of the chosen service area), and otherwise shows the
  admin's search-as-you-type box with a Filter button instead of thousands of links.
  Listing them costs one query of at most ``SHORT_LIST + 1`` rows whatever the size.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from access.scoping import access_for, restrict
from foundation.periods import add_months, twelve_months_to
from workforce.models import ServiceArea, Team

SHORT_LIST = 30  # at most this many records are listed as links; more are searched for
YEARS_LISTED = 6  # this year and the five before it, then "Before ..."

THIS_MONTH = "this_month"
PAST_12_MONTHS = "past_12_months"
EARLIER = "earlier"
LATER = "later"


# --- Periods -------------------------------------------------------------------------


def period_bounds(value: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Return the dates ``(from, before)`` a period choice stands for, either end open (None).

    ``from`` is included and ``before`` is not. ``value`` is ``this_month``,
    ``past_12_months``, a year (``2025``), a month (``2025-03``), ``earlier`` (before the
    first year listed) or ``later`` (after this year). Raises ``ValueError`` for anything else.
    """
    if value == THIS_MONTH:
        start = today.replace(day=1)
        return start, add_months(start, 1)
    if value == PAST_12_MONTHS:  # the product's usual window of 12 months to a day
        first, last = twelve_months_to(today)
        return first, last + dt.timedelta(days=1)
    if value == EARLIER:
        return None, dt.date(today.year - YEARS_LISTED + 1, 1, 1)
    if value == LATER:
        return dt.date(today.year + 1, 1, 1), None
    year, _, month = value.partition("-")
    if not year.isdigit() or len(year) != 4:
        raise ValueError(value)
    if not month:
        return dt.date(int(year), 1, 1), dt.date(int(year) + 1, 1, 1)
    if not month.isdigit():
        raise ValueError(value)
    start = dt.date(int(year), int(month), 1)
    return start, add_months(start, 1)


class PeriodFilter(admin.SimpleListFilter):
    """A date field by period, with fixed choices (set ``field_name``, ``title``)."""

    field_name: str = ""

    def __init__(self, request: HttpRequest, params: dict, model: Any, model_admin: Any) -> None:
        self.today = timezone.localdate()
        super().__init__(request, params, model, model_admin)

    def chosen_year(self) -> int | None:
        """Return the year of the chosen year or month, if one is chosen."""
        year = (self.value() or "")[:4]
        return int(year) if year.isdigit() and len(year) == 4 else None

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        this_year = self.today.year
        first_year = this_year - YEARS_LISTED + 1
        chosen_year = self.chosen_year()
        choices = [
            (THIS_MONTH, "This month"),
            (PAST_12_MONTHS, "Past 12 months"),
            (LATER, f"{this_year + 1} or later"),
        ]
        for year in range(this_year, first_year - 1, -1):
            choices.append((str(year), str(year)))
            if year == chosen_year:
                choices += [
                    (f"{year}-{month:02d}", f"– {calendar.month_name[month]} {year}")
                    for month in range(1, 13)
                ]
        choices.append((EARLIER, f"Before {first_year}"))
        return choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        try:
            start, before = period_bounds(self.value(), self.today)
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error
        if start is not None:
            queryset = queryset.filter(**{f"{self.field_name}__gte": start})
        if before is not None:
            queryset = queryset.filter(**{f"{self.field_name}__lt": before})
        return queryset


def period_filter(field_name: str, title: str) -> type[PeriodFilter]:
    """Return a ``PeriodFilter`` on ``field_name`` (a date field of the model), shown as ``title``."""
    return type(
        f"PeriodFilter_{field_name}",
        (PeriodFilter,),
        {
            "field_name": field_name,
            "title": title,
            "parameter_name": field_name.replace("__", "_") + "_period",
        },
    )


# --- Related records -----------------------------------------------------------------


class ChoiceOrSearchFilter(admin.SimpleListFilter):
    """A related record: listed while few, searched for (the admin's autocomplete) when many.

    Subclasses set ``path`` (the lookup from the changelist's model to the record, e.g.
    ``"post__team"``), ``title``, ``parameter_name`` and ``options`` (the records the user
    may choose from). ``resets`` names other filters' parameters that choosing here
    clears (a team chosen in another service area, say).
    """

    template = "access/admin/choice_or_search_filter.html"
    path: str = ""
    resets: tuple[str, ...] = ()

    def options(self, request: HttpRequest) -> QuerySet:
        """Return the records the user may choose from, in the order they are listed."""
        raise NotImplementedError

    def __init__(self, request: HttpRequest, params: dict, model: Any, model_admin: Any) -> None:
        self.model_admin = model_admin
        self.field = self._related_field(model)
        self.search_box: str = ""
        self.hidden_fields: list[tuple[str, str]] = []
        super().__init__(request, params, model, model_admin)

    def _related_field(self, model: type[Model]) -> Any:
        """Return the foreign key at the end of ``path`` (what the search box searches through)."""
        field = None
        for name in self.path.split("__"):
            field = model._meta.get_field(name)
            model = field.related_model
        return field

    def chosen_pk(self) -> int | None:
        value = self.value()
        if not value:
            return None
        if not value.isdigit():
            raise IncorrectLookupParameters(f"{self.parameter_name}={value}")
        return int(value)

    def may_search(self, request: HttpRequest) -> bool:
        """Whether the user may use the search box (it asks the related record's admin)."""
        related_admin = self.model_admin.admin_site._registry.get(self.field.related_model)
        return bool(
            related_admin
            and related_admin.get_search_fields(request)
            and related_admin.has_view_permission(request)
        )

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        options = self.options(request)
        listed = list(options[: SHORT_LIST + 1])
        if len(listed) > SHORT_LIST:
            if self.may_search(request):
                self.search_box = self._render_search_box(options)
                return []
            listed = list(options)  # all: a user who may not search them sees only a few teams
        return [(str(record.pk), str(record)) for record in listed]

    def _render_search_box(self, options: QuerySet) -> str:
        chooser = forms.ModelChoiceField(
            queryset=options,
            required=False,
            widget=AutocompleteSelect(
                self.field, self.model_admin.admin_site, attrs={"style": "width: 100%"}
            ),
        )
        return chooser.widget.render(
            self.parameter_name, self.value(), attrs={"id": f"id_{self.parameter_name}"}
        )

    def has_output(self) -> bool:
        return bool(self.search_box) or super().has_output()

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        pk = self.chosen_pk()
        if pk is None:
            return queryset
        return queryset.filter(**{self.path: pk})

    def choices(self, changelist: Any) -> Any:
        # As SimpleListFilter's, except that choosing one here also clears ``resets``. The
        # search box keeps the other filters, the search and the ordering as hidden fields.
        dropped = {self.parameter_name, *self.resets}
        self.hidden_fields = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name not in dropped
            for value in values
        ]
        for index, choice in enumerate(super().choices(changelist)):
            if index > 0:
                choice["query_string"] = changelist.get_query_string(
                    {self.parameter_name: self.lookup_choices[index - 1][0]}, remove=list(self.resets)
                )
            yield choice


class ServiceAreaFilter(ChoiceOrSearchFilter):
    """The service areas of the teams the user may see; choosing one clears the team."""

    title = "service area"
    parameter_name = "service_area"
    resets = ("team",)

    def options(self, request: HttpRequest) -> QuerySet:
        areas = ServiceArea.objects.order_by("name")
        if access_for(request.user).sees_all_teams:
            return areas
        return areas.filter(pk__in=restrict(Team.objects.all(), request.user, "pk").values("service_area_id"))


class TeamFilter(ChoiceOrSearchFilter):
    """The teams the user may see, only those of the service area chosen if one is."""

    title = "team"
    parameter_name = "team"

    def options(self, request: HttpRequest) -> QuerySet:
        teams = restrict(Team.objects.order_by("name"), request.user, "pk")
        area = request.GET.get(ServiceAreaFilter.parameter_name, "")
        if area.isdigit():
            teams = teams.filter(service_area_id=int(area))
        return teams


def service_area_filter(path: str) -> type[ServiceAreaFilter]:
    """Return a ``ServiceAreaFilter`` for a model whose service area is at ``path``."""
    return type("ServiceAreaFilter", (ServiceAreaFilter,), {"path": path})


def team_filter(path: str) -> type[TeamFilter]:
    """Return a ``TeamFilter`` for a model whose team is at ``path``."""
    return type("TeamFilter", (TeamFilter,), {"path": path})


class SearchFilterMedia:
    """A model admin mixin adding the scripts of the filters' search boxes to its pages."""

    @property
    def media(self) -> forms.Media:
        search_box = AutocompleteSelect(Team._meta.get_field("service_area"), self.admin_site)
        return super().media + search_box.media
