"""An editor's path through the pipeline's files in headless Chromium: logs in on the real
login page, uploads OS2autoproces' export, filters the list, saves the search, finds it
again and deletes it, and downloads the filtered list. Every page passes axe (WCAG 2.1 AA)
and fits a phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kommuneradar.accounts.models import User
from kommuneradar.automation.models import Process, SavedSearch
from kommuneradar.places.models import Municipality
from tests.browsing import assert_accessible_and_fits, axe_violations

from .io_helpers import OS2_SAMPLE, load_kle_sample

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/log-ind/")
    page.get_by_label("E-mailadresse eller brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()


def test_an_editor_imports_saves_a_search_and_downloads_the_list(
    live_server: Any, browser: Any, vejle_editor: User, vejle: Municipality
) -> None:
    load_kle_sample()
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "victor", "pw")
    page.goto(base + "/automatisering/")
    with page.expect_navigation():
        page.get_by_role("link", name="Importér fra OS2autoproces").click()
    assert page.url == base + "/automatisering/importer/"
    assert axe_violations(page) == []
    page.get_by_label("Eksport fra OS2autoproces (XLSX)").set_input_files(str(OS2_SAMPLE))
    with page.expect_navigation():
        page.get_by_role("button", name="Importér").click()
    assert page.get_by_role("status").inner_text() == "3 processer blev importeret."
    assert Process.objects.filter(municipality=vejle, owner=vejle_editor).count() == 3

    page.goto(base + "/automatisering/")
    page.get_by_label("Drift").check()
    with page.expect_navigation():
        # the filter form's own button (its label is the list page's, not ours)
        page.locator("form.automation-filters button[type=submit]").click()
    assert "fase=operation" in page.url
    page.get_by_label("Gem de aktuelle filtre som").fill("Mine processer i drift")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem søgning").click()
    assert SavedSearch.objects.get(user=vejle_editor).query == "fase=operation"
    assert_accessible_and_fits(page, "the list with a saved search")

    page.goto(base + "/automatisering/")
    with page.expect_navigation():
        page.get_by_role("link", name="Mine processer i drift").click()
    assert page.url.endswith("/automatisering/?fase=operation")
    assert page.get_by_role("checkbox", name="Drift", exact=True).is_checked()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Indhentning af børne- og straffeattester" in content
    assert "Betaling af leverandørfakturaer" not in content

    with page.expect_navigation():
        page.get_by_role("button", name="Slet den gemte søgning Mine processer i drift").click()
    assert not SavedSearch.objects.exists()
    page.close()


def test_the_import_page_and_the_list_fit_a_phone(
    live_server: Any, browser: Any, vejle_editor: User
) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    log_in(page, live_server.url, "victor", "pw")
    for path in ("/automatisering/importer/", "/automatisering/"):
        page.goto(live_server.url + path)
        assert_accessible_and_fits(page, f"{path} at 375px")
    page.close()
