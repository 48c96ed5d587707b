"""An editor walks to the token page from their workspace after logging in through the real
login page, creates a token (shown once), uses it, and revokes it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from kommuneradar.accounts.models import User
from kommuneradar.places.models import Municipality
from tests.accounts.test_first_day_in_browser import log_in
from tests.browsing import assert_accessible_and_fits

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Fjordbyen-Noegle-42"
CASE = {
    "title": "Fra sagssystemet",
    "summary": "Oprettet gennem API'et.",
    "technologies": ["skaermbesoeg"],
    "domains": ["sundhed-og-aeldre"],
}


def write_with(secret: str) -> int:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post("/api/v1/cases", json.dumps(CASE), content_type="application/json")
    return response.status_code


def test_an_editor_creates_sees_once_uses_and_revokes_a_token(
    live_server: Any, browser: Any
) -> None:
    User.objects.create_user(
        "vibeke@vejle.example",
        "vibeke@vejle.example",
        PASSWORD,
        role=User.Role.EDITOR,
        municipality=Municipality.objects.get(code="630"),
    )
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "vibeke@vejle.example", PASSWORD)
    assert page.url.endswith("/min-kommune/")
    with page.expect_navigation():
        page.get_by_role("link", name="API-nøgler til jeres systemer").click()
    page.get_by_label("Nøglens navn").fill("Sagssystem")
    with page.expect_navigation():
        page.get_by_role("button", name="Opret nøglen").click()
    secret = page.get_by_label("Nøgle", exact=True).input_value()
    assert secret.startswith("kr_")
    assert_accessible_and_fits(page, "the token page with a new token")
    assert write_with(secret) == 201

    page.goto(live_server.url + "/min-konto/noegler/")
    assert secret not in page.content()
    assert "Sagssystem" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Tilbagekald “Sagssystem”").click()
    assert "Tilbagekaldt" in page.content()
    assert write_with(secret) == 401
    context.close()


def test_the_open_data_page_is_accessible_and_fits_a_phone(live_server: Any, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.get_by_role("link", name="Åbne data og API (data: CC BY 4.0; kode: MIT)").click()
    assert page.url.endswith("/data/")
    page.get_by_text("kolonner").first.click()  # open one list of columns
    assert_accessible_and_fits(page, "/data/")
    context.close()
