"""The analysts' group: what KL's analysts may do in the admin.

Kept in step with the code after every migration, so a new model's permissions reach the
analysts without anyone editing groups by hand."""

from __future__ import annotations

from typing import Any

ANALYST_GROUP = "Analysts"

# app label -> the permission verbs analysts get for every model of that app
ANALYST_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "places": ("view", "change"),
    "catalog": ("view", "add", "change", "delete"),
    "surveys": ("view", "add", "change"),
    "radar": ("view", "add", "change", "delete"),
    "cases": ("view", "add", "change"),
    "benefits": ("view", "add", "change"),
    "network": ("view", "add", "change", "delete"),
    "accounts": ("view",),
}


def sync_analyst_group(**kwargs: Any) -> None:
    """Create or update the analysts' group (connected to post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=ANALYST_GROUP)
    wanted = [
        permission.pk
        for permission in Permission.objects.select_related("content_type")
        if permission.content_type.app_label in ANALYST_PERMISSIONS
        and permission.codename.split("_", 1)[0]
        in ANALYST_PERMISSIONS[permission.content_type.app_label]
        and permission.content_type.model != "user"
    ]
    group.permissions.set(wanted)
