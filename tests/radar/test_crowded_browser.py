"""A crowded radar stays legible: 120 technologies, 40 of them in one quadrant's innermost
ring, measured in a real browser at desktop width (1280 px) and on a phone (375 px)."""

from __future__ import annotations

from typing import Any

import pytest

from kommuneradar.catalog.models import Quadrant, Technology
from kommuneradar.radar.editions import compute_round
from kommuneradar.radar.models import Blip, Edition
from kommuneradar.surveys.models import Round
from tests.browsing import sideways_overflow
from tests.conftest import MakeRound

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MUNICIPALITIES = 12
USING, TRYING, NOT = "scaled", "piloting", "not_considering"


def _stages(users: int, offset: int = 0) -> list[str]:
    """`users` of the municipalities use the technology, the rest do not."""
    stages = [USING] * users + [TRYING, NOT] * MUNICIPALITIES
    stages = stages[:MUNICIPALITIES]
    return stages[offset:] + stages[:offset]


@pytest.fixture
def crowded(make_round: MakeRound) -> None:
    """The reference catalogue topped up to 120 technologies; in 2024 40 of them sit in the
    first quadrant's READY ring (rating 9, half or more using them), the other 80 spread
    over the quadrants and the outer rings. 2023 had 100 of them, some in other rings, so
    2024 shows new technologies (halo) and movements (marks)."""
    quadrants = list(Quadrant.objects.order_by("position"))
    existing = list(Technology.objects.order_by("slug"))
    for index in range(120 - len(existing)):
        Technology.objects.create(
            slug=f"teknologi-{index:03d}",
            name_da=f"Teknologi {index:03d}",
            name_en=f"Technology {index:03d}",
            description_da="Til prøve.",
            description_en="For testing.",
            quadrant=quadrants[index % 4],
        )
    first = [t for t in Technology.objects.order_by("slug") if t.quadrant.position == 0]
    others = [t for t in Technology.objects.order_by("slug") if t.quadrant.position != 0]
    while len(first) < 40:  # move technologies into the first quadrant as needed
        moved = others.pop()
        moved.quadrant = quadrants[0]
        moved.save()
        first.append(moved)
    inner, rest = first[:40], others + first[40:]
    assert len(inner) == 40 and len(inner) + len(rest) == 120
    for year in (2023, 2024):
        ready: dict[str, list[str]] = {}
        for i, technology in enumerate(inner):
            if year == 2023 and i % 8 == 0:
                continue  # new in 2024
            users = 6 + i % 7 if year == 2024 or i % 5 else 3  # some moved in
            ready[technology.slug] = _stages(users, i % MUNICIPALITIES)
        make_round(year, ready, rating=9)
        for rating in (5, 1):
            spread: dict[str, list[str]] = {}
            for i, technology in enumerate(rest):
                if i % 2 != (rating == 1):
                    continue
                if year == 2023 and i % 9 == 0:
                    continue
                users = (i * 5 + (year == 2023) * (i % 3) * 4) % (MUNICIPALITIES + 1)
                spread[technology.slug] = _stages(users, i % MUNICIPALITIES)
            make_round(year, spread, rating=rating)
    for year in (2023, 2024):
        compute_round(Round.objects.get(year=year), publish=True)
    edition = Edition.objects.get(round__year=2024, scope="alle", status="published")
    blips = Blip.objects.filter(edition=edition, suppressed=False)
    assert blips.count() == 120
    assert blips.filter(quadrant_position=0, computed_ring="klar", override_ring="").count() == 40
    assert blips.filter(movement="new").exists()
    assert blips.filter(movement__in=("moved_in", "moved_out")).exists()


# Every blip's footprint in screen pixels: the centre of its disc and the radius of the
# circle around that centre holding its disc (with stroke), its "new" halo and its
# movement mark; every ring name's box; every number's box.
MEASURE = """(selector) => {
  const svg = [...document.querySelectorAll(selector)];
  const blips = [], labels = [], numbers = [];
  for (const picture of svg) {
    if (picture.getBoundingClientRect().width === 0) continue;
    const matrix = picture.getScreenCTM();
    const scale = Math.hypot(matrix.a, matrix.b);
    const at = (x, y) => ({x: matrix.a * x + matrix.c * y + matrix.e,
                           y: matrix.b * x + matrix.d * y + matrix.f});
    const stroke = (el) => parseFloat(getComputedStyle(el).strokeWidth) || 0;
    for (const a of picture.querySelectorAll('a.blip')) {
      const disc = a.querySelector('.blip-shape');
      const cx = +disc.getAttribute('cx'), cy = +disc.getAttribute('cy');
      let reach = +disc.getAttribute('r') + stroke(disc) / 2;
      const halo = a.querySelector('.blip-new');
      if (halo) reach = Math.max(reach, +halo.getAttribute('r') + stroke(halo) / 2);
      const mark = a.querySelector('.blip-marker');
      if (mark) for (const p of mark.points) {
        reach = Math.max(reach, Math.hypot(p.x - cx, p.y - cy));
      }
      const c = at(cx, cy);
      const n = a.querySelector('.blip-number').textContent.trim();
      blips.push({n, x: c.x, y: c.y, r: reach * scale});
      const box = a.querySelector('.blip-number').getBoundingClientRect();
      const discBox = disc.getBoundingClientRect();
      numbers.push({h: box.height, w: box.width, disc: discBox.width});
    }
    for (const t of picture.querySelectorAll('.ring-label')) {
      const b = t.getBoundingClientRect();
      labels.push({left: b.left, right: b.right, top: b.top, bottom: b.bottom});
    }
  }
  let touching = [], overLabels = [];
  for (let i = 0; i < blips.length; i++) {
    const a = blips[i];
    for (let j = i + 1; j < blips.length; j++) {
      const b = blips[j];
      if (Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r - 0.01) touching.push([a.n, b.n]);
    }
    for (const l of labels) {
      if (a.x + a.r > l.left && a.x - a.r < l.right && a.y + a.r > l.top && a.y - a.r < l.bottom)
        overLabels.push(a.n);
    }
  }
  return {blips: blips.length, touching, overLabels, numbers,
          pictures: svg.filter(s => s.getBoundingClientRect().width > 0).length};
}"""


