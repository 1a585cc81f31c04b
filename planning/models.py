"""Planning ahead: the trainees and cohorts coming through, and saved what-if scenarios.

A pipeline cohort is a group expected to qualify or start on a date (Frontline students,
apprentices, a university partnership, a newly qualified cohort); the forecast counts them
as starters then. A scenario is a named set of levers (posts added or removed, turnover up
or down, hires a quarter, agency converted to permanent, additional capacity stopped) that
changes the forecast's inputs; each lever is a row whose fields are checked in ``clean()``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from foundation.dates import long_date
from workforce.models import Role, Team


class CohortKind(models.TextChoices):
    FRONTLINE = "frontline", "Frontline"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    UNIVERSITY = "university", "University partnership"
    NEWLY_QUALIFIED = "newly_qualified", "Newly qualified cohort"


class PipelineCohort(models.Model):
    """People expected to qualify or start together, not yet recorded as accepted offers."""

    name = models.CharField(max_length=200, unique=True, help_text="For example: Frontline 2025 cohort.")
    kind = models.CharField(max_length=20, choices=CohortKind.choices)
    headcount = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], help_text="How many people are expected to start."
    )
    expected_on = models.DateField(
        "expected qualifying or start date", help_text="The day they are expected to start in post."
    )
    role = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        help_text="The role they will start in, if known; blank: the case-holding social worker role.",
    )
    teams = models.ManyToManyField(
        Team,
        blank=True,
        related_name="cohorts",
        help_text="The teams they will join, if known (shared equally between them). Blank: counted "
        "only in the whole council's and the case-holding teams' forecast.",
    )
    known_from = models.DateField(
        default=timezone.localdate,
        help_text="When the council knew of this cohort (places agreed, students placed). Forecasts "
        "tested against the past count it only from this date.",
    )
    notes = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[teams])

    class Meta:
        ordering = ["expected_on", "name"]
        indexes = [models.Index(fields=["expected_on"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.headcount}, {long_date(self.expected_on)})"

    def clean(self) -> None:
        errors = {}
        if self.known_from and self.expected_on and self.known_from > self.expected_on:
            errors["known_from"] = (
                f"A cohort is known before it starts: {long_date(self.known_from)} is after the expected "
                f"date {long_date(self.expected_on)}."
            )
        if self.role_id is not None and not self.role.in_scope:
            errors["role"] = (
                f"{self.role.name} is not a social work role the measures count; choose one that is."
            )
        if errors:
            raise ValidationError(errors)


class Scenario(models.Model):
    """A named what-if: levers that change the forecast's inputs, owned by its author."""

    name = models.CharField(max_length=120)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scenarios")
    shared = models.BooleanField(
        "shared with colleagues",
        default=False,
        help_text="Shared scenarios can be seen by everyone who sees the forecast, and used in a "
        "committee report. Only the owner can change one.",
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="one_scenario_name_per_owner")]

    def __str__(self) -> str:
        return self.name


class LeverKind(models.TextChoices):
    POSTS = "posts", "Posts added or removed"
    TURNOVER = "turnover", "Turnover up or down"
    HIRES = "hires", "Hires a quarter"
    CONVERSION = "conversion", "Agency workers converted to permanent"
    CAPACITY = "capacity", "Additional capacity (temporary posts) stopped"


# For each kind of lever: the fields it uses (the others must be blank) and those it needs.
LEVER_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    LeverKind.POSTS: ({"role", "team", "fte", "starts_on"}, {"role", "fte"}),
    LeverKind.TURNOVER: ({"role", "team", "points", "starts_on"}, {"points"}),
    LeverKind.HIRES: ({"role", "team", "fte", "starts_on"}, {"role", "fte"}),
    LeverKind.CONVERSION: ({"role", "team", "fte", "starts_on"}, {"role", "fte"}),
    LeverKind.CAPACITY: ({"role", "team", "starts_on"}, {"starts_on"}),
}
MAX_LEVER_FTE = Decimal("1000")


class ScenarioLever(models.Model):
    """One change a scenario makes to the forecast's inputs."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="levers")
    kind = models.CharField(max_length=20, choices=LeverKind.choices)
    role = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank: every role (turnover and capacity levers only).",
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank: across the council (it then shows only where the forecast covers all teams).",
    )
    fte = models.DecimalField(
        "FTE",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Posts: FTE added (negative to remove). Hires: FTE a quarter. Conversions: FTE converted.",
    )
    points = models.DecimalField(
        "change in turnover (percentage points a year)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="For example 3 for a rise from 15% to 18%, or -2 for a fall.",
    )
    starts_on = models.DateField("from", null=True, blank=True, help_text="Blank: from the start.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scenario", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.scenario})"

    def clean(self) -> None:
        if self.kind not in LEVER_FIELDS:
            return  # the field's own choices validation names it
        used, needed = LEVER_FIELDS[self.kind]
        label = LeverKind(self.kind).label.lower()
        errors: dict[str, str] = {}
        values = {
            "role": self.role_id,
            "team": self.team_id,
            "fte": self.fte,
            "points": self.points,
            "starts_on": self.starts_on,
        }
        for name, value in values.items():
            if name in needed and value is None:
                errors[name] = f"A lever for {label} needs this."
            elif name not in used and value is not None:
                errors[name] = f"A lever for {label} does not use this: leave it blank."
        if self.fte is not None and "fte" not in errors:
            if self.kind == LeverKind.POSTS and self.fte == 0:
                errors["fte"] = "Give the FTE added (or, negative, removed): it cannot be 0."
            elif self.kind != LeverKind.POSTS and self.fte <= 0:
                errors["fte"] = "The FTE must be more than 0."
            elif abs(self.fte) > MAX_LEVER_FTE:
                errors["fte"] = f"The FTE must be no more than {MAX_LEVER_FTE:,}."
        if self.points is not None and "points" not in errors:
            if self.points == 0:
                errors["points"] = "Give the change in percentage points: it cannot be 0."
            elif abs(self.points) > 100:
                errors["points"] = "The change must be between -100 and 100 percentage points."
        if self.role_id is not None and "role" not in errors and not self.role.in_scope:
            errors["role"] = f"{self.role.name} is not a social work role the measures count."
        if errors:
            raise ValidationError(errors)
