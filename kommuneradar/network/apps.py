from __future__ import annotations

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "kommuneradar.network"
    default_auto_field = "django.db.models.BigAutoField"
