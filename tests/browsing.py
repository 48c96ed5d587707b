"""Everything the browser tests share: `browser`, Debian's headless Chromium driven by
Playwright (a fixture, loaded by tests/conftest.py); a browser context signed in as a
user; and what every page must pass: axe (WCAG 2.1 AA) and no sideways scrolling."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium installed (.ci/run installs it)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # tests themselves are synchronous and safe. Function scope, so that the test database
    # is set up (and restored for serialized rollback) before that loop starts: Django's
    # connections are context-local, and a connection made inside the loop would not see
    # the serialized contents.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


def signed_in_context(browser: Any, live_server: Any, user: Any, width: int) -> Any:
    """A browser context `width` pixels wide whose session belongs to `user`."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def axe_violations(page: Any) -> list[str]:
    """The page's WCAG 2.1 A/AA violations, one readable line each."""
    result = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in result.response["violations"]
    ]


def sideways_overflow(page: Any) -> int:
    """How many pixels the page scrolls sideways (0 when it fits the viewport)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def assert_accessible_and_fits(page: Any, where: str) -> None:
    """The page open at `where` has no axe violation and does not scroll sideways."""
    assert axe_violations(page) == [], where
    overflow = sideways_overflow(page)
    assert overflow <= 1, f"{where} scrolls sideways by {overflow}px"
