from __future__ import annotations

from django.apps import AppConfig
from django.urls import register_converter

from .converters import MunicipalityCodeConverter


class PlacesConfig(AppConfig):
    name = "kommuneradar.places"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        register_converter(MunicipalityCodeConverter, "municipality")
