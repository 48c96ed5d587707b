from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command

from kommuneradar.outlook import services
from kommuneradar.places.models import Municipality


def test_the_command_fits_once_and_shares_the_fit(
    panel: list[Municipality], monkeypatch: Any
) -> None:
    out = StringIO()
    call_command("fit_outlook", stdout=out)
    assert "3 published rounds (2022, 2023, 2024), 1 technologies" in out.getvalue()
    services.forget()

    def no_fit() -> services.State:
        raise AssertionError("fitted again")

    monkeypatch.setattr(services, "fit_state", no_fit)
    call_command("fit_outlook", stdout=StringIO())
    assert services.ready() is not None
