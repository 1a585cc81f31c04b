"""Choosing a team in a filter form, when a council may have thousands of them.

A filter form offers a service area and a team. Scrolling a list of every team stops
working beyond a hundred or so, so the team list follows the service area, and the
page needs no script for it (the filters are applied with their button):

- with a service area chosen, the team list offers that area's teams;
- with none, it offers every team the person may see when there are no more than
  ``TEAM_LIST_LIMIT``; beyond that it offers none (but a team already chosen) and its
  hint asks for the service area first.

Only the options shown change. The form still accepts any team the person may see,
and nothing else, so the same query string selects the same rows as before and a
manager still cannot reach another team by editing the address.

``QuickSelect`` writes its options directly: Django's own select renders a template
for every option, which costs more than the rest of the page for a long list.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from django import forms
from django.db.models import Model, Q
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import SafeString, mark_safe

from workforce.models import ServiceArea

TEAM_LIST_LIMIT = 100
CHOOSE_AREA_FIRST = "Choose a service area and apply the filters to list its teams here."


def _attributes(attrs: dict[str, Any]) -> str:
    """Return ``attrs`` as Django's ``attrs.html`` writes them: in order, ``True`` as a bare
    name, ``False`` left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _escaped(value: Any) -> str:
    """Return ``value`` as HTML text, escaped unless it is already safe (as templates do)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class QuickSelect(forms.Select):
    """A ``<select>`` written without a template per option (the markup of Django's own)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        """Return the ``<select>`` with its options, the chosen ones marked ``selected``."""
        chosen = self.format_value(value)
        attributes = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attributes["multiple"] = True
        parts = [f'<select name="{_escaped(name)}"{_attributes(attributes)}>']
        has_selected = False
        for group_value, group_label in self.choices:
            grouped = isinstance(group_label, (list, tuple))
            if grouped:
                parts.append(f'<optgroup label="{_escaped(group_value)}">')
            for option_value, option_label in group_label if grouped else [(group_value, group_label)]:
                option_value = "" if option_value is None else option_value
                selected = (not has_selected or self.allow_multiple_selected) and str(option_value) in chosen
                has_selected |= selected
                parts.append(
                    f'<option value="{_escaped(option_value)}"{" selected" if selected else ""}>'
                    f"{_escaped(option_label)}</option>"
                )
            if grouped:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # every part escaped above


class QuickSelectMultiple(QuickSelect):
    """A ``<select multiple>`` written as ``QuickSelect`` writes one (several teams at once)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter is not None else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class OfferedChoices(ModelChoiceIterator):
    """The choices of a model choice field limited to ``objects`` (its empty label first)."""

    def __init__(self, field: forms.ModelChoiceField, objects: list[Model]) -> None:
        super().__init__(field)
        self.objects = objects

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.objects:
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.objects) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.objects)


def _chosen(form: forms.Form, name: str) -> Model | None:
    """Return the object chosen in field ``name`` if the form accepted it, else None."""
    form.is_valid()  # cleaned_data keeps every field that passed, even if another did not
    return getattr(form, "cleaned_data", {}).get(name)


def offer_teams(form: forms.Form, *, area_field: str = "service_area", team_field: str = "team") -> None:
    """Narrow the options ``form`` shows for its team (and service area), as the module says.

    The team field's queryset must already hold exactly the teams the person may see;
    the service areas offered become those of these teams. Two queries, whatever the
    number of teams.
    """
    teams_field = form.fields[team_field]
    teams = teams_field.queryset.order_by("name")
    area = _chosen(form, area_field)
    team = _chosen(form, team_field)
    # A multiple choice field gives the teams chosen; a single one, the team or None.
    chosen = list(team) if team is not None and not isinstance(team, Model) else [team] if team else []
    if area is not None:
        offered = list(teams.filter(Q(service_area=area) | Q(pk__in=[t.pk for t in chosen])))
    else:
        offered = list(teams[: TEAM_LIST_LIMIT + 1])
        if len(offered) > TEAM_LIST_LIMIT:
            offered = chosen
            teams_field.help_text = CHOOSE_AREA_FIRST
            form[team_field].help_text = CHOOSE_AREA_FIRST  # a bound field copies it when made
    teams_field.widget.choices = OfferedChoices(teams_field, offered)

    areas_field = form.fields[area_field]
    of_teams = Q(pk__in=teams_field.queryset.order_by().values("service_area_id"))
    areas = ServiceArea.objects.filter(of_teams | Q(pk=area.pk) if area is not None else of_teams)
    areas_field.widget.choices = OfferedChoices(areas_field, list(areas.order_by("name")))
