"""Seed the leaving categories, destinations and exit reasons listed in DOMAIN.md."""

from django.db import migrations

# (code, name, census ReasonLeave)
CATEGORIES = [
    ("resignation-new-employment", "Resignation to new employment", 1),
    ("resignation-other", "Resignation – other", 1),
    ("resignation-personal", "Resignation – personal / domestic reasons", 1),
    ("normal-retirement", "Normal retirement", 5),
    ("ill-health-retirement", "Ill-health retirement", 5),
    ("end-of-fixed-term", "End of fixed term", 8),
    ("redundancy", "Redundancy", 3),
    ("dismissal", "Dismissal", 4),
    ("death-in-service", "Death in service", 6),
    ("moved-within-council", "Moved to another role in the council", 7),
]

# (code, name, census LeaverDestination)
DESTINATIONS = [
    ("agency-local", "Agency role locally", 3),
    ("agency-london", "Agency role in London", 3),
    ("another-la", "Another local authority", 1),
    ("independent-fostering", "Independent fostering agency", 4),
    ("private-voluntary", "Private or voluntary sector", 4),
    ("leaving-social-work", "Leaving social work", 6),
    ("retirement", "Retirement", 6),
    ("not-known", "Not known", 8),
]

# (code, name)
REASONS = [
    ("better-pay", "Better pay elsewhere"),
    ("workload", "Workload and work-life balance"),
    ("working-practices", "Frustration with changed working practices"),
    ("other-organisations", "Wanting experience of other organisations"),
    ("caring", "Caring responsibilities and family"),
    ("journey", "Journey to work"),
    ("progression", "Progression or portfolio requirements"),
    ("career-break", "Career break or travel"),
    ("moving-area", "Moving area"),
    ("health", "Health"),
]


def seed_codes(apps, schema_editor):
    LeavingCategory = apps.get_model("leavers", "LeavingCategory")
    Destination = apps.get_model("leavers", "Destination")
    ExitReason = apps.get_model("leavers", "ExitReason")
    for order, (code, name, census) in enumerate(CATEGORIES, start=1):
        LeavingCategory.objects.update_or_create(
            code=code, defaults={"name": name, "census_reason": census, "order": order * 10}
        )
    for order, (code, name, census) in enumerate(DESTINATIONS, start=1):
        Destination.objects.update_or_create(
            code=code, defaults={"name": name, "census_destination": census, "order": order * 10}
        )
    for order, (code, name) in enumerate(REASONS, start=1):
        ExitReason.objects.update_or_create(code=code, defaults={"name": name, "order": order * 10})


def unseed_codes(apps, schema_editor):
    apps.get_model("leavers", "LeavingCategory").objects.filter(code__in=[c[0] for c in CATEGORIES]).delete()
    apps.get_model("leavers", "Destination").objects.filter(code__in=[d[0] for d in DESTINATIONS]).delete()
    apps.get_model("leavers", "ExitReason").objects.filter(code__in=[r[0] for r in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("leavers", "0001_initial")]

    operations = [migrations.RunPython(seed_codes, unseed_codes)]
