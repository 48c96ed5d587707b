"""Every chart in real Chromium, at desktop and phone width: no label drawn outside the
picture, a title and a source line on the chart, Danish month names on date axes; and
table captions that stay in view when a wide table scrolls sideways."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from kommuneradar.benefits.models import Project
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from tests.benefits.factories import make_project
from tests.conftest import MakeRound

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STAGES = ["scaled", "in_operation", "piloting", "considering", "not_considering", "scaled"]


@pytest.fixture
def charted(make_round: MakeRound) -> Project:
    """Two published rounds in two domains (one with the longest domain name), and a
    project with follow-ups in three different months."""
    for year in (2023, 2024):
        make_round(year, {"skaermbesoeg": STAGES, "rpa": STAGES[::-1]})
        compute_round(
            make_round(year, {"skaermbesoeg": STAGES}, domain="beskaeftigelse-og-integration"),
            publish=True,
        )
    kobenhavn = Municipality.objects.get(code="101")
    make_project(kobenhavn, technology="rpa", domain="oekonomi-og-administration")
    return make_project(
        kobenhavn,
        title="Skærmbesøg i hjemmeplejen med et langt navn",
        follow_ups=(
            (dt.date(2023, 6, 1), 800),
            (dt.date(2023, 11, 1), 1200),
            (dt.date(2024, 3, 1), 1700),
        ),
    )


# The charts shown at this width (every chart is in the page twice, wide and narrow).
VISIBLE = (
    "[...document.querySelectorAll('svg[role=img]')]"
    ".filter(svg => svg.getBoundingClientRect().width > 0)"
)
OUTSIDE = (
    """() => """
    + VISIBLE
    + """.flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).filter(t => {
    const r = t.getBoundingClientRect();
    return r.left < box.left - 1 || r.right > box.right + 1
      || r.top < box.top - 1 || r.bottom > box.bottom + 1;
  }).map(t => t.textContent);
})"""
)

CHART_TEXTS = "() => " + VISIBLE + ".map(svg => svg.textContent)"
# How much each shown chart is scaled down from the size it was laid out for.
SCALES = (
    "() => " + VISIBLE + ".map(svg => svg.getBoundingClientRect().width / svg.width.baseVal.value)"
)


@pytest.mark.parametrize("width", [1280, 375])
def test_every_chart_keeps_its_labels_inside_and_names_title_and_source(
    charted: Project, live_server: Any, browser: Any, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    paths = (
        "/gevinster/",
        f"/gevinster/projekter/{charted.pk}/",
        "/teknologi/skaermbesoeg/",
        "/kommuner/101/",
    )
    for path in paths:
        page.goto(live_server.url + path)
        texts = page.evaluate(CHART_TEXTS)
        assert texts, f"{path} shows a chart"
        for text in texts:
            assert "Kilde:" in text, f"{path}: a chart without a source line"
            assert re.search(r"n\s=\s\d+", text), f"{path}: a chart without its count"
        assert page.evaluate(OUTSIDE) == [], f"{path} cuts chart text at {width}px"
        # On a phone the chart is laid out for the phone, not shrunk to a miniature.
        if width == 375:
            assert min(page.evaluate(SCALES)) >= 0.8, f"{path} shrinks a chart on a phone"
    page.goto(live_server.url + "/kommuner/101/")
    # The longest domain name whole (on a phone wrapped onto two lines).
    assert re.search(r"Beskæftigelse og\s*integration", page.evaluate(CHART_TEXTS)[0])
    page.close()


def test_a_phone_gets_the_narrow_layout_of_every_chart(
    charted: Project, live_server: Any, browser: Any
) -> None:
    widths = {}
    for width in (1280, 375):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(live_server.url + "/teknologi/skaermbesoeg/")
        widths[width] = page.evaluate(
            "() => "
            + VISIBLE
            + ".map(svg => [svg.closest('div').className, svg.width.baseVal.value])"
        )
        page.close()
    assert {kind for kind, _w in widths[1280]} == {"chart-wide"}
    assert {kind for kind, _w in widths[375]} == {"chart-narrow"}
    assert len(widths[1280]) == len(widths[375]) >= 2
    pairs = zip(widths[1280], widths[375], strict=True)
    assert all(narrow < wide for (_k, wide), (_n, narrow) in pairs)


def test_date_axes_use_danish_month_names(charted: Project, live_server: Any, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/gevinster/projekter/{charted.pk}/")
    (chart,) = page.evaluate(CHART_TEXTS)
    assert "okt 2023" in chart
    assert "jan 2024" in chart
    assert "2023-06" not in chart
    page.close()


def test_table_captions_stay_in_view_when_a_table_scrolls_sideways(
    charted: Project, live_server: Any, browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 900})
    for path in ("/gevinster/", "/teknologi/skaermbesoeg/"):
        page.goto(live_server.url + path)
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('.table-scroll')]
              .filter(box => box.scrollWidth > box.clientWidth + 1 && box.querySelector('caption'))
              .map(box => {
                box.scrollLeft = box.scrollWidth;
                const outer = box.getBoundingClientRect();
                const caption = box.querySelector('caption').getBoundingClientRect();
                return caption.left >= outer.left - 1 && caption.right <= outer.right + 1
                  ? null : box.querySelector('caption').textContent.trim();
              })"""
        )
        assert hidden, f"{path} has a table wider than a phone"
        assert [caption for caption in hidden if caption] == [], path
    page.close()


def test_a_visitor_finds_someone_piloting_and_reaches_their_profile(
    charted: Project, live_server: Any, browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 900})
    page.goto(live_server.url + "/teknologi/skaermbesoeg/")
    piloting = Municipality.objects.order_by("code")[2]
    page.get_by_role("link", name=piloting.name, exact=True).first.click()
    page.wait_for_url(f"**/kommuner/{piloting.code}/")
    assert piloting.name in page.locator("h1").inner_text()
    page.close()
