"""A job: long-running work started from a page (an export, an import), run by the task
worker, whose page shows its progress and then its result to the person who started it.

The job is the user-facing record; the queue's own record of the task (``task_id``) is
the worker's business. Its files (the upload it works on, the file it made) are kept in
the database beside it, so any web process on any machine can serve them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class JobKind(models.TextChoices):
    EXPORT = "export", "Export of a committee report"
    IMPORT = "import", "Import of the HR extract"


class Job(models.Model):
    """One piece of background work, its progress, and its outcome."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=JobKind.choices)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)], help_text="Per cent done, where it can be told."
    )
    step = models.CharField(max_length=200, blank=True, help_text="What it is doing now, in words.")
    error = models.TextField(blank=True, help_text="Why it failed, for the person who started it.")
    details = models.JSONField(default=dict, blank=True, help_text="What the work and its result page need.")
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    back_url = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The queue's id of the task running it.")
    task_path = models.CharField(
        max_length=200, blank=True, help_text="The task that runs it (a dotted path), to queue it again."
    )
    retries_left = models.PositiveSmallIntegerField(
        default=0, help_text="How many more times it is started again if its worker stops mid-way."
    )
    worker = models.CharField(
        max_length=200, blank=True, help_text="The task worker running it, as host:process id."
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The heartbeat: every step of progress moves it, so a job whose worker stopped is found.
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When its owner was emailed that it finished."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "created_at"]),
            models.Index(fields=["status", "updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("pages:job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}


class FileRole(models.TextChoices):
    INPUT = "input", "Given to the work"
    RESULT = "result", "Made by the work"


class JobFile(models.Model):
    """A file a job works on or made, kept in the database so every process can reach it.

    Inputs are deleted when the work ends; results after a day (exports hold figures and
    imports' reports personal data)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=10, choices=FileRole.choices)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["job", "role", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "role", "position"], name="jobs_one_file_per_place")
        ]

    def __str__(self) -> str:
        return self.name
