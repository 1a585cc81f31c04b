"""Seed the reasons an offer is declined or withdrawn (issue 15): HR can rename, add or retire them."""

from django.db import migrations

# (code, name, order)
REASONS = [
    ("salary", "Salary", 10),
    ("location-travel", "Location or travel", 20),
    ("the-role", "The role itself", 30),
    ("accepted-another-offer", "Accepted another offer", 40),
    ("withdrew", "Candidate withdrew", 50),
    ("other", "Other", 60),
]


def seed_reasons(apps, schema_editor):
    DeclineReason = apps.get_model("recruitment", "DeclineReason")
    for code, name, order in REASONS:
        DeclineReason.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def unseed_reasons(apps, schema_editor):
    DeclineReason = apps.get_model("recruitment", "DeclineReason")
    DeclineReason.objects.filter(code__in=[code for code, _, _ in REASONS], applications__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0004_decline_reasons")]

    operations = [migrations.RunPython(seed_reasons, unseed_reasons)]
