"""Every kind of page in Det Fælles Designsystem's look, opened in headless Chromium in Danish
and in English, at a desktop width (1280 px) and a phone width (375 px): axe finds no WCAG 2.1
A/AA violation, the page does not scroll sideways, and its footer links the accessibility
statement. Forms with errors show an error summary whose links lead to the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings

from kommuneradar.accounts.models import User
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from tests.automation.factories import make_process
from tests.benefits.factories import make_project
from tests.browsing import axe_violations
from tests.cases.factories import make_case
from tests.conftest import MakeRound
from tests.network.test_profile import enrol_in_a_programme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STAGES = ["scaled", "in_operation", "piloting", "considering", "not_considering"] * 3
WIDTHS = (1280, 375)
LANGUAGES = ("da", "en")


def _publish_two_editions(make_round: MakeRound) -> None:
    for year in (2023, 2024):
        stages = {slug: STAGES[year % 2 :] + STAGES[: year % 2] for slug in ("skaermbesoeg", "rpa")}
        compute_round(make_round(year, stages), publish=True)


def _fits(page: Any) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


def _problems(page: Any, where: str) -> list[str]:
    """What is wrong with the page open at `where`: axe's violations, sideways scrolling, and a
    footer without the accessibility statement."""
    found = [f"{where}: {violation}" for violation in axe_violations(page)]
    if not _fits(page):
        width = page.evaluate("document.documentElement.scrollWidth")
        found.append(f"{where}: scrolls sideways ({width}px wide)")
    if page.locator("footer a[href='/tilgaengelighed/']").count() != 1:
        found.append(f"{where}: the footer does not link the accessibility statement")
    return found


def _context(browser: Any, live_server: Any, language: str, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    return context


def test_every_public_page_type_passes_axe_and_fits_a_phone_in_both_languages(
    live_server: Any, browser: Any, make_round: MakeRound, vejle: Municipality
) -> None:
    _publish_two_editions(make_round)
    case = make_case(vejle, effects=2)
    make_project(vejle, follow_ups=((dt.date(2024, 6, 1), 900),))
    enrol_in_a_programme(vejle)
    process = make_process(vejle)
    pages = {
        "home (radar)": ("/", 200),
        "radar of a year": ("/radar/2024/", 200),
        "technology": ("/teknologi/skaermbesoeg/", 200),
        "municipalities": ("/kommuner/", 200),
        "municipality": ("/kommuner/630/", 200),
        "case list": ("/cases/?q=projekt", 200),
        "case detail": (f"/cases/{case.pk}/", 200),
        "benefits": ("/gevinster/", 200),
        "projects": ("/gevinster/projekter/", 200),
        "partnerships": ("/partnerskaber/", 200),
        "partnership": ("/partnerskaber/tp/", 200),
        "login": ("/log-ind/", 200),
        "accessibility statement": ("/tilgaengelighed/", 200),
        "privacy": ("/privatliv/", 200),
        "open data": ("/data/", 200),
        "radar method": ("/radar/2024/alle/metode/", 200),
        "automation pipeline": ("/automatisering/", 200),
        "automation process": (f"/automatisering/{process.pk}/", 200),
        "umbrella processes": ("/automatisering/paraplyer/", 200),
        "not found": ("/findes-ikke/", 404),
    }
    problems: list[str] = []
    for language in LANGUAGES:
        for width in WIDTHS:
            context = _context(browser, live_server, language, width)
            page = context.new_page()
            for kind, (path, status) in pages.items():
                response = page.goto(live_server.url + path)
                assert response.status == status, kind
                assert page.locator("html").get_attribute("lang") == language, kind
                problems += _problems(page, f"{kind} {path} in {language} at {width}px")
            context.close()
    assert problems == []


def test_forms_with_errors_show_a_summary_linking_to_each_field(
    live_server: Any, browser: Any, vejle_editor: User
) -> None:
    problems: list[str] = []
    for language in LANGUAGES:
        for width in WIDTHS:
            context = _context(browser, live_server, language, width)
            page = context.new_page()
            page.goto(live_server.url + "/log-ind/")
            with page.expect_navigation():
                page.locator("main form button[type=submit]").click()
            summary = page.locator(".error-summary")
            assert summary.count() == 1
            assert summary.get_attribute("role") == "alert"
            problems += _problems(page, f"login with errors in {language} at {width}px")

            page.locator("#id_username").fill("victor")
            page.locator("#id_password").fill("pw")
            with page.expect_navigation():
                page.locator("main form button[type=submit]").click()
            page.goto(live_server.url + "/gevinster/projekter/ny/")
            with page.expect_navigation():
                page.locator("main form button[type=submit]").last.click()
            assert page.locator(".form-error").count() >= 1
            problems += _problems(page, f"project form with errors in {language} at {width}px")
            for kind, path in {
                "workspace": "/min-kommune/",
                "case form": "/cases/ny/",
                "password change": "/adgangskode/",
                "API tokens": "/min-konto/noegler/",
            }.items():
                assert page.goto(live_server.url + path).status == 200, kind
                problems += _problems(page, f"{kind} in {language} at {width}px")
            context.close()
    assert problems == []


def test_the_error_summary_leads_to_the_field_in_error(
    live_server: Any, browser: Any, vejle_editor: User
) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 900})
    page.goto(live_server.url + "/log-ind/")
    page.locator("#id_username").fill("victor")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    link = page.locator(".error-summary a").first
    assert link.get_attribute("href") == "#id_password"
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_password"
    assert page.locator("#id_password").get_attribute("aria-invalid") == "true"
    page.close()


def test_the_accessibility_statement_has_the_prescribed_sections(
    live_server: Any, browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/tilgaengelighed/")
    headings = page.locator("main h2").all_inner_texts()
    assert headings == [
        "Hvad erklæringen dækker",
        "Overholdelsesstatus",
        "Ikke-tilgængeligt indhold",
        "Udarbejdelse af denne tilgængelighedserklæring",
        "Feedback og kontaktoplysninger",
        "Håndhævelsesprocedure",
    ]
    assert page.locator("main a[href^='mailto:']").count() == 1
    assert page.locator("main a[href='https://digst.dk/']").count() == 1
    page.close()


def test_the_design_system_font_loads_from_our_own_origin(live_server: Any, browser: Any) -> None:
    """DKFDS's IBM Plex Sans comes from the vendored static files, allowed by the CSP."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    fonts: list[str] = []
    page.on("response", lambda r: fonts.append(r.url) if ".woff" in r.url and r.ok else None)
    page.goto(live_server.url + "/tilgaengelighed/")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"IBM Plex Sans\"')")
    assert fonts and all(url.startswith(live_server.url + "/static/dkfds/fonts/") for url in fonts)
    page.close()
