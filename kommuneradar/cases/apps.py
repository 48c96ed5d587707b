from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "kommuneradar.cases"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Knowledge centre")

    def ready(self) -> None:
        from . import signals  # noqa: F401
