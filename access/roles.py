"""The four kinds of user and what each group may do.

The groups are created by a data migration; ``sync_group_permissions`` gives them
their permissions after every migrate, so a model added later is covered too.
"""

from __future__ import annotations

from typing import Any

HR = "hr"
MANAGER = "manager"
DIRECTOR = "director"
READER = "reader"
GROUPS = (HR, MANAGER, DIRECTOR, READER)

# The apps whose records HR maintains.
HR_APPS = ("workforce", "recruitment", "leavers", "planning", "dataio")
ALL_APPS = ("workforce", "recruitment", "leavers", "planning", "reporting", "dataio")

# Custom permissions that do not belong to one model's add/change/delete/view.
EXTRA_PERMISSIONS: dict[str, list[str]] = {
    HR: [],
    MANAGER: ["leavers.record_exit_conversation"],
    DIRECTOR: ["reporting.publish_committeereport", "reporting.export_committeereport"],
    READER: [],
}


def _wanted(group: str, permission: Any) -> bool:
    app, codename = permission.content_type.app_label, permission.codename
    if f"{app}.{codename}" in EXTRA_PERMISSIONS[group]:
        return True
    if group == HR:
        return app in HR_APPS and not codename.startswith(("publish_", "export_"))
    if group == DIRECTOR:
        if app == "reporting":
            return True
        return app in HR_APPS and app != "dataio" and codename.startswith("view_")
    return False


def sync_group_permissions(**kwargs: Any) -> None:
    """Give each group exactly the permissions the table above grants it."""
    from django.contrib.auth.models import Group, Permission

    permissions = list(
        Permission.objects.select_related("content_type").filter(content_type__app_label__in=ALL_APPS)
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([p for p in permissions if _wanted(name, p)])
