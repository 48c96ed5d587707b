from __future__ import annotations

from django.apps import AppConfig


class OutlookConfig(AppConfig):
    name = "kommuneradar.outlook"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
