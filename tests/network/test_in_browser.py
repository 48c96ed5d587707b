"""The network's pages in a real browser: accessible (axe, WCAG 2.1 AA) and usable at
phone width without sideways scrolling."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from kommuneradar.accounts.models import User
from kommuneradar.network.models import Enrolment, Programme
from kommuneradar.places.models import Municipality
from kommuneradar.surveys.models import Round
from tests.browser.conftest import browser  # noqa: F401 - the shared Chromium fixture

from .test_profile import enrol_in_a_programme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page: Any) -> list[str]:
    result = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in result.response["violations"]
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
    browser: Any,  # noqa: F811
    path: str,
    width: int,
) -> None:
    enrol_in_a_programme(Municipality.objects.get(code="101"))
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + path)
    assert violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px at {width}px"
    page.close()


def test_forms_pass_axe_at_phone_width(
    published_survey: Round,
    live_server: Any,
    browser: Any,  # noqa: F811
    analyst: User,
) -> None:
    enrol_in_a_programme(Municipality.objects.get(code="101"))
    Programme.objects.filter(slug="tp").update(enrolment_deadline=dt.date(2099, 1, 1))
    enrolment = Enrolment.objects.get()
    client = Client()
    client.force_login(analyst)
    context = browser.new_context(viewport={"width": 375, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    for path in (
        "/partnerskaber/tp/tilmeld/",
        f"/partnerskaber/tp/tilmeldinger/{enrolment.pk}/",
        "/partnerskaber/tp/rediger/",
        "/partnerskaber/projekter/ny/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert violations(page) == [], path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
    context.close()
