"""The network's pages in a real browser: accessible (axe, WCAG 2.1 AA) and usable at
phone width without sideways scrolling."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from kommuneradar.accounts.models import User
from kommuneradar.network.models import Enrolment, Programme
from kommuneradar.places.models import Municipality
from kommuneradar.surveys.models import Round
from tests.browsing import axe_violations, sideways_overflow

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
    assert axe_violations(page) == []
    overflow = sideways_overflow(page)
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px at {width}px"
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
        assert axe_violations(page) == [], path
        overflow = sideways_overflow(page)
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
    context.close()
