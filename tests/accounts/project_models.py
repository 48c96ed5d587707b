"""Every model of the project's own apps, found from the app registry, so a new app or
model is covered by the access and audit tests without editing them."""

from __future__ import annotations

from django.apps import apps
from django.db import models


def project_models() -> list[type[models.Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("kommuneradar.")
        for model in config.get_models()
    ]
