"""The questionnaire in a real browser: no JavaScript, keyboard alone, phone width, axe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kommuneradar.catalog.models import Domain
from kommuneradar.places.models import Municipality
from kommuneradar.surveys import services
from kommuneradar.surveys.models import Answer, Invitation, Round
from tests.browsing import assert_accessible_and_fits, axe_violations, signed_in_context

from .conftest import issue_token

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def link(db: Any) -> str:
    round_ = Round.objects.create(
        year=2025, opens_on=dt.date(2025, 2, 1), closes_on=dt.date(2025, 3, 31)
    )
    services.move_round(round_, Round.Status.OPEN, None)
    invitation = Invitation.objects.get(
        round=round_,
        municipality=Municipality.objects.get(code="630"),
        domain=Domain.objects.get(slug="sundhed-og-aeldre"),
    )
    return f"/spoergeskema/{issue_token(invitation)}/"


@pytest.mark.parametrize("width", [1280, 375])
def test_the_questionnaire_and_its_errors_pass_axe(
    link: str, live_server: Any, browser: Any, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + link)
    assert_accessible_and_fits(page, f"the questionnaire at {width}px")
    with page.expect_navigation():
        page.click("button[name=submit]")
    assert page.locator(".surveys-error-summary").count() == 1
    assert axe_violations(page) == []
    page.close()


def _tab_to(page: Any, selector: str, limit: int = 400) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_respondent_saves_a_draft_with_the_keyboard_alone_without_javascript(
    link: str, live_server: Any, browser: Any
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + link)
    first_stage = page.locator("select[name$='-stage']").first
    name = first_stage.get_attribute("name")
    prefix = name.removesuffix("stage")
    _tab_to(page, f"select[name='{name}']")
    page.keyboard.type("A")  # Afprøver, the only stage starting with A
    _tab_to(page, f"select[name='{prefix}efficiency']")
    page.keyboard.type("S")  # Stor
    _tab_to(page, "button[name=save]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Kladden er gemt")
    answer = Answer.objects.get()
    assert (answer.stage, answer.value_efficiency) == ("piloting", "large")
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/runder/",
        "/runder/2025/",
        "/runder/2025/import/",
        "/runder/2025/modenhed/",
        "/runder/2025/udgivelse/",
    ],
)
def test_the_analyst_pages_pass_axe_at_phone_width(
    link: str, live_server: Any, browser: Any, analyst: Any, path: str
) -> None:
    context = signed_in_context(browser, live_server, analyst, 375)
    page = context.new_page()
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert_accessible_and_fits(page, path)
    context.close()
