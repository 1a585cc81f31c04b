# The job (and its history) moves to the ``jobs`` app, a lower floor that the import
# admin may use. Its tables are renamed here and the models handed over in
# jobs.0001_job_from_pages, so every existing row is kept.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="job", table="jobs_job"),
        migrations.AlterModelTable(name="historicaljob", table="jobs_historicaljob"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalJob"),
                migrations.DeleteModel(name="Job"),
            ],
        ),
    ]
