"""Recruitment: campaigns, the applications they bring in, interviews, offers and starts.

An application moves through its stages by dates: received, shortlisted, interviewed
(one or more interviews), offered, then accepted, declined or withdrawn, and started.
The order of the stages is checked in ``recruitment.rules`` (called from ``clean()`` and
from the services), so the admin, the bulk actions, the importer and the demo loader
all enforce it the same way. A start is made by ``recruitment.services.start_candidate``,
which creates the assignment that fills a vacant establishment post.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from foundation.dates import long_date
from workforce.models import Assignment, Role, StartOrigin, Team, Worker
from workforce.validators import AtMost, plausible_date

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(0)]}
DATE = {"validators": [plausible_date]}


class Channel(models.Model):
    """Where candidates come from: an advertising channel, a partner or a training route."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CampaignQuerySet(models.QuerySet):
    def running_between(self, start: dt.date, end: dt.date) -> CampaignQuerySet:
        """Return the campaigns open on any day from ``start`` to ``end``."""
        return self.filter(opens_on__lte=end).filter(Q(closes_on__isnull=True) | Q(closes_on__gte=start))

    def with_status(self, status: str, today: dt.date) -> CampaignQuerySet:
        """Return the campaigns that are planned, open or closed on ``today``."""
        if status == CampaignStatus.PLANNED:
            return self.filter(opens_on__gt=today)
        if status == CampaignStatus.OPEN:
            return self.running_between(today, today)
        if status == CampaignStatus.CLOSED:
            return self.filter(closes_on__lt=today)
        return self


class Campaign(models.Model):
    """A recruitment campaign: what it recruits for, when, through which channels, at what cost."""

    title = models.CharField(max_length=200)
    roles = models.ManyToManyField(Role, related_name="campaigns")
    opens_on = models.DateField(**DATE)
    closes_on = models.DateField(
        null=True, blank=True, help_text="Leave empty for rolling recruitment.", **DATE
    )
    channels = models.ManyToManyField(Channel, blank=True, related_name="campaigns")
    partner_name = models.CharField(
        max_length=100, blank=True, help_text="The recruitment partner, if one is engaged."
    )
    cost = models.DecimalField(
        "cost (£)",
        default=0,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0), AtMost(10_000_000, "campaign's cost")],
    )
    target_hires = models.PositiveIntegerField(
        null=True, blank=True, validators=[AtMost(10_000, "campaign's target of hires")]
    )
    newly_qualified_cohort = models.BooleanField(
        "newly qualified cohort",
        default=False,
        help_text="A cohort of newly qualified social workers who start together.",
    )
    cohort_starts_on = models.DateField(
        null=True, blank=True, help_text="For a newly qualified cohort: the day the cohort starts.", **DATE
    )
    history = HistoricalRecords(m2m_fields=[roles, channels])

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "title"]
        indexes = [models.Index(fields=["opens_on", "closes_on"])]

    def __str__(self) -> str:
        return self.title

    def status_on(self, day: dt.date) -> str:
        """Return whether the campaign is planned, open or closed on ``day``."""
        if self.opens_on > day:
            return CampaignStatus.PLANNED
        if self.closes_on is not None and self.closes_on < day:
            return CampaignStatus.CLOSED
        return CampaignStatus.OPEN

    def clean(self) -> None:
        errors = {}
        if self.closes_on and self.opens_on and self.closes_on < self.opens_on:
            errors["closes_on"] = (
                f"The campaign cannot close ({long_date(self.closes_on)}) before it opens "
                f"({long_date(self.opens_on)})."
            )
        if self.cohort_starts_on and not self.newly_qualified_cohort:
            errors["cohort_starts_on"] = "Only a newly qualified cohort has a cohort start date."
        if errors:
            raise ValidationError(errors)


class DeclineReasonQuerySet(models.QuerySet):
    def active(self) -> DeclineReasonQuerySet:
        """Return the reasons that may be chosen for a new decline or withdrawal."""
        return self.filter(active=True)

    def choosable(self, *keep: object) -> DeclineReasonQuerySet:
        """Return the active reasons plus ``keep`` (the reason a record being edited already has)."""
        pks = [getattr(reason, "pk", reason) for reason in keep if reason is not None]
        return self.filter(Q(active=True) | Q(pk__in=pks))


