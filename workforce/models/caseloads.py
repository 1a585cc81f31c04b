"""Caseloads and comparators.

A **caseload** is the number of cases (children) allocated to one worker on one date, as the
council's case management system counts them: usually an extract of one row per worker per
month-end, sometimes split by the type of case. The figures built from caseloads
(``workforce.selectors.caseloads``) take each worker's latest caseload on or before a date
within a staleness limit; this module only keeps the records right.

A **comparator** is a figure published for England, the council's region or its statistical
neighbours for a census year (turnover, vacancy and agency rates, caseload, absence rate),
entered or imported by HR with its source. The product never invents one: the demonstration's
are marked illustrative and labelled so wherever they are shown.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from foundation.dates import long_date
from workforce.models.establishment import Assignment, Worker

# No children's social worker holds more: a larger figure is a mistake in the extract (a
# team's total, a row count), refused rather than averaged in.
MAX_CASES = 100
# Caseloads are recorded from the case management system; none is older than this.
EARLIEST_CASELOAD = dt.date(2000, 1, 1)
EARLIEST_COMPARATOR_YEAR = 2000
LATEST_COMPARATOR_YEAR = 2100

# The optional split of a caseload by type of case: (field, label), in the order the
# census guide lists them. A case is counted under one type: its highest status.
CASE_TYPES: tuple[tuple[str, str], ...] = (
    ("child_in_need", "Child in need"),
    ("child_protection", "Child protection"),
    ("looked_after", "Child looked after"),
    ("care_leaver", "Care leaver"),
)


def _cases_field(verbose_name: str, **options: object) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, validators=[MaxValueValidator(MAX_CASES)], **options
    )


class Caseload(models.Model):
    """The cases allocated to one worker on one date, optionally split by type.

    The types are optional and may be partial (some systems split only child protection and
    children looked after): the types given never add up to more than ``cases``, and when
    all four are given they add up to exactly ``cases``.
    """

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="caseloads")
    recorded_on = models.DateField(
        "date", help_text="The date the cases were counted (usually the extract's month-end)."
    )
    cases = _cases_field("cases", help_text=f"Cases (children) allocated on the date, 0 to {MAX_CASES}.")
    child_in_need = _cases_field("child in need", null=True, blank=True)
    child_protection = _cases_field("child protection", null=True, blank=True)
    looked_after = _cases_field("child looked after", null=True, blank=True)
    care_leaver = _cases_field("care leaver", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "worker"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "recorded_on"], name="caseload_one_per_worker_and_date")
        ]
        indexes = [
            # Every worker's latest caseload on a date is read from the caseloads of the days
            # before it (the staleness limit): a range of this index, its rows never read.
            models.Index(fields=["recorded_on", "worker", "cases"], name="caseload_date_covering"),
        ]

    def __str__(self) -> str:
        return f"{self.cases} cases on {long_date(self.recorded_on)}"

    @property
    def typed_cases(self) -> dict[str, int]:
        """Return the types given, {field: cases}."""
        return {name: getattr(self, name) for name, _ in CASE_TYPES if getattr(self, name) is not None}

    def check_values(self, *, today: dt.date | None = None) -> None:
        """Raise ``ValidationError`` (naming the field) for a date or split that cannot be right.

        No query: the import checks thousands of rows with it.
        """
        today = today or timezone.localdate()
        errors: dict[str, str] = {}
        if self.recorded_on is not None:
            if self.recorded_on > today:
                errors["recorded_on"] = "A caseload cannot be recorded for a date after today."
            elif self.recorded_on < EARLIEST_CASELOAD:
                errors["recorded_on"] = f"A caseload cannot be dated before {long_date(EARLIEST_CASELOAD)}."
        typed = self.typed_cases
        if self.cases is not None and typed:
            total = sum(typed.values())
            if len(typed) == len(CASE_TYPES) and total != self.cases:
                errors["cases"] = (
                    f"The four types of case add up to {total}, not {self.cases}: when every type is "
                    "given they must add up to the cases."
                )
            elif total > self.cases:
                errors["cases"] = (
                    f"The types of case given add up to {total}, more than the {self.cases} cases."
                )
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        errors: dict = {}
        try:
            self.check_values()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.worker_id is not None and self.recorded_on is not None and "recorded_on" not in errors:
            held = Assignment.objects.filter(worker_id=self.worker_id).active_on(self.recorded_on).exists()
            if not held:
                errors["recorded_on"] = [not_in_post_message(self.recorded_on)]
        if errors:
            raise ValidationError(errors)


def not_in_post_message(day: dt.date) -> str:
    """Return the message for a caseload dated when its worker held no post."""
    return f"The worker held no post on {long_date(day)}, so cannot have held cases then."


# --- Comparators ---------------------------------------------------------------------------------


class ComparatorArea(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"


# (field, label, whether it is a percentage) for each comparator figure.
COMPARATOR_FIGURES: tuple[tuple[str, str, bool], ...] = (
    ("turnover_rate", "Turnover rate", True),
    ("vacancy_rate", "Vacancy rate", True),
    ("agency_rate", "Agency rate", True),
    ("caseload", "Caseload per case holder", False),
    ("absence_rate", "Absence rate", True),
)


def _rate_field(verbose_name: str) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="A percentage to one decimal place, e.g. 15.4.",
    )


class Comparator(models.Model):
    """Published figures for England, a region or statistical neighbours in one census year."""

    area = models.CharField(max_length=30, choices=ComparatorArea.choices)
    area_name = models.CharField(
        "name",
        max_length=100,
        blank=True,
        help_text="The region's name (e.g. South East) or how the neighbours are described; optional.",
    )
    year = models.PositiveSmallIntegerField(
        "census year",
        validators=[MinValueValidator(EARLIEST_COMPARATOR_YEAR), MaxValueValidator(LATEST_COMPARATOR_YEAR)],
        help_text="The figures are at 30 September of this year (the census date).",
    )
    turnover_rate = _rate_field("turnover rate (%)")
    vacancy_rate = _rate_field("vacancy rate (%)")
    agency_rate = _rate_field("agency rate (%)")
    caseload = models.DecimalField(
        "caseload per case holder",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal(MAX_CASES))],
        help_text="Cases per FTE case holder, to one decimal place.",
    )
    absence_rate = _rate_field("absence rate (%)")
    source = models.CharField(
        max_length=200,
        help_text="Where the figures come from, e.g. DfE, Children's social work workforce 2023, table 1.",
    )
    illustrative = models.BooleanField(
        default=False,
        help_text="Made-up figures for a demonstration, not published ones: labelled 'illustrative'.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "area"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="comparator_one_per_area_and_year")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.year}"

    @property
    def label(self) -> str:
        """Return the area as headings print it: "England", "South East", "Statistical neighbours"."""
        if self.area == ComparatorArea.REGION and self.area_name:
            return self.area_name
        return self.get_area_display()

    @property
    def figures(self) -> dict[str, Decimal]:
        """Return the figures given, {field: value}."""
        return {
            name: getattr(self, name) for name, _, _ in COMPARATOR_FIGURES if getattr(self, name) is not None
        }

    def clean(self) -> None:
        if not self.figures:
            raise ValidationError(
                "Give at least one figure: turnover, vacancy or agency rate, caseload or absence rate."
            )
