"""The public radar pages: picture, table, switchers, technology page, API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from kommuneradar.core import published
from kommuneradar.radar import geometry
from kommuneradar.radar.editions import compute_round

from .conftest import MakeRound

SLUGS = [
    "skaermbesoeg",
    "sensorer",
    "telemedicin",
    "gps-ure",
    "rpa",
    "cloud",
    "apps",
    "droner",
    "chatbots",
    "generativ-ai",
]
PATTERN = ["scaled", "in_operation", "piloting", "considering", "not_considering"]


def publish(make_round: MakeRound, slugs: list[str], year: int = 2024) -> None:
    stages = {
        slug: [PATTERN[(i + j) % len(PATTERN)] for j in range(12)] for i, slug in enumerate(slugs)
    }
    compute_round(make_round(year, stages), publish=True)


def blip_links(html: str) -> list[str]:
    start = html.index('<svg class="radar radar-full"')
    svg = html[start : html.index("</svg>", start)]
    return re.findall(r'<a href="/teknologi/([^/]+)/" class="blip', svg)


def table_rows(html: str) -> list[str]:
    table = html[html.index('<table class="radar-table table">') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<th scope="row"><a href="/teknologi/([^/]+)/"', table)


def test_home_without_editions_explains_that_nothing_is_published(client: Client, db: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Der er endnu ikke offentliggjort" in response.content.decode()


def test_home_shows_the_latest_overall_radar(client: Client, make_round: MakeRound) -> None:
    publish(make_round, SLUGS[:3], 2023)
    publish(make_round, SLUGS[:4], 2024)
    html = client.get("/").content.decode()
    assert "Teknologiradar 2024" in html
    assert sorted(blip_links(html)) == sorted(SLUGS[:4])


def test_every_published_technology_is_a_focusable_link_and_a_table_row(
    client: Client, make_round: MakeRound
) -> None:
    publish(make_round, SLUGS)
    html = client.get("/radar/2024/").content.decode()
    assert sorted(blip_links(html)) == sorted(SLUGS)
    assert sorted(table_rows(html)) == sorted(SLUGS)
    assert 'aria-label="Skærmbesøg: KLAR, udbredelse' in html or "Skærmbesøg: AFPRØV" in html
    assert "af 12" in html  # n and denominator in the table


def test_domain_radar_and_switcher(client: Client, make_round: MakeRound) -> None:
    publish(make_round, SLUGS[:5])
    response = client.get("/radar/2024/sundhed-og-aeldre/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/radar/2024/sundhed-og-aeldre/" aria-current="page"' in html
    assert 'href="/radar/2024/social/"' in html


@pytest.mark.parametrize("url", ["/radar/1999/", "/radar/2024/no-such-domain/", "/teknologi/nope/"])
def test_unknown_radars_and_technologies_are_404(
    client: Client, make_round: MakeRound, url: str
) -> None:
    publish(make_round, SLUGS[:2])
    assert client.get(url).status_code == 404


def test_table_sorts_by_any_column_and_ignores_nonsense(
    client: Client, make_round: MakeRound
) -> None:
    publish(make_round, SLUGS)
    by_diffusion = table_rows(client.get("/radar/2024/?sort=diffusion&dir=desc").content.decode())
    ascending = table_rows(client.get("/radar/2024/?sort=diffusion&dir=asc").content.decode())
    assert by_diffusion != ascending
    nonsense = client.get("/radar/2024/?sort=%27%3Bdrop&dir=%00")
    assert nonsense.status_code == 200


def test_radar_page_queries_do_not_grow_with_technologies(
    client: Client, make_round: MakeRound, django_assert_num_queries: Any
) -> None:
    # One more than before: the survey answers behind the pipeline table; three more for
    # the edition's story (introduction, previous edition's blips, ring reasons).
    publish(make_round, SLUGS[:3], 2023)
    with django_assert_num_queries(11):
        client.get("/radar/2023/")
    publish(make_round, SLUGS, 2024)
    with django_assert_num_queries(11):
        client.get("/radar/2024/")


def test_technology_page_shows_rings_history_and_users(
    client: Client, make_round: MakeRound
) -> None:
    publish(make_round, SLUGS[:3], 2023)
    publish(make_round, SLUGS[:3], 2024)
    html = client.get("/teknologi/skaermbesoeg/").content.decode()
    assert "<h1>Skærmbesøg</h1>" in html
    assert 'role="img"' in html  # the diffusion chart
    assert "Udbredelse pr. undersøgelsesår" in html  # its data table
    assert "Sundhed og ældre" in html


def test_demo_banner_only_with_demo_data(client: Client, make_round: MakeRound) -> None:
    from kommuneradar.demo.models import DemoLoad

    publish(make_round, SLUGS[:2])
    assert "Demodata" not in client.get("/radar/2024/").content.decode()
    DemoLoad.objects.create(seed=1)
    assert "Demodata" in client.get("/radar/2024/").content.decode()


def test_english_when_chosen(client: Client, make_round: MakeRound) -> None:
    publish(make_round, SLUGS[:2])
    client.cookies["django_language"] = "en"
    html = client.get("/radar/2024/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Technology radar 2024" in html and 'lang="en"' in html


def test_danish_by_default_whatever_the_browser_asks(client: Client, make_round: MakeRound) -> None:
    publish(make_round, SLUGS[:2])
    html = client.get("/radar/2024/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert 'lang="da"' in html


def test_api_serves_the_published_edition(client: Client, make_round: MakeRound) -> None:
    publish(make_round, SLUGS[:3])
    data = client.get("/api/v1/editions/2024/alle").json()
    assert {b["technology"] for b in data["blips"]} == set(SLUGS[:3])
    assert client.get("/api/v1/editions/2024/nowhere").status_code == 404
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_technology_page_queries_do_not_grow_with_editions_or_users(
    client: Client, make_round: MakeRound
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish(make_round, SLUGS[:2], 2022)
    with CaptureQueriesContext(connection) as few:
        client.get("/teknologi/skaermbesoeg/")
    publish(make_round, SLUGS[:6], 2023)
    publish(make_round, SLUGS, 2024)
    with CaptureQueriesContext(connection) as many:
        client.get("/teknologi/skaermbesoeg/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_published_radars_layout_is_computed_once(
    client: Client, make_round: MakeRound, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The layout depends on the blips alone: computed once per content, it survives a
    change to unrelated published data (a new published-data version)."""
    publish(make_round, SLUGS)
    cache.clear()  # layouts other tests cached by content
    calls: list[int] = []
    original = geometry.layout

    def counting(specs: Any, **options: Any) -> Any:
        calls.append(len(specs))
        return original(specs, **options)

    monkeypatch.setattr("kommuneradar.radar.presentation.layout", counting)
    assert client.get("/radar/2024/").status_code == 200
    first = len(calls)
    assert first >= 1 and calls[0] == len(SLUGS)  # the full radar, then its quadrants
    published.bump()
    assert client.get("/radar/2024/").status_code == 200
    assert client.get("/radar/2024/?sort=name").status_code == 200
    assert len(calls) == first


def test_the_list_and_the_blips_carry_the_same_numbers(
    client: Client, make_round: MakeRound
) -> None:
    publish(make_round, SLUGS)
    html = client.get("/radar/2024/").content.decode()
    start = html.index('<svg class="radar radar-full"')
    svg = html[start : html.index("</svg>", start)]
    on_blips = re.findall(r'class="blip [^"]*num-(\d+)"', svg)
    in_lists = re.findall(
        r'<li value="(\d+)" class="num-(\d+)"><span class="blip-list-number', html
    )
    assert sorted(on_blips, key=int) == [str(n) for n in range(1, len(SLUGS) + 1)]
    assert sorted(value for value, _cls in in_lists) == sorted(on_blips)
    assert all(value == cls for value, cls in in_lists)
    # One quadrant picture per quadrant that has blips, the phone's view, and a card each.
    assert html.count('<svg class="radar radar-quadrant"') == 4
    assert html.count('<li class="radar-card num-') == len(SLUGS)
