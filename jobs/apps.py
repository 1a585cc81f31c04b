from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background work"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from jobs.cache import create_cache_tables

        # As ``migrate`` keeps the tables of the models, it keeps the shared cache's table.
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="jobs.create_cache_tables")
