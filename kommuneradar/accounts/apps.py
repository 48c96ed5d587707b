from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "kommuneradar.accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .roles import sync_analyst_group

        # Every app's post_migrate, so that the last one sees every app's permissions.
        post_migrate.connect(sync_analyst_group, dispatch_uid="kommuneradar-analyst-group")
