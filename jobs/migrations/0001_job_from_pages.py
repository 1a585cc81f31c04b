# The job and its history, handed over from the ``pages`` app whose migration 0002 renamed
# their tables to this app's names: only Django's record of the models changes here, and
# every existing row is kept. Their content types (and so any permission) follow them.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
import uuid
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("job", "historicaljob"):
        if not ContentType.objects.filter(app_label="jobs", model=model).exists():
            ContentType.objects.filter(app_label="pages", model=model).update(app_label="jobs")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("pages", "0002_job_moves_to_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalJob",
                    fields=[
                        ("id", models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("export", "Export of a committee report"),
                                    ("import", "Import of the HR extract"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("title", models.CharField(max_length=200)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Waiting to start"),
                                    ("running", "Running"),
                                    ("done", "Done"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=20,
                            ),
                        ),
                        (
                            "progress",
                            models.PositiveSmallIntegerField(
                                default=0,
                                help_text="Per cent done, where it can be told.",
                                validators=[django.core.validators.MaxValueValidator(100)],
                            ),
                        ),
                        (
                            "step",
                            models.CharField(
                                blank=True, help_text="What it is doing now, in words.", max_length=200
                            ),
                        ),
                        (
                            "error",
                            models.TextField(
                                blank=True, help_text="Why it failed, for the person who started it."
                            ),
                        ),
                        (
                            "details",
                            models.JSONField(
                                blank=True, default=dict, help_text="What the result page needs."
                            ),
                        ),
                        ("result_path", models.CharField(blank=True, max_length=500)),
                        ("result_name", models.CharField(blank=True, max_length=200)),
                        ("result_type", models.CharField(blank=True, max_length=100)),
                        ("back_url", models.CharField(blank=True, max_length=300)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical job",
                        "verbose_name_plural": "historical jobs",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Job",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("export", "Export of a committee report"),
                                    ("import", "Import of the HR extract"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("title", models.CharField(max_length=200)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Waiting to start"),
                                    ("running", "Running"),
                                    ("done", "Done"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=20,
                            ),
                        ),
                        (
                            "progress",
                            models.PositiveSmallIntegerField(
                                default=0,
                                help_text="Per cent done, where it can be told.",
                                validators=[django.core.validators.MaxValueValidator(100)],
                            ),
                        ),
                        (
                            "step",
                            models.CharField(
                                blank=True, help_text="What it is doing now, in words.", max_length=200
                            ),
                        ),
                        (
                            "error",
                            models.TextField(
                                blank=True, help_text="Why it failed, for the person who started it."
                            ),
                        ),
                        (
                            "details",
                            models.JSONField(
                                blank=True, default=dict, help_text="What the result page needs."
                            ),
                        ),
                        ("result_path", models.CharField(blank=True, max_length=500)),
                        ("result_name", models.CharField(blank=True, max_length=200)),
                        ("result_type", models.CharField(blank=True, max_length=100)),
                        ("back_url", models.CharField(blank=True, max_length=300)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(fields=["owner", "created_at"], name="pages_job_owner_i_6cfa1b_idx")
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
