"""The committee report and what it draws on beyond the establishment: strategy actions
and the agency budget, and a log of every export."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from foundation.dates import long_date, long_datetime
from foundation.periods import default_comparison_dates
from foundation.windows import (
    Window,
    WindowError,
    check_window,
    default_window,
    parse_window,
    resolve_windows,
)
from workforce.validators import not_negative, plausible_date


class ActionStatus(models.TextChoices):
    COMPLETE = "complete", "Complete"
    PARTIAL = "partial", "Partially complete"
    NOT_STARTED = "not_started", "Not started"


class StrategyAction(models.Model):
    """One action of the recruitment and retention strategy's implementation plan."""

    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, help_text="Who answers for it: a role or a group, not a person.")
    due_date = models.DateField(validators=[plausible_date])
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

    period_start = models.DateField(validators=[plausible_date])
    period_end = models.DateField(validators=[plausible_date])
    amount = models.DecimalField("budget (£)", max_digits=12, decimal_places=2, validators=[not_negative])
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = AgencyBudgetQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return f"Agency budget {long_date(self.period_start)} to {long_date(self.period_end)}"

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
    ("summary", "Summary"),
    ("purpose", "Purpose of the report"),
    ("policy_framework", "Policy framework and previous decisions"),
    ("background", "Background"),
    ("resource_implications", "Resource implications"),
    ("financial_implications", "Financial implications"),
    ("legal_implications", "Legal implications"),
    ("equality_implications", "Equality and human rights implications"),
    ("conclusion", "Conclusion"),
    ("recommendations", "Recommendations"),
    ("background_papers", "Background papers"),
    ("officer_to_contact", "Officer to contact"),
)


class CommitteeReport(models.Model):
    """A paper for a committee: its figures come from the records until it is published,
    then from the summary frozen in it."""

    title = models.CharField(max_length=200, default="Recruitment and retention of children's social workers")
    committee = models.CharField("committee name", max_length=200)
    meeting_date = models.DateField(validators=[plausible_date])
    as_at = models.DateField("figures as at", validators=[plausible_date])
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
        help_text=(
            "The default window: starters, recruitment, leavers, reasons, absence and agency spend are "
            "counted over these months to the as-at date, unless given their own dates below."
        ),
    )
    window_start = models.DateField(
        "default window from",
        null=True,
        blank=True,
        help_text="With 'default window to', any dates in place of the months above.",
    )
    window_end = models.DateField("default window to", null=True, blank=True)
    section_windows = models.JSONField(
        "windows of single sections",
        default=dict,
        blank=True,
        help_text='Section key to START:END, e.g. {"leavers": "2014-04-01:2016-05-31"}.',
    )
    large_tables_in_appendix = models.BooleanField(
        default=False,
        help_text="Print tables of more than ten rows, and any needing a landscape page, in an appendix.",
    )
    summary = models.TextField(
        blank=True, help_text="Printed at the top with the recommendations, as cabinet papers open."
    )
    purpose = models.TextField(blank=True)
    policy_framework = models.TextField("policy framework and previous decisions", blank=True)
    background = models.TextField(blank=True)
    resource_implications = models.TextField(blank=True)
    conclusion = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    financial_implications = models.TextField(blank=True)
    legal_implications = models.TextField(blank=True)
    equality_implications = models.TextField("equality and human rights implications", blank=True)
    background_papers = models.TextField(blank=True, help_text="One a line.")
    officer_to_contact = models.TextField(
        blank=True,
        help_text="Blank: the council's setting (OFFICER_TO_CONTACT). One line each: name, role, email.",
    )
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
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text="The published paper this version corrects.",
    )
    history = HistoricalRecords(excluded_fields=["frozen_summary"])

    class Meta:
        ordering = ["-as_at", "-meeting_date", "-pk"]
        permissions = [
            ("publish_committeereport", "Can publish a committee report (freezing its figures)"),
            ("export_committeereport", "Can export a committee report"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {long_date(self.meeting_date)} (figures at {long_date(self.as_at)})"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    def comparison_date_list(self) -> list[dt.date]:
        """Return the comparison dates, or the default ones for the as-at date."""
        dates = parse_comparison_dates(self.comparison_dates)
        return dates or default_comparison_dates(self.as_at)

    def default_window(self) -> Window:
        """Return the report's default window: its dates, else its months to the as-at date."""
        if self.window_start and self.window_end:
            return Window(self.window_start, self.window_end)
        return default_window(self.as_at, self.window_months or 12)

    def window_overrides(self) -> dict[str, Window]:
        """Return the windows given to single sections, by section key."""
        return {key: parse_window(text) for key, text in (self.section_windows or {}).items() if text}

    def windows(self) -> dict[str, Window]:
        """Return every section's window (raises ``WindowError`` for one that cannot be used)."""
        return resolve_windows(self.as_at, default=self.default_window(), overrides=self.window_overrides())

    def clean(self) -> None:
        from workforce.scopes import Scope, ScopeError

        if bool(self.window_start) != bool(self.window_end):
            field = "window_end" if self.window_start else "window_start"
            raise ValidationError({field: "Give both ends of the default window, or neither."})
        if not isinstance(self.section_windows, dict):
            raise ValidationError({"section_windows": "Windows must be a mapping of section to START:END."})
        if self.as_at:
            try:
                check_window(self.default_window(), self.as_at, what="The default window")
            except WindowError as error:
                raise ValidationError({"window_end": str(error)}) from None
            try:
                self.windows()
            except WindowError as error:
                raise ValidationError({"section_windows": str(error)}) from None

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
        return f"{self.format} export at {long_datetime(self.created_at)}"
