from __future__ import annotations

from django.apps import AppConfig
from django.core import checks
from django.urls import register_converter

from .checks import email_is_sent
from .downloads import FormatConverter, SheetFormatConverter


class CoreConfig(AppConfig):
    """Shared mechanisms: number formats, charts, template tags, spreadsheets in and out,
    downloads. No models."""

    name = "kommuneradar.core"

    def ready(self) -> None:
        register_converter(FormatConverter, "fmt")
        register_converter(SheetFormatConverter, "sheet")
        checks.register(email_is_sent)
