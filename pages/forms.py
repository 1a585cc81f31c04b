"""The director's form for building a new committee report from the reports page."""

from __future__ import annotations

from typing import Any

from django import forms

from foundation.inputs import GovukDateField
from reporting.models import CommitteeReport
from workforce.models import ServiceArea, Team


def scope_choices() -> list[tuple[str, Any]]:
    """Return the scopes a report can cover, as ``Scope.parse`` reads them, grouped."""
    areas = [(f"service-area:{pk}", name) for pk, name in ServiceArea.objects.values_list("pk", "name")]
    teams = [(f"team:{pk}", name) for pk, name in Team.objects.order_by("name").values_list("pk", "name")]
    return [
        ("all", "All teams"),
        ("case-holding", "Case-holding teams"),
        ("A service area", areas),
        ("A team", teams),
    ]


class NewReportForm(forms.ModelForm):
    """What a new committee report needs to show its figures; its words are written in the admin."""

    scope = forms.ChoiceField(label="Teams covered", choices=())

    class Meta:
        model = CommitteeReport
        fields = [
            "committee",
            "meeting_date",
            "as_at",
            "scope",
            "window_months",
            "title",
            "forecast_included",
            "forecast_scenario",
        ]
        labels = {
            "committee": "Committee",
            "meeting_date": "Meeting date",
            "as_at": "Figures as at",
            "window_months": "Analysis window (months)",
            "title": "Title of the paper",
        }
        help_texts = {
            "committee": "For example, Children's Services Scrutiny Committee.",
            "as_at": "Usually the latest quarter-end. The measures are compared with the end of the "
            "financial year before last and the three quarter-ends before this date.",
            "window_months": "Starters, recruitment, leavers and absence are counted over these months.",
        }
        field_classes = {"meeting_date": GovukDateField, "as_at": GovukDateField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices()
        self.fields["window_months"].widget.attrs.update({"min": 1, "max": 60})
