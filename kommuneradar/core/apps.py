from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared presentation: number formats, charts, template tags. No models."""

    name = "kommuneradar.core"
