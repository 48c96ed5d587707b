"""The outlook in headless Chromium, in Danish and in English: no WCAG 2.1 AA violations
(axe), no sideways scrolling at 1280 and 375 px, and a scenario asked for through the form
without JavaScript, whose address can be shared."""

from __future__ import annotations

from typing import Any

import pytest

from kommuneradar.places.models import Municipality
from tests.browsing import assert_accessible_and_fits

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def choose_language(page: Any, language: str) -> None:
    """Switch the site's language with the language form, as a visitor does."""
    page.select_option("#language-select", language)
    with page.expect_navigation():
        page.click(".language-form button")


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("language", ["da", "en"])
def test_the_outlook_pages_pass_axe_and_fit(
    panel: list[Municipality], live_server: Any, browser: Any, width: int, language: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/fremskrivning/")
    if language == "en":
        choose_language(page, "en")
    for path in (
        "/fremskrivning/",
        "/fremskrivning/?fart=abc",
        "/teknologi/rpa/",
        f"/kommuner/{panel[3].code}/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible_and_fits(page, f"{path} in {language} at {width}px")
    context.close()


def test_a_scenario_is_asked_for_with_the_form_and_has_its_own_address(
    panel: list[Municipality], live_server: Any, browser: Any
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(live_server.url + "/fremskrivning/")
    page.fill("#id_fart", "1,5")
    page.check("#id_piloter")
    page.get_by_label("Robotic Process Automation", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Vis scenariet").click()
    assert "fart=1%2C5" in page.url and "program=rpa" in page.url
    assert page.get_by_role("columnheader", name="Scenarie", exact=True).count() == 1
    shared = page.url
    page.goto(live_server.url + "/fremskrivning/")
    page.goto(shared)
    assert page.input_value("#id_fart") == "1,5"
    page.fill("#id_fart", "ti")
    with page.expect_navigation():
        page.get_by_role("button", name="Vis scenariet").click()
    assert "Skriv farten som et tal" in page.content()
    assert page.input_value("#id_fart") == "ti"
    context.close()
