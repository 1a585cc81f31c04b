"""The committee report and what it draws on beyond the establishment: strategy actions
and the agency budget, and a log of every export."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from foundation.periods import default_comparison_dates


class ActionStatus(models.TextChoices):
    COMPLETE = "complete", "Complete"
    PARTIAL = "partial", "Partially complete"
    NOT_STARTED = "not_started", "Not started"


class StrategyAction(models.Model):
    """One action of the recruitment and retention strategy's implementation plan."""

    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, help_text="Who answers for it: a role or a group, not a person.")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "title"]

    def __str__(self) -> str:
        return self.title


class AgencyBudgetQuerySet(models.QuerySet):
    def covering(self, day: dt.date) -> AgencyBudgetQuerySet:
        """Return the budgets whose period includes ``day``."""
        return self.filter(period_start__lte=day, period_end__gte=day)


class AgencyBudget(models.Model):
    """The money set aside for agency workers over a period (usually a financial year)."""

    period_start = models.DateField()
    period_end = models.DateField()
    amount = models.DecimalField("budget (£)", max_digits=12, decimal_places=2)
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = AgencyBudgetQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return f"Agency budget {self.period_start:%d/%m/%Y} to {self.period_end:%d/%m/%Y}"

    def clean(self) -> None:
        if self.period_start and self.period_end:
            if self.period_end < self.period_start:
                raise ValidationError({"period_end": "The budget period cannot end before it starts."})
            overlapping = AgencyBudget.objects.filter(
                period_start__lte=self.period_end, period_end__gte=self.period_start
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(
                    {"period_start": f"This period overlaps another agency budget ({overlapping.first()})."}
                )
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": "The budget cannot be negative."})


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def parse_comparison_dates(text: str) -> list[dt.date]:
    """Return the dates written as ``YYYY-MM-DD`` separated by commas, oldest first.

    Raises ``ValueError`` naming the first date that cannot be read.
    """
    dates = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            dates.append(dt.date.fromisoformat(part))
        except ValueError:
            raise ValueError(f"'{part}' is not a date in the form YYYY-MM-DD.") from None
    return sorted(set(dates))


NARRATIVE_FIELDS: tuple[tuple[str, str], ...] = (
    ("purpose", "Purpose of the report"),
    ("policy_framework", "Policy framework and previous decisions"),
    ("background", "Background"),
    ("resource_implications", "Resource implications"),
    ("conclusion", "Conclusion"),
    ("recommendations", "Recommendations"),
    ("equality_implications", "Equality and human rights implications"),
    ("officer_to_contact", "Officer to contact"),
)


class CommitteeReport(models.Model):
    """A paper for a committee: its figures come from the records until it is published,
    then from the summary frozen in it."""

    title = models.CharField(max_length=200, default="Recruitment and retention of children's social workers")
    committee = models.CharField("committee name", max_length=200)
    meeting_date = models.DateField()
    as_at = models.DateField("figures as at")
    comparison_dates = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "Dates as YYYY-MM-DD separated by commas; the first is the baseline. Leave blank for the "
            "default: the end of the financial year before last, then the last three quarter-ends."
        ),
    )
    scope = models.CharField(
        max_length=200,
        default="all",
        help_text="all, case-holding, service-area:NAME or team:NAME (kept by id).",
    )
    window_months = models.PositiveSmallIntegerField(
        "analysis window (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Starters, recruitment, leavers and absence are counted over these months to the as-at.",
    )
    purpose = models.TextField(blank=True)
    policy_framework = models.TextField("policy framework and previous decisions", blank=True)
    background = models.TextField(blank=True)
    resource_implications = models.TextField(blank=True)
    conclusion = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    equality_implications = models.TextField("equality and human rights implications", blank=True)
    officer_to_contact = models.TextField(blank=True)
    sentences = models.JSONField(
        "edited sentences",
        default=dict,
        blank=True,
        help_text="The author's wording of each figures section's sentence; blank uses the draft.",
    )
    forecast_included = models.BooleanField(
        "include the forecast",
        default=False,
        help_text="Add a \"Looking ahead\" section: the forecast of the next four quarter-ends, and why the "
        "rates moved since the last comparison date.",
    )
    forecast_scenario = models.ForeignKey(
        "planning.Scenario",
        verbose_name="scenario beside the forecast",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"shared": True},
        help_text="A shared scenario to show beside the base forecast (optional).",
    )
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_summary = models.JSONField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["frozen_summary"])

    class Meta:
        ordering = ["-as_at", "-meeting_date", "-pk"]
        permissions = [
            ("publish_committeereport", "Can publish a committee report (freezing its figures)"),
            ("export_committeereport", "Can export a committee report"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.meeting_date:%d %B %Y} (figures at {self.as_at:%d/%m/%Y})"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    def comparison_date_list(self) -> list[dt.date]:
        """Return the comparison dates, or the default ones for the as-at date."""
        dates = parse_comparison_dates(self.comparison_dates)
        return dates or default_comparison_dates(self.as_at)

    def clean(self) -> None:
        from workforce.scopes import Scope, ScopeError

        try:
            dates = parse_comparison_dates(self.comparison_dates)
        except ValueError as error:
            raise ValidationError({"comparison_dates": str(error)}) from None
        if self.as_at and any(day > self.as_at for day in dates):
            raise ValidationError(
                {"comparison_dates": "Comparison dates must be on or before the as-at date."}
            )
        if dates:
            self.comparison_dates = ", ".join(day.isoformat() for day in dates)
        try:
            # Kept by id, so renaming a team or service area never breaks the report.
            self.scope = Scope.parse(self.scope).as_text()
        except ScopeError as error:
            raise ValidationError({"scope": str(error)}) from None
        if self.forecast_scenario_id is not None:
            if not self.forecast_included:
                raise ValidationError(
                    {"forecast_scenario": "Include the forecast to show a scenario beside it."}
                )
            if not self.forecast_scenario.shared:
                raise ValidationError(
                    {"forecast_scenario": "A committee report can use only a shared scenario."}
                )
        if not isinstance(self.sentences, dict):
            raise ValidationError({"sentences": "Edited sentences must be a mapping of section to text."})
        if self.status == ReportStatus.PUBLISHED and self.frozen_summary is None:
            raise ValidationError(
                {"status": "A report is published by the Publish button, which freezes its figures."}
            )


class ExportLog(models.Model):
    """Who exported which report (or which figures), when, and in what format."""

    report = models.ForeignKey(
        CommitteeReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="exports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    format = models.CharField(max_length=10)
    as_at = models.DateField()
    scope = models.CharField(max_length=200)
    published_figures = models.BooleanField(default=False)
    via = models.CharField(max_length=20, default="web", help_text="web, admin or command line")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["report", "created_at"])]

    def __str__(self) -> str:
        return f"{self.format} export at {self.created_at:%d/%m/%Y %H:%M}"
