"""Each user's choice of emails, and the log of emails sent (so none is sent twice)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from notices.kinds import Kind


class EmailPreferences(models.Model):
    """Which kinds of email one user wants; every kind is on until they turn it off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="email_preferences"
    )
    exit_conversations = models.BooleanField(default=True, verbose_name=Kind.EXIT_CONVERSATIONS.label)
    jobs = models.BooleanField(default=True, verbose_name=Kind.JOBS.label)
    reports = models.BooleanField(default=True, verbose_name=Kind.REPORTS.label)
    returns = models.BooleanField(default=True, verbose_name=Kind.RETURNS.label)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "email preferences"
        verbose_name_plural = "email preferences"

    def __str__(self) -> str:
        return f"Email preferences of {self.user}"

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, Kind(kind).value))


class SentEmail(models.Model):
    """One email sent to one person about one thing: a job, a report, a week's reminders."""

    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=100, help_text="What it was about, e.g. a job's id or a week.")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="notices_sent_once"),
        ]

    def __str__(self) -> str:
        return self.subject
