"""The benefits pages in headless Chromium: no WCAG 2.1 AA violations (axe), no sideways
scrolling at phone width, and a follow-up recorded (Danish decimal comma, Enter submits)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kommuneradar.accounts.models import User
from kommuneradar.benefits.models import FollowUp, Project
from kommuneradar.places.models import Municipality
from tests.browsing import assert_accessible_and_fits, axe_violations, signed_in_context

from .factories import make_project, publish_overall_edition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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


@pytest.mark.parametrize("width", [1280, 375])
def test_benefits_pages_pass_axe_and_fit_a_phone(
    project: Project, live_server: Any, browser: Any, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    for path in ("/gevinster/", "/gevinster/projekter/", f"/gevinster/projekter/{project.pk}/"):
        page.goto(live_server.url + path)
        assert_accessible_and_fits(page, f"{path} at {width}px")
    page.close()


def test_an_editor_records_a_follow_up_in_the_browser(
    project: Project, live_server: Any, browser: Any
) -> None:
    editor = User.objects.create_user(
        "vera", "vera@vejle.example", "pw", role=User.Role.EDITOR, municipality=project.municipality
    )
    context = signed_in_context(browser, live_server, editor, 1280)
    page = context.new_page()
    for path in ("/gevinster/projekter/ny/", f"/gevinster/projekter/{project.pk}/rediger/"):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    page.goto(live_server.url + "/gevinster/projekter/import/")
    assert axe_violations(page) == []
    page.goto(live_server.url + f"/gevinster/projekter/{project.pk}/opfoelgning/")
    assert axe_violations(page) == []
    page.focus("#id_measured_on")
    page.fill("#id_measured_on", "2024-06-01")
    page.focus("#id_hours_freed")
    page.keyboard.type("1800,5")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/gevinster/projekter/{project.pk}/")
    assert FollowUp.objects.filter(project=project, measured_on=dt.date(2024, 6, 1)).exists()
    context.close()
