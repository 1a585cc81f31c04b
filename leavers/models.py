"""Leavers and exit conversations, with the coded lists managers and HR choose from.

The code tables (leaving categories, destinations, exit reasons) are kept by HR in the
admin. Retiring a code (``active`` off) hides it from new records but keeps it on the
records that used it, in history and in every analysis.

The rules of a leaver live in ``Leaver.clean()`` (via ``leavers.rules``) so the admin
form, the services, the importer and the demo loader apply them the same way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from foundation.dates import long_date
from workforce.models import FTE_FIELD, Contract, Post, Role, Team, Worker
from workforce.validators import plausible_date


class ReasonLeave(models.IntegerChoices):
    """The census ``ReasonLeave`` codes."""

    RESIGNATION = 1, "Resignation"
    VOLUNTARY_REDUNDANCY = 2, "Voluntary redundancy"
    COMPULSORY_REDUNDANCY = 3, "Compulsory redundancy"
    DISMISSED = 4, "Dismissed"
    RETIRED = 5, "Retired"
    DECEASED = 6, "Deceased"
    MOVED_WITHIN_AUTHORITY = 7, "Moved to a non-children-and-family social work role within the authority"
    OTHER = 8, "Other"
    NOT_KNOWN = 9, "Not known"
    NOT_YET_COLLECTED = 10, "Not yet collected"


class LeaverDestination(models.IntegerChoices):
    """The census ``LeaverDestination`` codes."""

    OTHER_LA = 1, "Social worker role in another local authority in England"
    OUTSIDE_ENGLAND = 2, "Social worker role outside England"
    AGENCY = 3, "Agency or consultancy in social work (England)"
    OTHER_SOCIAL_WORK = 4, "Other social work role, not a local authority (England)"
    OTHER_SOCIAL_CARE = 5, "Other social care role"
    NO_SOCIAL_CARE = 6, "Non-social-care role, any role outside England, no employment or career break"
    OTHER = 7, "Other"
    NOT_KNOWN = 8, "Not known"
    NOT_YET_COLLECTED = 9, "Not yet collected"


class CodeQuerySet(models.QuerySet):
    def active(self) -> CodeQuerySet:
        """Return the codes that may be chosen on new records."""
        return self.filter(active=True)

    def choosable(self, *keep: object) -> CodeQuerySet:
        """Return the active codes plus ``keep`` (the codes a record being edited already has)."""
        pks = [getattr(code, "pk", code) for code in keep if code is not None]
        return self.filter(models.Q(active=True) | models.Q(pk__in=pks))


class Code(models.Model):
    """A coded list entry: a stable code, the name people read, and whether it is in use."""

    code = models.SlugField(max_length=40, unique=True, help_text="A stable key used in exports.")
    name = models.CharField(max_length=200, unique=True)
    active = models.BooleanField(
        default=True,
        help_text="Untick to retire the code: it is hidden from new records but kept on old ones "
        "and in reports.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = CodeQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name if self.active else f"{self.name} (retired)"


class LeavingCategory(Code):
    """A local leaving category (resignation to new employment, normal retirement...)."""

    census_reason = models.PositiveSmallIntegerField("census ReasonLeave", choices=ReasonLeave.choices)
    history = HistoricalRecords()

    class Meta(Code.Meta):
        verbose_name_plural = "leaving categories"


class Destination(Code):
    """Where a leaver went, in local detail under a census ``LeaverDestination`` code."""

    census_destination = models.PositiveSmallIntegerField(
        "census LeaverDestination", choices=LeaverDestination.choices
    )
    history = HistoricalRecords()

    class Meta(Code.Meta):
        pass


class ExitReason(Code):
    """A reason for leaving that a manager records in an exit conversation."""

    history = HistoricalRecords()

    class Meta(Code.Meta):
        pass


class Leaver(models.Model):
    """An employee's departure. FTE, service and the last team and role are derived."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="leavings")
    leaving_date = models.DateField(help_text="The last day of employment.", validators=[plausible_date])
    category = models.ForeignKey(
        LeavingCategory, on_delete=models.PROTECT, related_name="leavers", verbose_name="leaving category"
    )
    # Derived by ``Leaver.clean()`` from the worker's assignments on the leaving date.
    fte_at_leaving = models.DecimalField("FTE at leaving", **FTE_FIELD)
    service_start = models.DateField("continuous service start")
    service_days = models.PositiveIntegerField("length of service (days)")
    service_years = models.PositiveSmallIntegerField("length of service (completed years)")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="leavers", verbose_name="last team")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="leavers", verbose_name="role")
    post = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        related_name="leavers",
        null=True,
        blank=True,
        verbose_name="last post",
    )
    contract = models.CharField(max_length=20, choices=Contract.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    anonymised_on = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-leaving_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "leaving_date"], name="one_leaver_per_departure")
        ]
        indexes = [models.Index(fields=["leaving_date"])]

    def __str__(self) -> str:
        return f"{self.worker} left {long_date(self.leaving_date)}"

    def clean(self) -> None:
        from leavers.rules import check_leaver

        check_leaver(self)


class ExitConversation(models.Model):
    """What the leaver's manager learned: where they went, why, and an optional quote."""

    leaver = models.OneToOneField(Leaver, on_delete=models.CASCADE, related_name="exit_conversation")
    held_on = models.DateField("date of the conversation", validators=[plausible_date])
    destination = models.ForeignKey(Destination, on_delete=models.PROTECT, related_name="conversations")
    reasons = models.ManyToManyField(ExitReason, related_name="conversations")
    notes = models.TextField(blank=True, help_text="Private to managers and HR; never in a report.")
    quote = models.TextField(
        blank=True,
        help_text="Words the leaver is happy to have quoted, written without names. Shown in reports "
        "only with consent.",
    )
    quote_consent = models.BooleanField(
        "leaver consented to being quoted anonymously",
        default=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[reasons])

    class Meta:
        ordering = ["-held_on", "pk"]
        permissions = [
            (
                "record_exit_conversation",
                "Can record the exit conversation of a leaver from a team they manage",
            )
        ]

    def __str__(self) -> str:
        return f"Exit conversation on {long_date(self.held_on)}"

    def clean(self) -> None:
        from leavers.rules import check_exit_conversation

        check_exit_conversation(self)
