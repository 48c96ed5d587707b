"""An analyst tells the story of an edition on the real pages, in a real browser: logs in
through /log-ind/, writes the introduction and a ring reason; the radar and technology
pages show them; an editor is refused."""

from __future__ import annotations

from typing import Any

import pytest

from kommuneradar.radar.editions import compute_round
from kommuneradar.surveys.models import Round
from tests.browsing import assert_accessible_and_fits
from tests.conftest import MakeRound

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PATTERN = ["scaled", "in_operation", "piloting", "considering", "not_considering"]
SLUGS = ["skaermbesoeg", "sensorer", "telemedicin", "rpa"]


@pytest.fixture
def published(make_round: MakeRound) -> None:
    for year, shift in ((2023, 2), (2024, 0)):
        stages = {
            slug: [PATTERN[(i + j + shift) % len(PATTERN)] for j in range(12)]
            for i, slug in enumerate(SLUGS)
        }
        round_ = make_round(year, stages)
        compute_round(round_, publish=True)
        Round.objects.filter(pk=round_.pk).update(status=Round.Status.PUBLISHED)


def log_in(page: Any, base_url: str, username: str) -> None:
    page.goto(base_url + "/log-ind/")
    page.get_by_label("E-mailadresse eller brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill("pw")
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()


def test_analyst_writes_the_story_and_the_pages_show_it(
    published: None, analyst: Any, vejle_editor: Any, live_server: Any, browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, analyst.username)
    page.goto(live_server.url + "/runder/2024/fortaelling/")
    assert_accessible_and_fits(page, "the story page")
    page.get_by_label("Indledning", exact=True).fill(
        "Skærmbesøg har bredt sig til de fleste kommuner."
    )
    page.get_by_label("Kontaktpersonens navn").fill("Karen Kontakt")
    page.get_by_label("Kontaktpersonens rolle").fill("Chefkonsulent")
    page.get_by_label("Kontaktpersonens e-mail").fill("karen@kl.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem indledningen").click()
    assert "Indledningen og kontakten er gemt." in page.content()
    page.get_by_label("Teknologi", exact=True).select_option(label="Skærmbesøg")
    page.get_by_role("textbox", name="Hvorfor denne ring", exact=True).fill(
        "Bred udbredelse og høj modenhed."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Gem begrundelsen").click()
    assert "Begrundelsen for ringen er gemt." in page.content()

    page.goto(live_server.url + "/radar/2024/")
    introduction = page.locator("#introduction-heading + p")
    assert introduction.inner_text() == "Skærmbesøg har bredt sig til de fleste kommuner."
    assert "Karen Kontakt, Chefkonsulent" in page.locator(".edition-contact").inner_text()
    assert "Bred udbredelse og høj modenhed." in page.locator(".ring-reasons").inner_text()
    assert page.locator("#highlights-heading").inner_text() == "Højdepunkter i 2024"
    assert_accessible_and_fits(page, "the radar page with its story")

    page.goto(live_server.url + "/teknologi/skaermbesoeg/")
    assert "Bred udbredelse og høj modenhed." in page.locator("dl.facts").inner_text()
    assert "Bred udbredelse og høj modenhed." in page.locator(".reason-history").inner_text()

    page.goto(live_server.url + "/radar/2024/alle/metode/")
    assert "0,75 eller mere" in page.content()
    assert_accessible_and_fits(page, "the method page")
    page.set_viewport_size({"width": 375, "height": 900})
    assert_accessible_and_fits(page, "the method page at 375px")
    page.goto(live_server.url + "/radar/2024/")
    assert_accessible_and_fits(page, "the radar page with its story at 375px")
    page.close()

    editor = browser.new_page(viewport={"width": 375, "height": 900})
    log_in(editor, live_server.url, vejle_editor.username)
    response = editor.goto(live_server.url + "/runder/2024/fortaelling/")
    assert response is not None and response.status == 403
    editor.close()
