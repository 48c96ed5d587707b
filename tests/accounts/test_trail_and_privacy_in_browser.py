"""In headless Chromium: an analyst logs in, opens the users page, follows an editor's
history link, filters it and opens one object's history; a published round's correction
page; the privacy page from the footer. Every page passes axe and fits 375 px."""

from __future__ import annotations

from typing import Any

import pytest

from kommuneradar.accounts import audit
from kommuneradar.accounts.models import User
from kommuneradar.cases.models import Case
from kommuneradar.places.models import Municipality
from kommuneradar.radar import services
from tests.accounts.test_first_day_in_browser import log_in
from tests.browsing import assert_accessible_and_fits
from tests.cases.factories import make_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_analyst_reads_an_editors_history_and_a_case_history(
    live_server: Any, browser: Any, analyst: User, vejle_editor: User, vejle: Municipality
) -> None:
    case = make_case(vejle, title="Robotstøvsugere", state=Case.State.DRAFT)
    with audit.acting_as(vejle_editor):
        case.title = "Robotstøvsugere i plejeboliger med et langt navn der skal kunne brydes"
        case.save()
    page = browser.new_page(viewport={"width": 375, "height": 800})
    log_in(page, live_server.url, "anna", "pw")
    page.goto(live_server.url + "/brugere/")
    with page.expect_navigation():
        page.get_by_role("link", name=f"Historik for {vejle_editor.username}").click()
    assert_accessible_and_fits(page, "a user's history")
    page.get_by_label("Slags objekt").select_option("cases.Case")
    with page.expect_navigation():
        page.get_by_role("button", name="Vis").click()
    assert "model=cases.Case" in page.url
    with page.expect_navigation():
        page.get_by_role("link", name=f"cases.Case {case.pk}").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Historik for")
    assert_accessible_and_fits(page, "a case's history")
    page.close()


def test_a_published_rounds_correction_page_and_the_privacy_page(
    live_server: Any, browser: Any, analyst: User, make_round: Any
) -> None:
    round_ = make_round(2024, {"skaermbesoeg": ["in_operation", "scaled", "piloting"] * 2})
    services.publish_round(round_, None)
    page = browser.new_page(viewport={"width": 375, "height": 800})
    log_in(page, live_server.url, "anna", "pw")
    page.goto(live_server.url + "/runder/2024/udgivelse/")
    with page.expect_navigation():
        page.get_by_role("link", name="Ret rundens svar fra en fil").click()
    assert_accessible_and_fits(page, "the correction page")
    with page.expect_navigation():
        page.get_by_role("button", name="Offentliggør rettelsen").click()
    assert page.get_by_text("Skriv, hvad der er ændret og hvorfor.").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Privatliv og persondata").click()
    assert page.url == live_server.url + "/privatliv/"
    assert_accessible_and_fits(page, "the privacy page")
    page.close()
