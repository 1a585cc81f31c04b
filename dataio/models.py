"""A log of imports: who imported which files when, and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ImportOutcome(models.TextChoices):
    APPLIED = "applied", "Imported"
    CHECKED = "checked", "Checked (dry run), no problems"
    REJECTED = "rejected", "Rejected, nothing changed"


class ImportRun(models.Model):
    """One import (or dry run) of one or more files, from the admin or the command line."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20, choices=ImportOutcome.choices)
    files = models.JSONField(default=list, blank=True, help_text="Each file's name, kind and counts of rows.")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.TextField(blank=True, help_text="The first problems found, one a line.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "import"

    def __str__(self) -> str:
        names = ", ".join(file.get("name", "") for file in self.files)
        return f"{self.get_outcome_display()}: {names}"
