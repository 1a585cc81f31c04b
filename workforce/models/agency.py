"""Agency workers beyond the assignment itself: the suppliers, the region's price caps by
core job type, the cost of a permanent worker in each role, and the suppliers' invoice
(or timesheet) lines that give the actual spend.

The terms of each engagement (pay rate, on-costs, margin, notice, reference, cool-off,
sign-offs) are fields of the agency ``Assignment``; the national rules that read them
live in ``workforce.agency_rules``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from foundation.dates import long_date
from foundation.measures import permanent_annual_cost

MONEY_ZERO = Decimal("0")


def money_range(top: str) -> list:
    """Return the validators of an amount of money from £0 to ``top``: never negative."""
    return [MinValueValidator(MONEY_ZERO), MaxValueValidator(Decimal(top))]


class JobType(models.Model):
    """A core job type of DfE's agency price caps (social worker, senior social worker, ...).

    Each role maps to one; roles with none (service managers and above) are outside the caps.
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=150, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "core job type"

    def __str__(self) -> str:
        return self.name


class SupplyRoute(models.TextChoices):
    FRAMEWORK = "framework", "Framework agreement"
    CONTRACT = "contract", "Direct contract"
    OFF_CONTRACT = "off_contract", "No contract (spot purchase)"


class SupplyType(models.TextChoices):
    """How a supplier provides workers: DfE asks for project teams and packaged services to be
    identified, each worker and their cost separately."""

    INDIVIDUAL = "individual", "Individual workers"
    PROJECT_TEAM = "project_team", "Project team"
    PACKAGED_SERVICE = "packaged_service", "Packaged service"


PROJECT_SUPPLY = (SupplyType.PROJECT_TEAM, SupplyType.PACKAGED_SERVICE)


class Supplier(models.Model):
    """An agency (or managed service provider) that supplies workers."""

    name = models.CharField(max_length=100, unique=True)
    route = models.CharField(
        "bought through", max_length=20, choices=SupplyRoute.choices, default=SupplyRoute.OFF_CONTRACT
    )
    agreement = models.CharField(
        "framework or contract",
        max_length=200,
        blank=True,
        help_text="The framework agreement or contract the supply is bought under, e.g. its name and lot.",
    )
    supply_type = models.CharField(max_length=20, choices=SupplyType.choices, default=SupplyType.INDIVIDUAL)
    active = models.BooleanField(default=True, help_text="Untick when no longer used; kept on old records.")
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_project_supply(self) -> bool:
        return self.supply_type in PROJECT_SUPPLY

    def clean(self) -> None:
        if self.name:
            self.name = " ".join(self.name.split())
        if self.route in (SupplyRoute.FRAMEWORK, SupplyRoute.CONTRACT) and not self.agreement.strip():
            raise ValidationError(
                {"agreement": f"Name the {self.get_route_display().lower()} the supply is bought under."}
            )


class PriceCap(models.Model):
    """The region's price cap for a core job type from a date: the most a worker's hourly pay
    rate, employer National Insurance and apprenticeship levy may add up to."""

    job_type = models.ForeignKey(JobType, on_delete=models.PROTECT, related_name="price_caps")
    applies_from = models.DateField(help_text="The first engagement date the cap applies to.")
    hourly_cap = models.DecimalField(
        "cap (£ an hour)", max_digits=7, decimal_places=2, validators=money_range("500")
    )
    notes = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where it comes from, e.g. the regional memorandum and its date.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["job_type__order", "-applies_from"]
        constraints = [
            models.UniqueConstraint(fields=["job_type", "applies_from"], name="one_cap_per_job_type_and_date")
        ]

    def __str__(self) -> str:
        return f"{self.job_type}: £{self.hourly_cap} an hour from {long_date(self.applies_from)}"


class PermanentCost(models.Model):
    """What a permanent worker in a role costs a year from a date: salary plus on-costs
    (employer National Insurance, pension and the like), to set agency spend against."""

    role = models.ForeignKey("workforce.Role", on_delete=models.PROTECT, related_name="permanent_costs")
    applies_from = models.DateField()
    salary = models.DecimalField(
        "annual salary (£)",
        max_digits=9,
        decimal_places=2,
        validators=money_range("500000"),
        help_text="Full-time, at the point of the grade used for comparison (e.g. its midpoint).",
    )
    on_costs_percent = models.DecimalField(
        "on-costs (% of salary)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(MONEY_ZERO), MaxValueValidator(Decimal("100"))],
        help_text="Employer National Insurance, pension and other on-costs, e.g. 30 for 30%.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["role__order", "-applies_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "applies_from"], name="one_permanent_cost_per_role_and_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}: £{self.annual_cost:,} a year from {long_date(self.applies_from)}"

    @property
    def annual_cost(self) -> Decimal:
        """Return the salary plus on-costs, to the penny."""
        return permanent_annual_cost(self.salary or MONEY_ZERO, self.on_costs_percent or MONEY_ZERO)


class InvoiceLine(models.Model):
    """One week of one worker on a supplier's invoice or timesheet: the actual spend.

    ``assignment`` is the worker's agency assignment that week, found when the line is
    recorded, so spend can be read by team, role and reason.
    """

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="invoice_lines")
    worker = models.ForeignKey("workforce.Worker", on_delete=models.PROTECT, related_name="invoice_lines")
    week_ending = models.DateField()
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(MONEY_ZERO), MaxValueValidator(Decimal("100"))],
    )
    amount = models.DecimalField(
        "amount (£)", max_digits=9, decimal_places=2, validators=money_range("20000")
    )
    invoice_reference = models.CharField(max_length=60, blank=True)
    assignment = models.ForeignKey(
        "workforce.Assignment",
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        help_text="The worker's agency assignment in the week (found when the line is recorded).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-week_ending", "supplier__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "worker", "week_ending"], name="one_invoice_line_per_supplier_worker_week"
            )
        ]
        indexes = [
            # Spend over a window, grouped by month, supplier or the assignment's team and reason,
            # reads this index alone.
            models.Index(
                fields=["week_ending", "assignment", "supplier", "amount", "hours"],
                name="invoice_week_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier}: week ending {long_date(self.week_ending)}"

    @property
    def week_start(self) -> dt.date:
        return self.week_ending - dt.timedelta(days=6)
