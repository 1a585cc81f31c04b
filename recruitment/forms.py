"""Forms for moving applications through their stages, starting a candidate and uploading a file.

Each form only gathers what a service needs; the service applies the rules, and
``apply_service`` puts its messages on the fields they name.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from foundation.dates import long_date
from foundation.inputs import DateTextInput
from foundation.measures import format_fte
from recruitment import services
from recruitment.models import Application, DeclineReason, InterviewOutcome
from recruitment.selectors import vacant_posts_for
from workforce.models import EMPLOYEE_CONTRACTS, Contract, Post, StartOrigin

# One box that reads "30/6/2019" as people type it, not the browser's locale-bound picker.
DATE = DateTextInput(attrs={"size": 10})


def apply_service(form: forms.Form, call: Callable[[], Any]) -> Any:
    """Run ``call``; put any ``ValidationError`` on the form's fields it names. Return the
    result, or None when it failed."""
    try:
        return call()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return None


class StageDateForm(forms.Form):
    """The date of a stage: shortlisted, accepted, declined or withdrawn."""

    on = forms.DateField(label="Date", widget=DATE)


class OfferAnswerForm(forms.Form):
    """The date an offer was declined or withdrawn, and why."""

    on = forms.DateField(label="Date", widget=DATE)
    reason = forms.ModelChoiceField(
        queryset=DeclineReason.objects.none(),
        label="Reason",
        help_text="Why the offer was declined or withdrawn (the list is kept under Offer decline reasons).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = DeclineReason.objects.active()


class ApplicationForm(forms.ModelForm):
    """The admin's form for one application: only current decline reasons are offered (and the
    one it has), and the rule on reasons (``services.check_decline_reason``) shows on the field."""

    class Meta:
        model = Application
        # The admin's fieldsets choose the fields shown; every editable one may be.
        exclude: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "decline_reason" in self.fields:
            self.fields["decline_reason"].queryset = DeclineReason.objects.choosable(
                self.instance.decline_reason_id
            )

    def _post_clean(self) -> None:
        # After the model's own checks have put the form's values on the instance.
        super()._post_clean()
        if not self.errors:
            try:
                services.check_decline_reason(self.instance, services.saved_version(self.instance))
            except ValidationError as error:
                self._update_errors(error)


class InterviewForm(forms.Form):
    held_on = forms.DateField(label="Interview date", widget=DATE)
    panel = forms.CharField(max_length=200, required=False)
    outcome = forms.ChoiceField(choices=InterviewOutcome.choices, initial=InterviewOutcome.PENDING)


class OfferForm(forms.Form):
    offered_on = forms.DateField(label="Offer date", widget=DATE)
    salary_point = forms.CharField(label="Grade / salary point", max_length=40, required=False)
    salary = forms.DecimalField(label="Salary (£ a year)", max_digits=10, decimal_places=2, required=False)
    market_premium = forms.DecimalField(
        label="Market premium (£ a year)", max_digits=10, decimal_places=2, required=False
    )
    start_planned_on = forms.DateField(label="Agreed start date", widget=DATE, required=False)


CONTRACT_CHOICES = [(c.value, c.label) for c in Contract if c in EMPLOYEE_CONTRACTS]


class StartForm(forms.Form):
    """Start one candidate in a vacant establishment post of their role."""

    post = forms.ModelChoiceField(
        queryset=Post.objects.none(), help_text="Vacant establishment posts of the role."
    )
    start_date = forms.DateField(widget=DATE)
    fte = forms.DecimalField(label="FTE", max_digits=6, decimal_places=4, initial=Decimal("1.0"))
    contract = forms.ChoiceField(choices=CONTRACT_CHOICES, initial=Contract.PERMANENT)
    end_date = forms.DateField(label="End date (fixed term)", widget=DATE, required=False)
    staff_reference = forms.CharField(
        max_length=30,
        required=False,
        help_text="For a new worker; left empty, one is made from the application number.",
    )
    start_origin = forms.TypedChoiceField(
        label="Comes from (census StartOrigin)",
        choices=[("", "From the application")] + list(StartOrigin.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    end_vacancy_cover = forms.BooleanField(
        label="End agency cover of this vacancy the day before", initial=True, required=False
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        on = application.start_planned_on or timezone.localdate()
        self.fields["start_date"].initial = application.start_planned_on
        vacancy = {post.pk: post.vacancy_fte for post in vacant_posts_for(role=application.role, on=on)}
        self.fields["post"].queryset = (
            Post.objects.filter(pk__in=list(vacancy))
            .select_related("team")
            .order_by("team__name", "reference")
        )
        self.fields["post"].label_from_instance = lambda post: (
            f"{post.reference} – {post.team.name} ({format_fte(vacancy.get(post.pk))} FTE vacant "
            f"on {long_date(on)})"
        )


class BulkStartForm(forms.Form):
    """Start many candidates at once, each in a vacant post of their role (their team's first)."""

    start_date = forms.DateField(widget=DATE)
    fte = forms.DecimalField(label="FTE", max_digits=6, decimal_places=4, initial=Decimal("1.0"))
    contract = forms.ChoiceField(choices=CONTRACT_CHOICES, initial=Contract.PERMANENT)


class UploadForm(forms.Form):
    file = forms.FileField(help_text="A .csv or .xlsx file with a header row.")
