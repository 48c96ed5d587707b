"""The radar in a real browser: accessible (axe, WCAG 2.1 AA), keyboard, phone width."""

from __future__ import annotations

from typing import Any

import pytest

from kommuneradar.radar.editions import compute_round
from tests.browsing import assert_accessible_and_fits
from tests.conftest import MakeRound

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUGS = ["skaermbesoeg", "sensorer", "telemedicin", "gps-ure", "rpa", "cloud", "apps", "droner"]
PATTERN = ["scaled", "in_operation", "piloting", "considering", "not_considering"]


@pytest.fixture
def published(make_round: MakeRound) -> None:
    for year in (2023, 2024):
        stages = {
            slug: [PATTERN[(i + j + year) % len(PATTERN)] for j in range(12)]
            for i, slug in enumerate(SLUGS)
        }
        compute_round(make_round(year, stages), publish=True)


@pytest.mark.parametrize(
    "path", ["/", "/radar/2024/sundhed-og-aeldre/", "/teknologi/skaermbesoeg/"]
)
@pytest.mark.parametrize("width", [1280, 375])
def test_pages_pass_axe_at_desktop_and_phone_width(
    published: None, live_server: Any, browser: Any, path: str, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + path)
    assert_accessible_and_fits(page, f"{path} at {width}px")
    page.close()


def test_keyboard_reaches_every_blip_and_opens_it(
    published: None, live_server: Any, browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/radar/2024/")
    reached: list[str] = []
    for _press in range(120):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "document.activeElement.closest('svg.radar') ? "
            "document.activeElement.getAttribute('aria-label') : null"
        )
        if label:
            reached.append(label)
        elif reached:
            break
    assert len(reached) == len(SLUGS)
    assert all("udbredelse" in label and "kommuner" in label for label in reached)
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/teknologi/" in page.url
    page.close()
