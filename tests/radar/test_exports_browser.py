"""Radar downloads and editorial radars in a real browser, walked as their users walk
them: accessible (axe, WCAG 2.1 AA) and without sideways scrolling at phone width."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kommuneradar.accounts.models import User
from kommuneradar.radar.editions import compute_round
from tests.accounts.test_first_day_in_browser import log_in
from tests.browsing import assert_accessible_and_fits
from tests.conftest import MakeRound

from .test_editorial import BYOR_CSV, backstage_document

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SLUGS = ["skaermbesoeg", "sensorer", "telemedicin", "gps-ure", "rpa", "cloud", "apps", "droner"]
PATTERN = ["scaled", "in_operation", "piloting", "considering", "not_considering"]
PASSWORD = "Fjordbyen-Radar-2024"


@pytest.fixture
def published(make_round: MakeRound) -> None:
    stages = {
        slug: [PATTERN[(i + j) % len(PATTERN)] for j in range(12)] for i, slug in enumerate(SLUGS)
    }
    compute_round(make_round(2024, stages), publish=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_a_visitor_finds_the_downloads_from_the_radar_and_gets_a_byor_file(
    published: None, live_server: Any, browser: Any, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    page.goto(live_server.url + "/radar/2024/")
    with page.expect_navigation():
        page.get_by_role("link", name="Hent denne radar til andre radarværktøjer").click()
    assert page.url == live_server.url + "/radar/2024/alle/eksport/"
    assert page.get_by_role("heading", name="Hent radaren").is_visible()
    assert_accessible_and_fits(page, f"export page at {width}px")
    with page.expect_download() as info:
        page.get_by_role("link", name="Build Your Own Radar, CSV").click()
    download = info.value
    assert download.suggested_filename == "kommuneradar-2024-alle-byor-csv.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("name,ring,quadrant,isNew,status,description")
    page.close()


def test_an_analyst_imports_a_backstage_file_and_a_bad_byor_file(
    live_server: Any, browser: Any, tmp_path: Path
) -> None:
    User.objects.create_user(
        "radar-anna", "radar-anna@kl.example", PASSWORD, role=User.Role.ANALYST
    )
    good = tmp_path / "platform.json"
    good.write_text(json.dumps(backstage_document()))
    bad = tmp_path / "radar.csv"
    bad.write_text(BYOR_CSV.replace("No Change", "Sideways"))
    page = browser.new_page(viewport={"width": 375, "height": 900})
    log_in(page, live_server.url, "radar-anna", PASSWORD)
    page.goto(live_server.url + "/radar/redaktionel/")
    with page.expect_navigation():
        page.get_by_role("link", name="Importér en radarfil").click()
    assert_accessible_and_fits(page, "import form at 375px")

    page.get_by_label("Radarens navn").fill("Fra BYOR")
    page.get_by_label("Format").select_option("byor")
    page.get_by_label("Fil", exact=True).set_input_files(str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Importér").click()
    problems = page.get_by_role("table", name="Fejl i filen")
    assert "Sideways" in problems.inner_text()
    assert page.get_by_label("Radarens navn").input_value() == "Fra BYOR"
    assert_accessible_and_fits(page, "import problems at 375px")

    page.get_by_label("Radarens navn").fill("Platform")
    page.get_by_label("Format").select_option("backstage")
    page.get_by_label("Fil", exact=True).set_input_files(str(good))
    with page.expect_navigation():
        page.get_by_role("button", name="Importér").click()
    assert page.get_by_text("Redaktionel radar — ringe sat manuelt").first.is_visible()
    assert "JavaScript" in page.get_by_role("table").inner_text()
    assert_accessible_and_fits(page, "editorial radar at 375px")
    with page.expect_navigation():
        page.get_by_role("link", name="2020-08-06").click()
    assert page.url.endswith("/2020-08-06/")
    page.close()
