"""Radar files for BYOR, Zalando, Backstage and AOE, and the full table: each format's
shape field by field, the checks that keep any entry from being dropped, and the pages."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kommuneradar.radar import exporting
from kommuneradar.radar import exports as x
from kommuneradar.radar import placement as p
from kommuneradar.radar import radarfiles as rf
from kommuneradar.radar.editions import compute_round
from kommuneradar.radar.models import Edition

from .conftest import MakeRound
from .test_pages import SLUGS, publish

DAY = datetime.date(2024, 3, 31)
RINGS = (
    x.RingSpec("klar", "KLAR", "#0b6e4f", "ready"),
    x.RingSpec("afproev", "AFPRØV", "#1f5fa6"),
    x.RingSpec("hold_oeje", "HOLD ØJE", "#8a5a00"),
    x.RingSpec("afvent", "AFVENT", "#6b6b6b"),
)
QUADRANTS = (
    x.QuadrantSpec(0, "top-right", "Øverst til højre"),
    x.QuadrantSpec(1, "bottom-right", "Nederst til højre"),
    x.QuadrantSpec(2, "bottom-left", "Nederst til venstre"),
    x.QuadrantSpec(3, "top-left", "Øverst til venstre"),
)


def entry(key: str, quadrant: int = 0, ring: str = "klar", movement: str = p.UNCHANGED) -> x.Entry:
    return x.Entry(
        key=key,
        name=key.title(),
        quadrant=quadrant,
        ring=ring,
        movement=movement,
        description=f"<p>{key} &amp; co</p>",
        note=f"note on {key}",
        links=(x.Link(f"https://example.org/{key}/", key.title()),),
        tags=("sundhed",),
    )


def radar(*entries: x.Entry, history: tuple[x.Snapshot, ...] = ()) -> x.RadarData:
    return x.RadarData("Test", DAY, RINGS, QUADRANTS, tuple(entries), history)


# Checks: nothing is dropped


def test_an_entry_in_an_unknown_ring_is_refused_with_its_name() -> None:
    data = radar(entry("rpa", ring="adopt"))
    for code in x.FORMAT_CODES[:5]:
        with pytest.raises(x.ExportError, match="'Rpa' has ring 'adopt'"):
            x.render(data, code)


def test_an_entry_in_an_unknown_quadrant_is_refused() -> None:
    data = x.RadarData("Test", DAY, RINGS, QUADRANTS[:3], (entry("rpa", quadrant=3),))
    with pytest.raises(x.ExportError, match="'Rpa' has quadrant 3"):
        x.byor_rows(data)


def test_an_earlier_edition_is_checked_too() -> None:
    old = x.Snapshot(datetime.date(2023, 3, 31), (entry("rpa", ring="nowhere"),))
    with pytest.raises(x.ExportError, match="2023-03-31"):
        x.backstage(radar(entry("rpa"), history=(old,)))


def test_two_rings_byor_cannot_tell_apart_are_refused() -> None:
    rings = (x.RingSpec("a", "Data and AI"), x.RingSpec("b", "data & ai"))
    data = x.RadarData("Test", DAY, rings, QUADRANTS, (entry("rpa", ring="a"),))
    with pytest.raises(x.ExportError, match="same name"):
        x.byor_rows(data)


def test_five_rings_are_refused() -> None:
    rings = tuple(x.RingSpec(f"r{i}", f"Ring {i}") for i in range(5))
    data = x.RadarData("Test", DAY, rings, QUADRANTS, (entry("rpa", ring="r0"),))
    with pytest.raises(x.ExportError, match="1 to 4 rings"):
        x.byor_rows(data)


def test_zalando_needs_four_quadrants() -> None:
    data = x.RadarData("Test", DAY, RINGS, QUADRANTS[:3], (entry("rpa"),))
    with pytest.raises(x.ExportError, match="four quadrants"):
        x.zalando(data)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(x.ExportError, match="unknown format"):
        x.render(radar(entry("rpa")), "pdf")


# BYOR


def test_byor_rows_have_exactly_byor_fields_all_strings() -> None:
    rows = x.byor_rows(
        radar(
            entry("rpa", 1, "afproev", p.MOVED_IN),
            entry("cloud", 0, "klar", p.NEW),
            entry("apps", 0, "afvent", p.MOVED_OUT),
            entry("droner", 0, "afvent", p.UNCHANGED),
        )
    )
    assert [row["name"] for row in rows] == ["Cloud", "Apps", "Droner", "Rpa"]
    assert all(tuple(row) == x.BYOR_FIELDS for row in rows)
    assert all(isinstance(value, str) for row in rows for value in row.values())
    cloud, apps, droner, rpa = rows
    assert cloud == {
        "name": "Cloud",
        "ring": "KLAR",
        "quadrant": "Øverst til højre",
        "isNew": "TRUE",
        "status": "New",
        "description": "<p>cloud &amp; co</p><p>note on cloud</p>",
    }
    assert (apps["status"], apps["isNew"]) == ("Moved Out", "FALSE")
    assert droner["status"] == "No Change"
    assert (rpa["status"], rpa["ring"], rpa["quadrant"]) == (
        "Moved In",
        "AFPRØV",
        "Nederst til højre",
    )


def test_byor_descriptions_keep_only_the_tags_byor_keeps() -> None:
    hostile = x.Entry(
        "rpa",
        "RPA",
        0,
        "klar",
        p.NEW,
        '<h2>Robot</h2><script>alert(1)</script><img src=x onerror=y><a href="/x" '
        'onclick="z">link</a><table><tr><td>cell</td></tr></table><u>u</u>',
    )
    description = x.byor_rows(radar(hostile))[0]["description"]
    assert description == '<h2>Robot</h2><a href="/x">link</a>cell<u>u</u>'


@given(st.text(max_size=200))
def test_sanitizing_twice_changes_nothing(html: str) -> None:
    once = x.sanitize(html)
    assert x.sanitize(once) == once


def test_byor_csv_is_comma_separated_without_bom_and_json_is_a_list_of_strings() -> None:
    data = radar(entry("rpa"), entry("cloud", 2, "hold_oeje", p.NEW))
    text = x.byor_csv(data).decode()
    assert text.startswith("name,ring,quadrant,isNew,status,description\r\n")
    assert list(csv.DictReader(io.StringIO(text))) == x.byor_rows(data)
    assert json.loads(x.byor_json(data)) == x.byor_rows(data)


def test_byor_settings_list_rings_inside_out_and_quadrants_by_position() -> None:
    settings = x.byor_settings(radar(entry("rpa")))
    assert json.loads(settings["RINGS"]) == ["KLAR", "AFPRØV", "HOLD ØJE", "AFVENT"]
    assert json.loads(settings["QUADRANTS"])[0] == "Øverst til højre"


@pytest.mark.parametrize(
    ("config", "written", "same"),
    [
        ("Languages & Frameworks", "languages and frameworks", True),
        ("HOLD ØJE", "hold øje", True),
        ("KLAR", "KLAR ", True),
        ("Tools", "Tool", False),
    ],
)
def test_names_are_compared_the_way_byor_compares_them(
    config: str, written: str, same: bool
) -> None:
    assert (x.byor_key(config) == x.byor_key(written)) is same


# Zalando


def test_zalando_counts_quadrants_from_bottom_right_and_rings_from_inside() -> None:
    document = x.zalando(
        radar(
            entry("a", 0, "klar", p.NEW),
            entry("b", 1, "afproev", p.MOVED_IN),
            entry("c", 2, "hold_oeje", p.MOVED_OUT),
            entry("d", 3, "afvent", p.UNCHANGED),
        )
    )
    assert document["date"] == "2024-03-31"
    by_label = {e["label"]: e for e in document["entries"]}
    assert by_label["A"] == {
        "quadrant": 3,
        "ring": 0,
        "label": "A",
        "active": True,
        "moved": 2,
        "link": "https://example.org/a/",
    }
    assert (by_label["B"]["quadrant"], by_label["B"]["ring"], by_label["B"]["moved"]) == (0, 1, 1)
    assert (by_label["C"]["quadrant"], by_label["C"]["ring"], by_label["C"]["moved"]) == (1, 2, -1)
    assert (by_label["D"]["quadrant"], by_label["D"]["ring"], by_label["D"]["moved"]) == (2, 3, 0)
    config = document["config"]
    assert [q["name"] for q in config["quadrants"]] == [
        "Nederst til højre",
        "Nederst til venstre",
        "Øverst til venstre",
        "Øverst til højre",
    ]
    assert config["rings"][0] == {"name": "KLAR", "color": "#0b6e4f"}
    assert config["title"] == "Test"


# Backstage


def test_backstage_timeline_is_newest_first_through_every_earlier_edition() -> None:
    first = x.Snapshot(datetime.date(2022, 3, 31), (entry("rpa", 0, "afvent", p.NEW),))
    second = x.Snapshot(datetime.date(2023, 3, 31), (entry("rpa", 0, "afproev", p.MOVED_IN),))
    document = x.backstage(
        radar(
            entry("rpa", 0, "afproev", p.UNCHANGED),
            entry("cloud", 1, "klar", p.NEW),
            history=(first, second),
        )
    )
    assert [q["id"] for q in document["quadrants"]] == [
        "bottom-right",
        "bottom-left",
        "top-left",
        "top-right",
    ]
    assert document["rings"][0] == {
        "id": "klar",
        "name": "KLAR",
        "color": "#0b6e4f",
        "description": "ready",
    }
    rpa = next(e for e in document["entries"] if e["id"] == "rpa")
    assert rpa == {
        "key": "rpa",
        "id": "rpa",
        "quadrant": "top-right",
        "title": "Rpa",
        "description": "<p>rpa &amp; co</p>",
        "links": [{"url": "https://example.org/rpa/", "title": "Rpa"}],
        "timeline": [
            {"date": "2024-03-31", "ringId": "afproev", "description": "note on rpa", "moved": 0},
            {"date": "2023-03-31", "ringId": "afproev", "description": "note on rpa", "moved": 1},
            {"date": "2022-03-31", "ringId": "afvent", "description": "note on rpa"},
        ],
    }
    cloud = next(e for e in document["entries"] if e["id"] == "cloud")
    assert cloud["timeline"] == [
        {"date": "2024-03-31", "ringId": "klar", "description": "note on cloud"}
    ]


# AOE


def test_aoe_zip_holds_config_and_one_markdown_file_per_technology_per_edition() -> None:
    old = x.Snapshot(datetime.date(2023, 3, 31), (entry("rpa", 0, "afvent", p.NEW),))
    content = x.aoe_zip(
        radar(entry("rpa", 0, "klar", p.MOVED_IN), entry("cloud", 3), history=(old,))
    )
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == [
        "config.json",
        "radar/2023-03-31/rpa.md",
        "radar/2024-03-31/cloud.md",
        "radar/2024-03-31/rpa.md",
    ]
    config = json.loads(archive.read("config.json"))
    assert [q["id"] for q in config["quadrants"]] == [
        "top-right",
        "bottom-right",
        "bottom-left",
        "top-left",
    ]
    assert config["quadrants"][0]["title"] == "Øverst til højre"
    assert [(r["id"], r["title"], r["radius"]) for r in config["rings"]] == [
        ("klar", "KLAR", 0.25),
        ("afproev", "AFPRØV", 0.5),
        ("hold_oeje", "HOLD ØJE", 0.75),
        ("afvent", "AFVENT", 1.0),
    ]
    assert archive.read("radar/2024-03-31/rpa.md").decode() == (
        '---\ntitle: "Rpa"\nring: "klar"\nquadrant: "top-right"\ntags: ["sundhed"]\n---\n\n'
        "<p>rpa &amp; co</p>\n\nnote on rpa\n"
    )
    assert 'ring: "afvent"' in archive.read("radar/2023-03-31/rpa.md").decode()
    assert x.aoe_zip(radar(entry("rpa"))) == x.aoe_zip(radar(entry("rpa")))


def test_aoe_refuses_an_id_that_is_no_file_name() -> None:
    with pytest.raises(x.ExportError, match="not a file name"):
        x.aoe_zip(radar(entry("../etc/passwd")))


# Survey editions


def test_every_placed_technology_is_in_every_format(make_round: MakeRound) -> None:
    publish(make_round, SLUGS, 2023)
    publish(make_round, SLUGS, 2024)
    edition = Edition.objects.get(round__year=2024, scope="alle")
    placed = set(edition.blips.filter(suppressed=False).values_list("technology__slug", flat=True))
    assert placed
    data = exporting.survey_radar(edition)
    assert {e.key for e in data.entries} == placed
    assert [s.date for s in data.history] == [datetime.date(2023, 3, 31)]
    content, content_type, name = exporting.export_edition(edition, "byor-csv")
    assert (content_type, name) == (
        "text/csv; charset=utf-8",
        "kommuneradar-2024-alle-byor-csv.csv",
    )
    assert len(list(csv.DictReader(io.StringIO(content.decode())))) == len(placed)
    rings = json.loads(x.byor_settings(data)["RINGS"])
    assert rings == ["KLAR", "AFPRØV", "HOLD ØJE", "AFVENT"]
    zalando = json.loads(exporting.export_edition(edition, "zalando")[0])
    assert len(zalando["entries"]) == len(placed)
    backstage = json.loads(exporting.export_edition(edition, "backstage")[0])
    assert all(len(e["timeline"]) == 2 for e in backstage["entries"])
    assert backstage["entries"][0]["links"][0]["url"].startswith("/teknologi/")
    archive = zipfile.ZipFile(io.BytesIO(exporting.export_edition(edition, "aoe")[0]))
    assert len(archive.namelist()) == 1 + 2 * len(placed)


def test_the_full_table_has_every_number(make_round: MakeRound) -> None:
    publish(make_round, SLUGS[:4], 2024)
    edition = Edition.objects.get(round__year=2024, scope="alle")
    blip = edition.blips.select_related("technology").get(technology__slug="skaermbesoeg")
    records = json.loads(exporting.export_edition(edition, "json")[0])
    record = next(r for r in records if r["technology"] == "skaermbesoeg")
    assert record["users"] == blip.users
    assert record["respondents"] == blip.respondents
    assert record["diffusion"] == blip.diffusion
    assert (record["diffusion_low"], record["diffusion_high"]) == (
        blip.diffusion_low,
        blip.diffusion_high,
    )
    assert (record["maturity"], record["score"], record["rating"]) == (
        blip.maturity,
        blip.score,
        blip.rating,
    )
    assert (record["ring"], record["computed_ring"], record["movement"]) == (
        blip.ring,
        blip.computed_ring,
        "new",
    )
    assert record["efficiency_experienced"] == blip.value_profile["efficiency"]["experienced"]
    assert set(records[0]) == {f.key for f in exporting.TABLE_FIELDS}
    table = exporting.export_edition(edition, "csv")[0].decode("utf-8-sig")
    header = table.splitlines()[0].split(";")
    assert header[:3] == ["år", "fagområde", "teknologi kode"]
    assert "udbredelse nedre 95 %" in header
    workbook = load_workbook(io.BytesIO(exporting.export_edition(edition, "xlsx")[0]))
    rows = list(workbook.active.values)
    assert len(rows) == 1 + len(records)
    assert isinstance(rows[1][header.index("udbredelse andel")], float)


# Pages


def test_the_radar_page_links_to_its_export_page(client: Client, make_round: MakeRound) -> None:
    publish(make_round, SLUGS[:4], 2024)
    html = client.get("/radar/2024/").content.decode()
    assert 'href="/radar/2024/alle/eksport/"' in html
    html = client.get("/radar/2024/sundhed-og-aeldre/").content.decode()
    assert 'href="/radar/2024/sundhed-og-aeldre/eksport/"' in html


def test_the_export_page_lists_every_format_and_byor_settings(
    client: Client, make_round: MakeRound
) -> None:
    publish(make_round, SLUGS[:4], 2024)
    response = client.get("/radar/2024/alle/eksport/")
    assert response.status_code == 200
    html = response.content.decode()
    for code in x.FORMAT_CODES:
        assert f'href="/radar/2024/alle/eksport/{code}"' in html
    assert (
        "export RINGS=&#x27;[&quot;KLAR&quot;, &quot;AFPRØV&quot;, "
        "&quot;HOLD ØJE&quot;, &quot;AFVENT&quot;]&#x27;" in html
    )
    assert "export QUADRANTS=" in html


@pytest.mark.parametrize("code", x.FORMAT_CODES)
def test_each_format_downloads_as_a_named_file(
    client: Client, make_round: MakeRound, code: str
) -> None:
    publish(make_round, SLUGS[:4], 2024)
    response = client.get(f"/radar/2024/sundhed-og-aeldre/eksport/{code}")
    assert response.status_code == 200
    fmt = x.format_of(code)
    assert 'filename="kommuneradar-2024-sundhed-og-aeldre' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(f'.{fmt.extension}"')


def test_links_in_downloads_are_absolute(client: Client, make_round: MakeRound) -> None:
    publish(make_round, SLUGS[:4], 2024)
    document = json.loads(client.get("/radar/2024/alle/eksport/zalando").content)
    assert document["entries"][0]["link"].startswith("http://testserver/teknologi/")


def test_drafts_and_unknown_formats_are_not_found(
    client: Client, make_round: MakeRound, analyst: Any
) -> None:
    compute_round(make_round(2024, {"rpa": ["scaled"] * 6}))
    assert client.get("/radar/2024/alle/eksport/").status_code == 404
    assert client.get("/radar/2024/alle/eksport/byor-csv").status_code == 404
    client.post("/log-ind/", {"username": "anna", "password": "pw"})
    assert client.get("/radar/2024/alle/eksport/byor-csv").status_code == 404
    publish(make_round, SLUGS[:4], 2023)
    assert client.get("/radar/2023/alle/eksport/pdf").status_code == 404
    assert client.get("/radar/2023/alle/eksport/byor-csv").status_code == 200


# Properties: nothing dropped, BYOR read back as written

NAME = (
    st.text(alphabet=st.sampled_from("abcæøå XYZ&,;\"'<>-1"), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def radars(draw: Any) -> x.RadarData:
    names = draw(st.lists(NAME, min_size=1, max_size=12, unique_by=x.byor_key))
    entries = tuple(
        x.Entry(
            key=f"t{index}",
            name=name,
            quadrant=draw(st.integers(0, 3)),
            ring=draw(st.sampled_from([r.code for r in RINGS])),
            movement=draw(st.sampled_from(x.MOVEMENTS)),
            description=x.sanitize(draw(st.text(max_size=30))),
        )
        for index, name in enumerate(names)
    )
    return radar(*entries)


@given(radars())
def test_every_format_holds_every_entry(data: x.RadarData) -> None:
    count = len(data.entries)
    assert len(x.byor_rows(data)) == count
    assert len(x.zalando(data)["entries"]) == count
    assert len(x.backstage(data)["entries"]) == count
    names = zipfile.ZipFile(io.BytesIO(x.aoe_zip(data))).namelist()
    assert len(names) == count + 1


@given(radars(), st.sampled_from(["byor-csv", "byor-json"]))
def test_a_byor_file_reads_back_as_written(data: x.RadarData, fmt: str) -> None:
    content = x.render(data, fmt)
    quadrants = [q.name for q in QUADRANTS]
    parsed, problems = rf.parse_byor(
        content, f"r.{fmt[5:]}", DAY, quadrants=quadrants, known_orders=[rf.RingOrder(RINGS)]
    )
    assert problems == []
    assert parsed is not None
    again = x.RadarData(
        "Test", DAY, tuple(parsed.rings), tuple(parsed.quadrants), tuple(parsed.editions[DAY])
    )
    assert x.render(again, fmt) == content


def test_the_export_page_takes_a_fixed_number_of_queries(
    client: Client, make_round: MakeRound, django_assert_num_queries: Any
) -> None:
    publish(make_round, SLUGS[:4], 2023)
    publish(make_round, SLUGS, 2024)
    with django_assert_num_queries(3):
        assert client.get("/radar/2024/alle/eksport/").status_code == 200
