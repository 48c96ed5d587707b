"""The list page, the case page, exports and the API, as the public meets them."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from django.test import Client

from kommuneradar.cases.models import Case
from kommuneradar.cases.rendering import render_markdown
from kommuneradar.places.models import Municipality
from tests.spreadsheets import csv_rows, xlsx_rows

from .factories import make_case


def test_markdown_with_script_or_javascript_link_renders_inert(
    client: Client, vejle: Municipality
) -> None:
    body = (
        "## Forløbet\n\n<script>alert('x')</script>\n\n"
        "[Klik her](javascript:alert(1)) og <img src=x onerror=alert(2)> "
        '<a href="JaVaScRiPt:alert(3)">igen</a> [KL](https://www.kl.dk)'
    )
    case = make_case(vejle, body=body, lessons="<iframe src='https://evil.example'></iframe>")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    lowered = page.lower()
    assert "<script>alert" not in lowered
    assert "javascript:" not in lowered
    assert "onerror" not in lowered
    assert "<iframe" not in lowered
    assert "<h3>Forløbet</h3>" in page
    assert 'href="https://www.kl.dk"' in page


def test_markdown_keeps_lists_and_emphasis() -> None:
    html = render_markdown("- **fast team**\n- *sensorer*")
    assert "<li><strong>fast team</strong></li>" in html
    assert "<em>sensorer</em>" in html


def test_list_page_has_a_fixed_number_of_queries(
    client: Client, vejle: Municipality, django_assert_num_queries: Any
) -> None:
    for number in range(3):
        make_case(vejle, title=f"Skærmbesøg {number}", effects=2)
    # demo banner, count, page, technologies, effects, and the four facet option lists
    with django_assert_num_queries(9):
        client.get("/cases/")
    for number in range(12):
        make_case(vejle, title=f"Flere skærmbesøg {number}", effects=3)
    with django_assert_num_queries(9):
        response = client.get("/cases/", {"teknologi": "skaermbesoeg", "effekter": "on"})
    assert response.content.decode().count('class="cases-result"') == 15
    # a search adds two, the same on both databases: the catalogue's terms and the
    # vocabulary rows the query needs
    with django_assert_num_queries(11):
        response = client.get("/cases/", {"q": "skærmbesøgene", "effekter": "on"})
    assert response.content.decode().count('class="cases-result"') == 15
    with django_assert_num_queries(11):
        response = client.get("/cases/", {"q": "RPA skærm kunstig intelligens robot"})
    # a word nobody wrote adds one more: the vocabulary rows near it, for spelling slips
    with django_assert_num_queries(12):
        response = client.get("/cases/", {"q": "skærmbesøk", "effekter": "on"})
    assert response.content.decode().count('class="cases-result"') == 15


def test_search_results_show_highlighted_snippets(client: Client, vejle: Municipality) -> None:
    make_case(vejle, title="Nattevagt", summary="Borgerne får skærmbesøgene om natten.")
    page = client.get("/cases/", {"q": "skærmbesøg"}).content.decode()
    assert "<mark>skærmbesøgene</mark>" in page


def test_snippets_are_escaped(client: Client, vejle: Municipality) -> None:
    make_case(vejle, title="Skærmbesøg", summary="<b>skærmbesøg</b> & <script>x</script>")
    page = client.get("/cases/", {"q": "skærmbesøg"}).content.decode()
    assert "<script>x" not in page
    assert "<b>" not in page


def test_an_invalid_facet_is_explained_not_a_crash(client: Client, vejle: Municipality) -> None:
    make_case(vejle)
    response = client.get("/cases/", {"teknologi": "findes-ikke", "side": "x"})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


def test_case_page_links_to_radar_positions_and_similar_cases(
    client: Client, vejle: Municipality, aarhus: Municipality
) -> None:
    case = make_case(vejle, title="Skærmbesøg i Vejle", technologies=("skaermbesoeg", "apps"))
    make_case(aarhus, title="Skærmbesøg i Aarhus", technologies=("skaermbesoeg",))
    make_case(aarhus, title="Robotter", technologies=("rpa",))
    make_case(aarhus, title="Skjult kladde", state=Case.State.DRAFT)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'href="/teknologi/skaermbesoeg/"' in page
    assert 'href="/teknologi/apps/"' in page
    assert "Skærmbesøg i Aarhus" in page
    assert "Robotter" not in page
    assert "Skjult kladde" not in page


def test_exports_hold_the_same_cases_as_the_page(client: Client, vejle: Municipality) -> None:
    make_case(vejle, title="Skærmbesøg A", effects=2)
    make_case(vejle, title="=HYPERLINK(1) skærmbesøg", effects=0)
    make_case(vejle, title="Robotter", technologies=("rpa",))
    response = client.get("/cases/eksport.csv", {"q": "skærmbesøg"})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert sorted(row["titel"] for row in rows) == ["'=HYPERLINK(1) skærmbesøg", "Skærmbesøg A"]
    with_effects = next(row for row in rows if row["titel"] == "Skærmbesøg A")
    assert with_effects["hovedeffekt"] == "Sparede timer 0"
    assert with_effects["antal effekter"] == "2"
    sheet = xlsx_rows(client.get("/cases/eksport.xlsx", {"q": "skærmbesøg"}))
    assert sorted(row["titel"] for row in sheet) == sorted(row["titel"] for row in rows)
    data = json.loads(client.get("/cases/eksport.json", {"teknologi": "rpa"}).content)
    assert [case["title"] for case in data["cases"]] == ["Robotter"]


def test_api_lists_and_shows_published_cases(client: Client, vejle: Municipality) -> None:
    case = make_case(vejle, title="Skærmbesøg", effects=1)
    draft = make_case(vejle, title="Kladde", state=Case.State.DRAFT)
    listing = client.get("/api/v1/cases", {"q": "skærmbesøgene"}).json()
    assert listing["count"] == 1
    assert listing["results"][0]["effects"][0]["unit"] == "timer om året"
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 200
    assert client.get(f"/api/v1/cases/{draft.pk}").status_code == 404


def test_a_case_prints_without_forms_and_with_link_targets() -> None:
    css = (Path(__file__).parents[2] / "kommuneradar/core/static/kommuneradar.css").read_text()
    block = css[css.index("/* cases: the knowledge centre */") : css.index("/* end cases */")]
    printing = block[block.index("@media print") :]
    assert ".cases-work" in printing
    assert "attr(href)" in printing
    assert "demo-banner" not in printing


def _links(page: str, css_class: str = "cases-suggestions") -> list[tuple[str, str]]:
    """(href, text) of the links in the lists with this class."""
    found = []
    for block in re.findall(rf'<ul class="{css_class}">(.*?)</ul>', page, re.S):
        found += re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)
    return [(html.unescape(href), html.unescape(text)) for href, text in found]


def test_a_search_without_hits_suggests_the_nearest_technologies(
    client: Client, vejle: Municipality
) -> None:
    make_case(vejle, title="Skærmbesøg om aftenen", technologies=("skaermbesoeg",))
    make_case(vejle, title="Tablets til beboerne", technologies=("skaermbesoeg", "apps"))
    make_case(vejle, title="Droner over havnen", technologies=("droner",))
    page = client.get("/cases/", {"q": "skærmopkaldsløsningen"}).content.decode()
    assert "0 udgivne cases" in page
    links = _links(page)
    assert links[0] == ("/cases/?teknologi=skaermbesoeg", "Skærmbesøg")
    assert "(2 cases)" in page
    assert ("/cases/?fagomraade=sundhed-og-aeldre", "Sundhed og ældre") in links
    # the suggested link leads to the cases
    followed = client.get(links[0][0]).content.decode()
    assert followed.count('class="cases-result"') == 2


def test_a_search_without_hits_offers_to_drop_each_filter(
    client: Client, vejle: Municipality
) -> None:
    make_case(vejle, title="Skærmbesøg om aftenen", technologies=("skaermbesoeg",))
    page = client.get(
        "/cases/", {"q": "skærmbesøg", "region": "1084", "effekter": "on"}
    ).content.decode()
    links = dict(_links(page))
    without_region = next(href for href, text in links.items() if "Region Hovedstaden" in text)
    assert "region" not in without_region and "q=sk%C3%A6rmbes%C3%B8g" in without_region
    followed = client.get(without_region.replace("&effekter=on", "")).content.decode()
    assert followed.count('class="cases-result"') == 1


def test_a_search_without_any_near_technology_suggests_the_most_described(
    client: Client, vejle: Municipality
) -> None:
    for number in range(3):
        make_case(vejle, title=f"Droner {number}", technologies=("droner",))
    make_case(vejle, title="Skærmbesøg", technologies=("skaermbesoeg",))
    page = client.get("/cases/", {"q": "zxqvw"}).content.decode()
    assert [text for _href, text in _links(page)][:2] == ["Droner", "Skærmbesøg"]
