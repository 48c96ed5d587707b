from __future__ import annotations

from django.apps import AppConfig


class RadarConfig(AppConfig):
    name = "kommuneradar.radar"
    default_auto_field = "django.db.models.BigAutoField"
