from django.db import migrations

# (code, name, census OrgRole, in scope of the social work measures, order)
ROLES = [
    ("social-worker", "Social Worker", 5, True, 10),
    ("senior-practitioner", "Senior Practitioner", 4, True, 20),
    ("advanced-practitioner", "Advanced Practitioner", 4, True, 30),
    ("team-manager", "Team Manager", 3, True, 40),
    ("service-manager", "Service Manager", 2, True, 50),
    ("head-of-service", "Head of Service", 1, True, 60),
]


def seed_roles(apps, schema_editor):
    Role = apps.get_model("workforce", "Role")
    for code, name, org_role, in_scope, order in ROLES:
        Role.objects.update_or_create(
            code=code,
            defaults={"name": name, "org_role": org_role, "in_scope": in_scope, "order": order},
        )


def unseed_roles(apps, schema_editor):
    apps.get_model("workforce", "Role").objects.filter(code__in=[r[0] for r in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [migrations.RunPython(seed_roles, unseed_roles)]
