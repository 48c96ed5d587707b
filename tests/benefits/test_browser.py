"""The benefits pages in headless Chromium: no WCAG 2.1 AA violations (axe), no sideways
scrolling at phone width, and a follow-up recorded (Danish decimal comma, Enter submits)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from kommuneradar.accounts.models import User
from kommuneradar.benefits.models import FollowUp, Project
from kommuneradar.places.models import Municipality

from .factories import make_project, publish_overall_edition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def chromium() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium installed")
        pytest.skip("chromium is not installed")
    # The test's own ORM calls are synchronous; Playwright's loop runs in this thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield browser
        browser.close()


@pytest.fixture
def project(db: Any) -> Project:
    vejle = Municipality.objects.get(code="630")
    aarhus = Municipality.objects.get(code="751")
    publish_overall_edition(2024, {"skaermbesoeg": "klar", "cloud": "klar"})
    make_project(aarhus, follow_ups=((dt.date(2023, 6, 1), 1500),))
    return make_project(
        vejle,
        title="Skærmbesøg i hjemmeplejen",
        follow_ups=((dt.date(2023, 6, 1), 800), (dt.date(2024, 1, 1), 1700)),
    )


def _violations(page: Any) -> list[str]:
    result = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in result.response["violations"]
    ]


@pytest.mark.parametrize("width", [1280, 375])
def test_benefits_pages_pass_axe_and_fit_a_phone(
    project: Project, live_server: Any, chromium: Any, width: int
) -> None:
    page = chromium.new_page(viewport={"width": width, "height": 900})
    for path in ("/gevinster/", "/gevinster/projekter/", f"/gevinster/projekter/{project.pk}/"):
        page.goto(live_server.url + path)
        assert _violations(page) == [], path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {width}px"
    page.close()


def test_an_editor_records_a_follow_up_in_the_browser(
    project: Project, live_server: Any, chromium: Any
) -> None:
    editor = User.objects.create_user(
        "vera", "vera@vejle.example", "pw", role=User.Role.EDITOR, municipality=project.municipality
    )
    session = Client()
    session.force_login(editor)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    for path in ("/gevinster/projekter/ny/", f"/gevinster/projekter/{project.pk}/rediger/"):
        page.goto(live_server.url + path)
        assert _violations(page) == [], path
    page.goto(live_server.url + "/gevinster/projekter/import/")
    assert _violations(page) == []
    page.goto(live_server.url + f"/gevinster/projekter/{project.pk}/opfoelgning/")
    assert _violations(page) == []
    page.focus("#id_measured_on")
    page.fill("#id_measured_on", "2024-06-01")
    page.focus("#id_hours_freed")
    page.keyboard.type("1800,5")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/gevinster/projekter/{project.pk}/")
    assert FollowUp.objects.filter(project=project, measured_on=dt.date(2024, 6, 1)).exists()
    context.close()
