from django.db import migrations

# (code, name, order): the channels the papers name, plus where else candidates come from.
CHANNELS = [
    ("targeted-online", "Targeted online advertising", 10),
    ("social-media", "Social media", 20),
    ("search", "Search (jobs boards and search engines)", 30),
    ("partner", "Recruitment partner", 40),
    ("university", "University partnership", 50),
    ("frontline", "Frontline", 60),
    ("apprenticeship", "Social work apprenticeship", 70),
    ("internal", "Internal advert", 80),
    ("website", "Council jobs website", 90),
    ("referral", "Staff referral", 100),
]


def seed_channels(apps, schema_editor):
    Channel = apps.get_model("recruitment", "Channel")
    for code, name, order in CHANNELS:
        Channel.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def unseed_channels(apps, schema_editor):
    apps.get_model("recruitment", "Channel").objects.filter(code__in=[c[0] for c in CHANNELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_initial")]

    operations = [migrations.RunPython(seed_channels, unseed_channels)]
