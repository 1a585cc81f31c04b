"""Seed DfE's five core job types, map the seeded roles to them, and turn each agency
assignment's supplier, written as text until now, into a ``Supplier`` it points at: one
supplier per distinct name (spaces tidied, case ignored), so nothing written is lost.

First, on SQLite, put back the triggers that count writes to the establishment
(0006_establishment_changes): SQLite's ALTER TABLE is done by remaking the table, which
drops its triggers, and 0009 remade the assignments table."""

from django.db import migrations

# (code, name, order): the core job types of DfE's agency price caps.
JOB_TYPES = [
    ("social-worker", "Social worker", 10),
    ("senior-social-worker", "Senior social worker", 20),
    ("advanced-practitioner", "Advanced practitioner", 30),
    ("team-manager", "Team manager", 40),
    ("iro-cp-chair", "Independent reviewing officer or child protection conference chair", 50),
]
# Seeded role code -> core job type code (service managers and heads of service have none).
ROLE_JOB_TYPES = {
    "social-worker": "social-worker",
    "senior-practitioner": "senior-social-worker",
    "advanced-practitioner": "advanced-practitioner",
    "team-manager": "team-manager",
}


WATCHED = ("workforce_role", "workforce_post", "workforce_assignment")
STATE = "workforce_establishmentchangesstate"


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps a table's triggers when columns are added
    for table in WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_changed_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN UPDATE {STATE} SET changes = changes + 1; END"
            )


def seed(apps, schema_editor):
    alias = schema_editor.connection.alias
    JobType = apps.get_model("workforce", "JobType")
    Role = apps.get_model("workforce", "Role")
    Supplier = apps.get_model("workforce", "Supplier")
    Assignment = apps.get_model("workforce", "Assignment")
    State = apps.get_model("workforce", "EstablishmentChangesState")
    before = State.objects.using(alias).filter(pk=1).values_list("changes", "kept").first()
    job_types = {}
    for code, name, order in JOB_TYPES:
        job_types[code], _ = JobType.objects.using(alias).update_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    for role_code, job_type_code in ROLE_JOB_TYPES.items():
        Role.objects.using(alias).filter(code=role_code, job_type__isnull=True).update(
            job_type=job_types[job_type_code]
        )
    suppliers = {}
    names = (
        Assignment.objects.using(alias)
        .filter(supplier__isnull=True)
        .exclude(agency_supplier="")
        .values_list("agency_supplier", flat=True)
        .distinct()
    )
    for written in sorted(set(names)):
        name = " ".join(written.split())
        key = name.casefold()
        if key not in suppliers:
            suppliers[key] = Supplier.objects.using(alias).filter(
                name__iexact=name
            ).first() or Supplier.objects.using(alias).create(name=name)
        # An update, not a save: the kept establishment figures do not read suppliers.
        Assignment.objects.using(alias).filter(agency_supplier=written, supplier__isnull=True).update(
            supplier=suppliers[key]
        )
    # The triggers counted these updates as changes to the establishment. Roles' job types and
    # assignments' suppliers change none of its figures: kept figures up to date before stay so.
    if before is not None and before[0] == before[1]:
        State.objects.using(alias).filter(pk=1).update(kept=State.objects.using(alias).get(pk=1).changes)


def unseed(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("workforce", "Assignment").objects.using(alias).update(supplier=None)
    apps.get_model("workforce", "Role").objects.using(alias).update(job_type=None)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0009_agency")]

    operations = [
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
        migrations.RunPython(seed, unseed),
    ]
