from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        from access.roles import sync_group_permissions
        from access.sso import checks  # noqa: F401  (registers the single sign-on checks)

        # Permissions only exist after every app has migrated, so the groups the data
        # migration created are given theirs here, and kept in step as models are added.
        post_migrate.connect(sync_group_permissions, dispatch_uid="access.sync_group_permissions")
