"""The manager's exit conversation form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from access.scoping import restrict
from foundation.inputs import GovukDateField
from leavers import services
from leavers.models import Destination, ExitConversation, ExitReason, Leaver


def leavers_for(user: Any) -> Any:
    """Return the leavers whose exit conversation ``user`` may open: those of their teams."""
    return restrict(Leaver.objects.select_related("worker", "team", "role", "category"), user, "team")


class ExitConversationForm(forms.Form):
    """Record or correct one leaver's exit conversation.

    The leaver is a posted field, limited to the user's own teams' leavers, so posting
    another team's leaver's id is refused like any invalid choice.
    """

    leaver = forms.ModelChoiceField(queryset=Leaver.objects.none(), widget=forms.HiddenInput)
    held_on = GovukDateField(label="Date of the conversation")
    destination = forms.ModelChoiceField(queryset=Destination.objects.none(), label="Where they are going")
    reasons = forms.ModelMultipleChoiceField(
        queryset=ExitReason.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Reasons for leaving",
        help_text="Choose every reason the leaver gave.",
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Private to managers and HR; never shown in a report.",
    )
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The leaver's own words, written without any names.",
    )
    quote_consent = forms.BooleanField(
        required=False, label="The leaver consented to this being quoted anonymously"
    )

    def __init__(self, *args: Any, user: Any, conversation: ExitConversation | None = None, **kwargs: Any):
        self.user = user
        self.conversation = conversation
        if conversation is not None and not args and not kwargs.get("initial"):
            kwargs["initial"] = {
                "leaver": conversation.leaver_id,
                "held_on": conversation.held_on,
                "destination": conversation.destination_id,
                "reasons": list(conversation.reasons.all()),
                "notes": conversation.notes,
                "quote": conversation.quote,
                "quote_consent": conversation.quote_consent,
            }
        super().__init__(*args, **kwargs)
        self.fields["leaver"].queryset = leavers_for(user)
        self.fields["leaver"].error_messages["invalid_choice"] = (
            "That leaver is not one of your teams' leavers."
        )
        kept_reasons = list(conversation.reasons.all()) if conversation is not None else []
        self.fields["destination"].queryset = Destination.objects.choosable(
            conversation.destination_id if conversation is not None else None
        )
        self.fields["reasons"].queryset = ExitReason.objects.choosable(*kept_reasons)

    def save(self) -> ExitConversation:
        """Record the conversation through the service; its rules come back as field errors."""
        data = self.cleaned_data
        try:
            return services.record_exit_conversation(
                leaver=data["leaver"],
                held_on=data["held_on"],
                destination=data["destination"],
                reasons=data["reasons"],
                notes=data["notes"],
                quote=data["quote"],
                quote_consent=data["quote_consent"],
                user=self.user,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
            raise
