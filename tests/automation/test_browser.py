"""The pipeline in a real browser: an editor logs in through the login page and adds a
process through the real form; the pages pass axe (WCAG 2.1 AA) and fit a phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kommuneradar.accounts.models import User
from kommuneradar.automation.models import Process
from kommuneradar.places.models import Municipality
from tests.browsing import assert_accessible_and_fits

from .factories import make_kle, make_process, measure

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_editor_logs_in_and_adds_a_process_through_the_form(
    live_server: Any, browser: Any
) -> None:
    vejle = Municipality.objects.get(code="630")
    make_kle("81.02.04", "Børneattester og straffeattester")
    User.objects.create_user(
        "vejle-redaktoer",
        "redaktoer@vejle.example",
        "Kommuneradar-vejle-1",
        role=User.Role.EDITOR,
        municipality=vejle,
    )
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/log-ind/")
    page.get_by_label("E-mailadresse eller brugernavn").fill("redaktoer@vejle.example")
    page.get_by_label("Adgangskode").fill("Kommuneradar-vejle-1")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(live_server.url + "/min-kommune/")
    page.goto(live_server.url + "/automatisering/")
    with page.expect_navigation():
        page.get_by_role("link", name="Ny proces").click()
    assert_accessible_and_fits(page, "the new-process form at 375px")
    page.get_by_label("Titel", exact=True).fill("Bestilling af børneattester")
    page.get_by_label("KLE-nummer").fill("81.02.04")
    page.get_by_label("Robotic Process Automation").check()
    page.get_by_label("Sager om året").fill("2400")
    page.get_by_label("Minutter pr. sag").fill("12,5")
    page.get_by_label("Automatiseringsgrad (procent)").fill("150")
    page.get_by_label("Navn").fill("Bente Procesejer")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem").click()
    # refused: the share is above 100; what was typed is kept
    assert page.get_by_label("Titel", exact=True).input_value() == "Bestilling af børneattester"
    assert page.get_by_label("Navn").input_value() == "Bente Procesejer"
    assert Process.objects.count() == 0
    page.get_by_label("Automatiseringsgrad (procent)").fill("80")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url(f"{live_server.url}/automatisering/*/")
    process = Process.objects.get()
    assert process.municipality == vejle and process.kle is not None
    assert process.contacts.get().name == "Bente Procesejer"
    # 2,400 × 12.5 minutes × 80 % = 400 hours a year
    assert "400,0" in page.locator("#potential-heading + div").inner_text()
    assert "Bente Procesejer" in page.content()
    assert_accessible_and_fits(page, "the new process's page at 375px")
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_pipeline_pages_pass_axe_and_fit(live_server: Any, browser: Any, width: int) -> None:
    vejle = Municipality.objects.get(code="630")
    aarhus = Municipality.objects.get(code="751")
    source = make_process(vejle, title="Journalisering af e-mails")
    make_process(aarhus, title="Journalisering af e-mails", source=source)
    measure(source, dt.date(2025, 1, 1), dt.date(2025, 3, 31), "60", "15")
    measure(source, dt.date(2025, 4, 1), dt.date(2025, 6, 30), "60", "10")
    page = browser.new_page(viewport={"width": width, "height": 900})
    for path in ("/automatisering/", source.get_absolute_url(), "/automatisering/paraplyer/"):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible_and_fits(page, f"{path} at {width}px")
    page.close()
