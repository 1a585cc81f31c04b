"""The planning page's forms: the forecast's settings, its assumptions, and a scenario's levers.

Every form works without JavaScript: the forecast's settings and assumptions are one GET
form (so a forecast can be bookmarked and shared as a link), and a scenario's levers are rows
of a formset with blank rows to fill in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from access.scoping import access_for
from foundation.inputs import DateTextField, with_dates
from planning.assumptions import CONFIDENCE_Z, DEFAULT_CONFIDENCE, LIMITS, Assumptions
from planning.models import LeverKind, Scenario, ScenarioLever
from planning.outlook import MAX_QUARTERS, MIN_QUARTERS
from planning.selectors import visible_scenarios
from workforce.models import Role, ServiceArea, Team
from workforce.scopes import Scope, ScopeError
from workforce.team_choice import QuickSelect

MINE = "mine"


def readable(form: forms.Form) -> dict[str, Any]:
    """Return the values of a bound GET form's fields that could be read. A field that cannot be
    read is named on the page as an error and takes its default; the others still apply."""
    if not form.is_bound:
        return {}
    form.is_valid()  # cleans every field, keeping those without errors in cleaned_data
    return form.cleaned_data


def _scope_choices(user: Any) -> list[tuple[str, Any]]:
    """Return the teams a user may forecast: everything for those who see every team, else theirs."""
    access = access_for(user)
    if access.team_ids is not None:
        teams = Team.objects.filter(pk__in=access.team_ids).order_by("name").values_list("pk", "name")
        return [(MINE, "All the teams you manage"), *((f"team:{pk}", name) for pk, name in teams)]
    areas = [(f"service-area:{pk}", name) for pk, name in ServiceArea.objects.values_list("pk", "name")]
    teams = [(f"team:{pk}", name) for pk, name in Team.objects.order_by("name").values_list("pk", "name")]
    return [
        ("all", "All teams"),
        ("case-holding", "Case-holding teams"),
        ("A service area", areas),
        ("A team", teams),
    ]


class ForecastForm(forms.Form):
    """What to forecast: from when, how far, which teams, under which scenario."""

    as_at = DateTextField(
        label="Forecast from", required=False, help_text="Usually today or the last quarter-end."
    )
    quarters = forms.TypedChoiceField(
        label="Quarter-ends ahead",
        coerce=int,
        choices=[(n, str(n)) for n in range(MIN_QUARTERS, MAX_QUARTERS + 1)],
        initial=MIN_QUARTERS,
        required=False,
    )
    # Written without a template per option: a council may have thousands of teams.
    scope = forms.ChoiceField(label="Teams", choices=(), required=False, widget=QuickSelect)
    scenario = forms.ModelChoiceField(
        label="Scenario",
        queryset=Scenario.objects.none(),
        required=False,
        empty_label="None: the base forecast only",
    )
    confidence = forms.TypedChoiceField(
        label="Range",
        coerce=int,
        choices=[(level, f"{level}% interval of the flow rates") for level in CONFIDENCE_Z],
        initial=DEFAULT_CONFIDENCE,
        required=False,
        help_text="How far the turnover and the time to fill are varied for the low and high forecasts.",
    )

    def __init__(self, data: Any = None, *, user: Any, today: dt.date | None = None) -> None:
        # Settings left out of a link take their defaults, as an empty form shows them (the
        # box "Forecast from" shows ``today``, the date the forecast is then made from).
        data = with_dates(data, as_at=today)
        if data is not None:
            for name in ("quarters", "confidence"):
                if not data.get(name):
                    data[name] = str(self.base_fields[name].initial)
        super().__init__(data, initial={"as_at": today})
        self.user = user
        self.fields["scope"].choices = _scope_choices(user)
        self.fields["scenario"].queryset = visible_scenarios(user)

    def chosen_scope(self) -> Scope:
        """Return the scope chosen, narrowed to the teams the user may see."""
        access = access_for(self.user)
        value = readable(self).get("scope") or (MINE if access.team_ids is not None else "all")
        if value == MINE:
            return Scope(team_ids=access.team_ids, label="The teams you manage")
        try:
            return Scope.parse(value).limited_to_teams(access.team_ids)
        except ScopeError:
            return Scope.everything().limited_to_teams(access.team_ids)


class MovementForm(forms.Form):
    """Which two dates to explain the change between."""

    moved_from = DateTextField(label="From", required=False)
    moved_to = DateTextField(label="To", required=False)
    without_since = DateTextField(
        label="Without the posts added since",
        required=False,
        help_text="The rate worked out again without the establishment posts added after this date.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("moved_from"), cleaned.get("moved_to")
        if start and end and end <= start:
            self.add_error("moved_to", "The second date must be after the first.")
        return cleaned


ROLE_LABELS = {
    "turnover": ("Turnover", "% a year"),
    "days_to_fill": ("Time from vacancy to start", "median days"),
    "cover_share": ("Vacancies covered by agency", "%"),
    "starter_fte": ("FTE of each starter", "FTE"),
}
GLOBAL_LABELS = {
    "offer_acceptance": ("Offers waiting for an answer that are accepted", "%"),
    "days_offer_to_start": ("Time from offer to start, where no start date is agreed", "median days"),
}


def short_label(name: str) -> str:
    """Return the label of an assumption's box within its role's group: "Turnover (% a year)"."""
    label, unit = {**ROLE_LABELS, **GLOBAL_LABELS}[name.split("-")[0]]
    return f"{label} ({unit})"


class AssumptionsForm(forms.Form):
    """Every assumption, as a box holding the value the forecast uses (measured, unless changed)."""

    def __init__(self, data: Any = None, *, assumptions: Assumptions) -> None:
        super().__init__(data)
        self.assumptions = assumptions
        for role in assumptions.roles.values():
            for name, (label, unit) in ROLE_LABELS.items():
                self.fields[f"{name}-{role.role_id}"] = self._field(
                    f"{label} of {role.role_name} ({unit})", name
                )
                self.initial[f"{name}-{role.role_id}"] = getattr(role, name)
        for name, (label, unit) in GLOBAL_LABELS.items():
            self.fields[name] = self._field(f"{label} ({unit})", name)
            self.initial[name] = getattr(assumptions, name)

    @staticmethod
    def _field(label: str, name: str) -> forms.DecimalField:
        low, high = LIMITS[name]
        return forms.DecimalField(
            label=label,
            required=False,
            max_digits=7,
            decimal_places=2,
            validators=[MinValueValidator(low), MaxValueValidator(high)],
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        )

    def changes(self) -> dict[str, Decimal]:
        """Return the values given that differ from the measured ones (the valid ones only)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in cleaned.items()
            if value is not None and name not in self.errors and value != self.initial.get(name)
        }


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["name", "description", "shared"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"name": "For example: Stop the 20 additional capacity from April."}


