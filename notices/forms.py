"""The form of the email preferences page."""

from __future__ import annotations

from typing import Any

from django import forms

from notices.kinds import Offer


class PreferencesForm(forms.Form):
    """Which of the emails offered to this user they want."""

    kinds = forms.MultipleChoiceField(
        label="Email me about",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick any you do not want. Emails hold links to the pages, not the records themselves.",
    )

    def __init__(self, *args: Any, offers: list[Offer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(offer.kind.value, offer.kind.label) for offer in offers]