def _visible_list_numbers(page: Any, selector: str) -> list[str]:
    return list(
        page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
              .filter(e => e.getBoundingClientRect().width > 0)
              .filter(e => e.getBoundingClientRect().height > 0)
              .map(e => e.textContent.trim())""",
            selector,
        )
    )


def test_crowded_radar_at_desktop_width(crowded: None, live_server: Any, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/radar/2024/")
    found = page.evaluate(MEASURE, "svg.radar-full")
    assert found["pictures"] == 1
    assert found["blips"] == 120
    heights = [number["h"] for number in found["numbers"]]
    assert min(heights) >= 11, f"smallest number {min(heights):.1f}px high"
    assert all(n["w"] <= n["disc"] for n in found["numbers"]), "a number spills out of its disc"
    assert found["touching"] == []
    assert found["overLabels"] == []
    numbers = _visible_list_numbers(page, ".radar-technologies .blip-list-number")
    assert sorted(numbers, key=int) == [str(n) for n in range(1, 121)]
    page.close()


def test_crowded_radar_on_a_phone(crowded: None, live_server: Any, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(live_server.url + "/radar/2024/")
    full = "document.querySelector('svg.radar-full').getBoundingClientRect().width"
    assert page.evaluate(full) == 0
    found = page.evaluate(MEASURE, "svg.radar-quadrant")
    assert found["pictures"] == 4
    assert found["blips"] == 120
    assert found["touching"] == []
    assert found["overLabels"] == []
    assert (
        page.evaluate(
            "Math.round(document.querySelector('svg.radar-quadrant').getBoundingClientRect().width)"
        )
        >= 330
    ), "a quadrant takes the full width"
    # Each quadrant's picture is followed by its numbered list.
    order = page.evaluate(
        """() => [...document.querySelectorAll('.radar-quadrant-part')].map(part =>
             [...part.children].map(child => child.tagName.toLowerCase()).join(' '))"""
    )
    assert order == ["h3 figure ol"] * 4
    numbers = _visible_list_numbers(page, ".radar-technologies .blip-list-number")
    assert len(numbers) == 120
    # The table is shown as cards: name, ring, diffusion with n, movement.
    assert (
        page.evaluate("document.querySelector('.radar-table').getBoundingClientRect().width") == 0
    )
    cards = page.locator(".radar-card")
    assert cards.count() == 120
    first = cards.first
    assert first.is_visible()
    text = first.inner_text()
    for word in ("Ring", "Udbredelse", "af 12", "Bevægelse"):
        assert word in text, (word, text)
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert sideways_overflow(page) <= 0
    page.close()


def test_pointing_at_a_list_item_lights_its_blip_and_back(
    crowded: None, live_server: Any, browser: Any
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/radar/2024/")
    stroke = (
        "n => getComputedStyle("
        "document.querySelector(`svg.radar-full a.num-${n} .blip-shape`)).stroke"
    )
    background = (
        "n => getComputedStyle("
        "document.querySelector(`.radar-technologies li.num-${n}`)).backgroundColor"
    )
    before = {n: page.evaluate(stroke, n) for n in (12, 86, 87, 88)}
    page.hover(".radar-technologies li.num-87 a")
    assert page.evaluate(stroke, 87) != before[87]
    assert [page.evaluate(stroke, n) for n in (86, 88)] == [before[86], before[88]]
    page.mouse.move(0, 0)
    assert page.evaluate(stroke, 87) == before[87]
    # Keyboard focus on the list item does the same.
    page.focus(".radar-technologies li.num-12 a")
    assert page.evaluate(stroke, 12) != before[12]
    page.evaluate("document.activeElement.blur()")
    assert page.evaluate(stroke, 12) == before[12]
    # And pointing at the blip lights its list item.
    plain = page.evaluate(background, 5)
    page.hover("svg.radar-full a.num-5 .blip-shape")
    assert page.evaluate(background, 5) != plain
    page.close()