class LeverForm(forms.Form):
    """One lever of a scenario; a row with no kind chosen is left out."""

    kind = forms.ChoiceField(
        label="Lever", required=False, choices=[("", "Choose a lever"), *LeverKind.choices]
    )
    role = forms.ModelChoiceField(
        label="Role", queryset=Role.objects.filter(in_scope=True), required=False, empty_label="Every role"
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.none(), required=False, widget=QuickSelect
    )
    fte = forms.DecimalField(
        label="FTE",
        required=False,
        max_digits=7,
        decimal_places=2,
        help_text="Posts: added (negative: removed). Hires: a quarter. Conversions: in all.",
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    points = forms.DecimalField(
        label="Turnover change (percentage points)",
        required=False,
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    starts_on = DateTextField(label="From", required=False, help_text="Blank: from the start.")

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        access = access_for(user)
        teams = Team.objects.order_by("name")
        if access.team_ids is not None:
            teams = teams.filter(pk__in=access.team_ids)
            self.fields["team"].empty_label = None  # a manager's levers are for their own teams
        else:
            self.fields["team"].empty_label = "Across the council"
        self.fields["team"].queryset = teams

    def lever(self) -> ScenarioLever | None:
        """Return the row as an unsaved lever, or None for a blank row."""
        if not self.cleaned_data.get("kind"):
            return None
        return ScenarioLever(
            kind=self.cleaned_data["kind"],
            role=self.cleaned_data.get("role"),
            team=self.cleaned_data.get("team"),
            fte=self.cleaned_data.get("fte"),
            points=self.cleaned_data.get("points"),
            starts_on=self.cleaned_data.get("starts_on"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("kind"):
            if any(cleaned.get(name) not in (None, "") for name in ("fte", "points", "starts_on")):
                self.add_error("kind", "Choose which lever this row is, or clear the row.")
            return cleaned
        if self.errors:
            return cleaned
        try:
            self.lever().full_clean(exclude=["scenario"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return cleaned


class BaseLeverFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "user": self.user}

    def levers(self) -> list[ScenarioLever]:
        return [lever for form in self.forms if (lever := form.lever()) is not None]


LeverFormSet = forms.formset_factory(
    LeverForm, formset=BaseLeverFormSet, extra=3, max_num=30, validate_max=True
)
