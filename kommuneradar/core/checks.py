"""System checks that make a production start refuse a configuration that would fail
quietly (run by `check --deploy`, every management command, runserver and gunicorn's
first request through Django's start-up)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

NON_SENDING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def email_is_sent(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """With DEBUG off, e-mail must really be sent: survey links are each municipality's key,
    and a console backend would write them into the server log instead."""
    if settings.DEBUG or settings.ALLOW_NON_SMTP_EMAIL:
        return []
    if settings.EMAIL_BACKEND not in NON_SENDING_EMAIL_BACKENDS:
        return []
    return [
        checks.Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which sends no e-mail, and DEBUG is off.",
            hint=(
                "Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST "
                "(invitations and survey links are sent by e-mail), or set "
                "ALLOW_NON_SMTP_EMAIL=true if this installation deliberately sends none."
            ),
            id="core.E001",
        )
    ]