class DeclineReason(models.Model):
    """Why an offer was declined or withdrawn: a coded list HR keep in the admin.

    Retiring a reason (``active`` off) hides it from new declines but keeps it on the
    offers that used it, in their history and in the funnel's table of reasons.
    """

    code = models.SlugField(max_length=40, unique=True, help_text="A stable key used in imports and exports.")
    name = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(
        default=True,
        help_text="Untick to retire the reason: it is hidden from new declines but kept on old ones "
        "and in reports.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = DeclineReasonQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "offer decline reason"

    def __str__(self) -> str:
        return self.name if self.active else f"{self.name} (retired)"


class Stage(models.TextChoices):
    """How far an application has gone: the furthest stage reached."""

    RECEIVED = "received", "Received"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INTERVIEWED = "interviewed", "Interviewed"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Offer accepted"
    DECLINED = "declined", "Offer declined"
    WITHDRAWN = "withdrawn", "Offer withdrawn"
    STARTED = "started", "Started"


class Application(models.Model):
    """A candidate in a campaign for a role, and the dates of each stage they reached."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="applications")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="applications")
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        help_text="The team the candidate is recruited for, if known; set from the post at the start.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    worker = models.ForeignKey(
        Worker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        help_text="An internal or agency candidate's existing record; for others, set at the start.",
    )
    internal = models.BooleanField(default=False, help_text="Already employed by the council.")
    newly_qualified = models.BooleanField(
        default=False, help_text="Qualified in the last 12 months (ASYE); counted apart in the funnel."
    )
    source = models.ForeignKey(
        Channel, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    start_origin = models.PositiveSmallIntegerField(
        "comes from (census StartOrigin)", choices=StartOrigin.choices, null=True, blank=True
    )
    received_on = models.DateField(**DATE)
    shortlisted_on = models.DateField(null=True, blank=True, **DATE)
    interviewed_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The first interview the candidate attended."
    )
    offered_on = models.DateField(null=True, blank=True, **DATE)
    salary_point = models.CharField(
        "grade / salary point", max_length=40, blank=True, help_text="For example KR10 point 3."
    )
    salary = models.DecimalField(
        "salary (£ a year)",
        null=True,
        blank=True,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0), AtMost(500_000, "salary")],
    )
    market_premium = models.DecimalField(
        "market premium (£ a year)",
        null=True,
        blank=True,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0), AtMost(100_000, "market premium")],
    )
    start_planned_on = models.DateField("agreed start date", null=True, blank=True, **DATE)
    offer_accepted_on = models.DateField(null=True, blank=True, **DATE)
    offer_declined_on = models.DateField(null=True, blank=True, **DATE)
    offer_withdrawn_on = models.DateField(
        null=True, blank=True, help_text="The offer was withdrawn (by either side) before the start.", **DATE
    )
    decline_reason = models.ForeignKey(
        DeclineReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="reason declined or withdrawn",
        help_text="Why the offer was declined or withdrawn: needed to record either. Offers declined "
        "before reasons were kept show as “not recorded”.",
    )
    started_on = models.DateField(null=True, blank=True, editable=False, **DATE)
    assignment = models.OneToOneField(
        Assignment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="application",
        help_text="The assignment the start created.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "last_name"]
        indexes = [
            models.Index(fields=["received_on", "role"]),
            models.Index(fields=["campaign", "received_on"]),
            models.Index(fields=["started_on"]),
            # The funnel reads only these columns of the applications received in a window:
            # with them all in the index it never visits the table (docs/performance.md).
            models.Index(
                fields=[
                    "received_on",
                    "role",
                    "newly_qualified",
                    "internal",
                    "shortlisted_on",
                    "interviewed_on",
                    "offered_on",
                    "offer_accepted_on",
                    "started_on",
                    "team",
                ],
                name="application_funnel_covering",
            ),
            # The offers declined or withdrawn by reason, for the few applications answered so:
            # the funnel reads them from this index alone (docs/performance.md).
            models.Index(
                fields=[
                    "received_on",
                    "decline_reason",
                    "offer_declined_on",
                    "offer_withdrawn_on",
                    "role",
                    "team",
                ],
                name="application_declines",
                condition=Q(offer_declined_on__isnull=False) | Q(offer_withdrawn_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.role.name}, {long_date(self.received_on)})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def stage(self) -> str:
        """Return the furthest stage this application has reached."""
        if self.started_on:
            return Stage.STARTED
        if self.offer_withdrawn_on:
            return Stage.WITHDRAWN
        if self.offer_declined_on:
            return Stage.DECLINED
        if self.offer_accepted_on:
            return Stage.ACCEPTED
        if self.offered_on:
            return Stage.OFFERED
        if self.interviewed_on:
            return Stage.INTERVIEWED
        if self.shortlisted_on:
            return Stage.SHORTLISTED
        return Stage.RECEIVED

    def get_stage_display(self) -> str:
        return Stage(self.stage).label

    def clean(self) -> None:
        from recruitment.rules import check_application

        check_application(self)


STAGE_FILTERS: dict[str, Q] = {
    Stage.RECEIVED: Q(shortlisted_on__isnull=True, interviewed_on__isnull=True, offered_on__isnull=True),
    Stage.SHORTLISTED: Q(shortlisted_on__isnull=False, interviewed_on__isnull=True, offered_on__isnull=True),
    Stage.INTERVIEWED: Q(interviewed_on__isnull=False, offered_on__isnull=True),
    Stage.OFFERED: Q(
        offered_on__isnull=False,
        offer_accepted_on__isnull=True,
        offer_declined_on__isnull=True,
        offer_withdrawn_on__isnull=True,
    ),
    Stage.ACCEPTED: Q(
        offer_accepted_on__isnull=False, offer_withdrawn_on__isnull=True, started_on__isnull=True
    ),
    Stage.DECLINED: Q(offer_declined_on__isnull=False),
    Stage.WITHDRAWN: Q(offer_withdrawn_on__isnull=False),
    Stage.STARTED: Q(started_on__isnull=False),
}
"""Select the applications whose furthest stage is the key (as ``Application.stage`` says)."""


class InterviewOutcome(models.TextChoices):
    PENDING = "pending", "Decision pending"
    APPOINTABLE = "appointable", "Appointable"
    NOT_APPOINTABLE = "not_appointable", "Not appointable"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


class Interview(models.Model):
    """One interview of an application: when, who sat on the panel, and the outcome."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField("date", **DATE)
    panel = models.CharField(max_length=200, blank=True, help_text="For example: team manager, HR adviser.")
    outcome = models.CharField(
        max_length=20, choices=InterviewOutcome.choices, default=InterviewOutcome.PENDING
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"Interview on {long_date(self.held_on)} ({self.get_outcome_display().lower()})"

    @property
    def attended(self) -> bool:
        return self.outcome != InterviewOutcome.DID_NOT_ATTEND
