from __future__ import annotations

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kommuneradar.surveys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the app's job tasks (surveys.jobs.TASKS), so any job can be retried.
        from . import tasks  # noqa: F401
