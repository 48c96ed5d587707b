"""The network's pages in a real browser: accessible (axe, WCAG 2.1 AA) and usable at
phone width without sideways scrolling."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kommuneradar.accounts.models import User
from kommuneradar.network.models import Enrolment, Programme
from kommuneradar.places.models import Municipality
from kommuneradar.surveys.models import Round
from tests.browsing import assert_accessible_and_fits, signed_in_context

from .test_profile import enrol_in_a_programme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(
    ("path", "width"),
    [
        ("/kommuner/101/", 1280),
        ("/kommuner/101/", 375),
        ("/partnerskaber/tp/", 1280),
        ("/partnerskaber/tp/", 375),
        ("/kommuner/", 375),
        ("/partnerskaber/", 375),
    ],
)
def test_pages_pass_axe_at_desktop_and_phone_width(
    published_survey: Round,
    live_server: Any,
    browser: Any,
    path: str,
    width: int,
) -> None:
    enrol_in_a_programme(Municipality.objects.get(code="101"))
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + path)
    assert_accessible_and_fits(page, f"{path} at {width}px")
    page.close()


def test_forms_pass_axe_at_phone_width(
    published_survey: Round,
    live_server: Any,
    browser: Any,
    analyst: User,
) -> None:
    enrol_in_a_programme(Municipality.objects.get(code="101"))
    Programme.objects.filter(slug="tp").update(enrolment_deadline=dt.date(2099, 1, 1))
    enrolment = Enrolment.objects.get()
    context = signed_in_context(browser, live_server, analyst, 375)
    page = context.new_page()
    for path in (
        "/partnerskaber/tp/tilmeld/",
        f"/partnerskaber/tp/tilmeldinger/{enrolment.pk}/",
        "/partnerskaber/tp/rediger/",
        "/partnerskaber/projekter/ny/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible_and_fits(page, path)
    context.close()


def test_an_editor_sees_only_their_own_enrolments_contact_and_the_page_stays_accessible(
    live_server: Any, browser: Any
) -> None:
    """Logged in through the login page, København's editor sees København's contact
    person on the programme page and, for Vejle, only that it is enrolled (docs/security.md)."""
    copenhagen = Municipality.objects.get(code="101")
    enrol_in_a_programme(copenhagen)
    vejle = Enrolment.objects.create(
        programme=Programme.objects.get(slug="tp"),
        municipality=Municipality.objects.get(code="630"),
        commitment="Skærmbesøg i Vejle.",
        contact_name="Vagn Vejle",
        contact_email="vagn@vejle.example",
        enrolled_on=dt.date(2023, 3, 2),
    )
    vejle.tracks.set(Programme.objects.get(slug="tp").tracks.all())
    User.objects.create_user(
        "kbh",
        "redaktoer@kk.example",
        "Kommuneradar-kbh-1",
        role=User.Role.EDITOR,
        municipality=copenhagen,
    )
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/log-ind/")
    page.get_by_label("E-mailadresse eller brugernavn").fill("redaktoer@kk.example")
    page.get_by_label("Adgangskode").fill("Kommuneradar-kbh-1")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(live_server.url + "/min-kommune/")
    page.goto(live_server.url + "/partnerskaber/tp/")
    table = page.locator("table", has_text="Vejle")
    assert "Karen Holm" in table.inner_text()
    assert "Vagn Vejle" not in page.content()
    assert "vagn@vejle.example" not in page.content()
    assert_accessible_and_fits(page, "/partnerskaber/tp/ as København's editor at 375px")
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_visitor_finds_a_municipality_with_the_search_box(
    published_survey: Round, live_server: Any, browser: Any, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + "/kommuner/")
    page.get_by_label("Find en kommune (navn, kode eller region)").fill("vejle")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_url("**/kommuner/?q=vejle")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert_accessible_and_fits(page, f"/kommuner/?q=vejle at {width}px")
    page.get_by_role("link", name="Vejle").click()
    page.wait_for_url("**/kommuner/630/")
    assert page.locator("h1").inner_text() == "Vejle"
    page.close()
