"""Editorial radars: BYOR and Backstage files imported with their rings set by hand,
round trips through our exports, row-level refusals, access and the pages."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from kommuneradar.accounts.models import User
from kommuneradar.radar import exporting, importing
from kommuneradar.radar import placement as p
from kommuneradar.radar import radarfiles as rf
from kommuneradar.radar.exports import ExportError
from kommuneradar.radar.models import Edition, EditorialEntry, EditorialRadar

from .conftest import MakeRound
from .test_pages import SLUGS, publish

BYOR_CSV = (
    "name,ring,quadrant,isNew,status,description\r\n"
    "Kubernetes,Adopt,Platforms,FALSE,No Change,<p>Containers</p>\r\n"
    "Rust,Trial,Languages & Frameworks,TRUE,New,<b>Fast</b><script>x()</script>\r\n"
    "Jenkins,Hold,Tools,FALSE,Moved Out,\r\n"
    "Pairing,Adopt,Techniques,false,,\r\n"
)


def backstage_document() -> dict[str, Any]:
    return {
        "quadrants": [
            {"id": "infrastructure", "name": "Infrastructure"},
            {"id": "frameworks", "name": "Frameworks"},
            {"id": "languages", "name": "Languages"},
            {"id": "process", "name": "Process"},
        ],
        "rings": [
            {"id": "adopt", "name": "ADOPT", "color": "#5BA300"},
            {"id": "trial", "name": "TRIAL", "color": "#009EB0", "description": "Try it"},
            {"id": "assess", "name": "ASSESS", "color": "#C7BA00"},
            {"id": "hold", "name": "HOLD", "color": "#E09B96"},
        ],
        "entries": [
            {
                "key": "javascript",
                "id": "javascript",
                "title": "JavaScript",
                "quadrant": "languages",
                "description": "Excepteur **sint**",
                "links": [{"url": "https://www.javascript.com/", "title": "Learn more"}],
                "timeline": [
                    {"moved": 1, "ringId": "adopt", "date": "2022-02-08", "description": "Up"},
                    {"ringId": "trial", "date": "2020-08-06T00:00:00.000Z"},
                ],
            },
            {
                "key": "webpack",
                "id": "webpack",
                "title": "Webpack",
                "quadrant": "frameworks",
                "timeline": [{"moved": 0, "ringId": "trial", "date": "2022-02-08"}],
            },
        ],
    }


def analyst_client(client: Client, analyst: User) -> Client:
    assert client.post("/log-ind/", {"username": "anna", "password": "pw"}).status_code == 302
    return client


# Reading BYOR


def test_a_byor_csv_becomes_one_editorial_edition(analyst: User) -> None:
    result = importing.import_radar(
        BYOR_CSV.encode(), "radar.csv", "byor", "Tech", analyst, date=datetime.date(2024, 5, 1)
    )
    assert result.ok, result.lines()
    radar = result.radar
    assert radar is not None
    assert [r["name"] for r in radar.rings] == ["Adopt", "Trial", "Assess", "Hold"]
    assert [q["name"] for q in radar.quadrants] == [
        "Platforms",
        "Languages & Frameworks",
        "Tools",
        "Techniques",
    ]
    edition = radar.editions.get()
    assert edition.date == datetime.date(2024, 5, 1)
    entries = {e.name: e for e in edition.entries.all()}
    assert entries["Rust"].movement == p.NEW
    assert entries["Rust"].description == "<b>Fast</b>"
    assert entries["Jenkins"].movement == p.MOVED_OUT
    assert entries["Jenkins"].ring == "hold"
    assert entries["Pairing"].movement == p.UNCHANGED


def test_byor_rings_follow_the_given_settings(analyst: User) -> None:
    result = importing.import_radar(
        BYOR_CSV.encode(),
        "radar.csv",
        "byor",
        "Tech",
        analyst,
        rings=["Adopt", "Trial", "Assess", "Hold"],
        quadrants=["Techniques", "Tools", "Platforms", "Languages & Frameworks"],
    )
    assert result.radar is not None
    assert result.radar.quadrants[0]["name"] == "Techniques"


@pytest.mark.parametrize(
    ("content", "filename", "line", "field", "code"),
    [
        (BYOR_CSV.replace("No Change", "Sideways"), "r.csv", 2, "status", rf.UNKNOWN_STATUS),
        (BYOR_CSV.replace("FALSE,Moved Out", "maybe,"), "r.csv", 4, "isNew", rf.NOT_TRUE_FALSE),
        (BYOR_CSV.replace("Jenkins", "Rust"), "r.csv", 4, "name", "duplicate"),
        (BYOR_CSV.replace("Rust,Trial", ",Trial"), "r.csv", 3, "name", "required"),
        (
            BYOR_CSV + "Go,Later,Tools,TRUE,New,\r\nC,Never,Tools,TRUE,New,\r\n",
            "r.csv",
            7,
            "ring",
            rf.TOO_MANY_RINGS,
        ),
        (BYOR_CSV + "Go,Adopt,Other,TRUE,New,\r\n", "r.csv", 6, "quadrant", rf.TOO_MANY_QUADRANTS),
        (
            BYOR_CSV.replace(",status", ",state").replace(",isNew", ",old"),
            "r.csv",
            1,
            "status",
            rf.NO_STATUS_COLUMN,
        ),
        (BYOR_CSV.replace("name,", "title,"), "r.csv", 1, "name", "missing_columns"),
        (BYOR_CSV.replace("Jenkins", "J" * 301), "r.csv", 4, "name", rf.TOO_LONG),
    ],
)
def test_a_bad_byor_csv_is_refused_naming_row_and_field(
    analyst: User, content: str, filename: str, line: int, field: str, code: str
) -> None:
    result = importing.import_radar(content.encode(), filename, "byor", "Tech", analyst)
    assert result.radar is None
    assert (line, field, code) in [(q.line, q.column, q.code) for q in result.problems]
    assert EditorialRadar.objects.count() == 0
    assert EditorialEntry.objects.count() == 0


def test_an_unknown_ring_is_refused_when_rings_are_given(analyst: User) -> None:
    result = importing.import_radar(
        BYOR_CSV.encode(), "r.csv", "byor", "Tech", analyst, rings=["Adopt", "Hold"]
    )
    assert [(q.line, q.column, q.code, q.value) for q in result.problems] == [
        (3, "ring", rf.UNKNOWN_RING, "Trial")
    ]


def test_byor_settings_with_five_rings_or_twice_the_same_quadrant_are_refused(
    tmp_path: Path, db: Any, capsys: Any
) -> None:
    path = tmp_path / "radar.csv"
    path.write_text(BYOR_CSV)
    rings = json.dumps(["Adopt", "Trial", "Assess", "Hold", "Gone"])
    with pytest.raises(CommandError):
        call_command("import_radar", str(path), "--format", "byor", "--name", "X", "--rings", rings)
    assert "file, column RINGS" in capsys.readouterr().err
    result = importing.import_radar(
        BYOR_CSV.encode(), "r.csv", "byor", "X", None, quadrants=["Tools", "tools"]
    )
    assert [(q.column, q.code) for q in result.problems] == [("QUADRANTS", rf.SAME_NAMES)]


def test_a_byor_json_value_that_is_not_text_is_refused(analyst: User) -> None:
    rows = [
        {
            "name": "Rust",
            "ring": "Adopt",
            "quadrant": "Tools",
            "isNew": "TRUE",
            "status": "New",
            "description": "",
        },
        {
            "name": "Go",
            "ring": "Adopt",
            "quadrant": "Tools",
            "isNew": True,
            "status": "New",
            "description": "",
        },
    ]
    result = importing.import_radar(json.dumps(rows).encode(), "r.json", "byor", "T", analyst)
    assert [(q.line, q.column, q.code) for q in result.problems] == [(2, "isNew", rf.NOT_A_STRING)]
    assert "tekst" in result.lines()[0]


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "empty"), (b"[1, 2", rf.NOT_JSON), (b'{"a": 1}', rf.NOT_A_LIST), (b"[]", "no_rows")],
)
def test_a_broken_byor_json_file_is_refused(analyst: User, content: bytes, code: str) -> None:
    result = importing.import_radar(content, "r.json", "byor", "T", analyst)
    assert [q.code for q in result.problems] == [code]


# Reading Backstage


def test_a_backstage_timeline_gives_one_edition_per_date(analyst: User) -> None:
    content = json.dumps(backstage_document()).encode()
    result = importing.import_radar(content, "radar.json", "backstage", "Backstage", analyst)
    assert result.ok, result.lines()
    radar = result.radar
    assert radar is not None
    assert [e.date for e in radar.editions.order_by("date")] == [
        datetime.date(2020, 8, 6),
        datetime.date(2022, 2, 8),
    ]
    old = radar.editions.get(date=datetime.date(2020, 8, 6)).entries.get()
    assert (old.key, old.ring, old.movement) == ("javascript", "trial", p.NEW)
    new = {e.key: e for e in radar.editions.get(date=datetime.date(2022, 2, 8)).entries.all()}
    assert (new["javascript"].ring, new["javascript"].movement) == ("adopt", p.MOVED_IN)
    assert new["javascript"].note == "Up"
    assert new["javascript"].links == [
        {"url": "https://www.javascript.com/", "title": "Learn more"}
    ]
    assert new["webpack"].movement == p.UNCHANGED
    # Backstage lists quadrants clockwise from bottom right; we from top right.
    assert {q["slug"]: q["position"] for q in radar.quadrants} == {
        "infrastructure": 1,
        "frameworks": 2,
        "languages": 3,
        "process": 0,
    }


def _broken(change: Any) -> dict[str, Any]:
    document = backstage_document()
    change(document)
    return document


@pytest.mark.parametrize(
    ("document", "line", "field", "code"),
    [
        (
            _broken(lambda d: d["entries"][1]["timeline"][0].update(ringId="later")),
            2,
            "timeline[0].ringId",
            rf.UNKNOWN_RING,
        ),
        (
            _broken(lambda d: d["entries"][0].update(quadrant="nowhere")),
            1,
            "quadrant",
            rf.UNKNOWN_QUADRANT,
        ),
        (
            _broken(lambda d: d["entries"][0]["timeline"][1].update(date="last year")),
            1,
            "timeline[1].date",
            "not_a_date",
        ),
        (
            _broken(lambda d: d["entries"][1]["timeline"][0].update(moved=2)),
            2,
            "timeline[0].moved",
            rf.BAD_MOVED,
        ),
        (_broken(lambda d: d["entries"][1].update(id="javascript")), 2, "id", "duplicate"),
        (_broken(lambda d: d["entries"][1].pop("title")), 2, "title", "required"),
        (_broken(lambda d: d["entries"][1].update(id="w" * 201)), 2, "id", rf.TOO_LONG),
        (_broken(lambda d: d["entries"][1].update(timeline=[])), 2, "timeline", rf.NOT_A_LIST),
        (
            _broken(lambda d: d["rings"].append({"id": "x", "name": "X", "color": "#000"})),
            0,
            "rings",
            rf.TOO_MANY_RINGS,
        ),
        (_broken(lambda d: d["rings"][0].pop("color")), 0, "rings[0].color", "required"),
    ],
)
def test_a_bad_backstage_file_is_refused_naming_entry_and_field(
    analyst: User, document: dict[str, Any], line: int, field: str, code: str
) -> None:
    result = importing.import_radar(
        json.dumps(document).encode(), "r.json", "backstage", "B", analyst
    )
    assert (line, field, code) in [(q.line, q.column, q.code) for q in result.problems]
    assert EditorialRadar.objects.count() == 0


# Round trips


@pytest.mark.parametrize("fmt", ["byor-csv", "byor-json"])
def test_byor_export_import_export_is_identical(
    make_round: MakeRound, analyst: User, fmt: str
) -> None:
    publish(make_round, SLUGS, 2023)
    publish(make_round, SLUGS, 2024)
    edition = Edition.objects.get(round__year=2024, scope="alle")
    first, _type, name = exporting.export_edition(edition, fmt)
    result = importing.import_radar(first, name, "byor", "Igen", analyst)
    assert result.radar is not None, result.lines()
    again, _type, _name = exporting.export_edition(result.radar.editions.get(), fmt)
    assert again == first


def test_backstage_export_import_export_is_identical(make_round: MakeRound, analyst: User) -> None:
    publish(make_round, SLUGS[:6], 2022)
    publish(make_round, SLUGS, 2023)
    publish(make_round, SLUGS[2:], 2024)
    edition = Edition.objects.get(round__year=2024, scope="alle")
    first, _type, name = exporting.export_edition(edition, "backstage")
    result = importing.import_radar(first, name, "backstage", "Igen", analyst)
    assert result.radar is not None, result.lines()
    assert result.radar.editions.count() == 3
    latest = result.radar.editions.order_by("-date").first()
    assert latest is not None
    again, _type, _name = exporting.export_edition(latest, "backstage")
    assert again == first


def test_an_imported_backstage_file_exports_to_the_other_tools(analyst: User) -> None:
    content = json.dumps(backstage_document()).encode()
    radar = importing.import_radar(content, "r.json", "backstage", "B", analyst).radar
    assert radar is not None
    latest = radar.editions.order_by("-date").first()
    assert latest is not None
    rows = json.loads(exporting.export_edition(latest, "byor-json")[0])
    assert {(r["name"], r["ring"], r["status"]) for r in rows} == {
        ("JavaScript", "ADOPT", "Moved In"),
        ("Webpack", "TRIAL", "No Change"),
    }
    with pytest.raises(ExportError, match="editorial"):
        exporting.export_edition(latest, "csv")


# The command


def test_the_command_imports_a_file(tmp_path: Path, db: Any) -> None:
    path = tmp_path / "radar.csv"
    path.write_text(BYOR_CSV)
    call_command(
        "import_radar", str(path), "--format", "byor", "--name", "Fra BYOR", "--date", "2024-01-31"
    )
    radar = EditorialRadar.objects.get(name="Fra BYOR")
    assert radar.editions.get().date == datetime.date(2024, 1, 31)


def test_the_command_names_every_bad_row_and_imports_nothing(
    tmp_path: Path, db: Any, capsys: Any
) -> None:
    path = tmp_path / "radar.csv"
    path.write_text(BYOR_CSV.replace("No Change", "Sideways"))
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_radar", str(path), "--format", "byor", "--name", "X")
    assert "line 2, column status" in capsys.readouterr().err
    assert EditorialRadar.objects.count() == 0


# Access and pages


def test_anonymous_visitors_are_sent_to_log_in_and_editors_do_not_find_the_import(
    client: Client, vejle_editor: User
) -> None:
    response = client.get("/radar/redaktionel/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/log-ind/")
    client.post("/log-ind/", {"username": vejle_editor.email, "password": "pw"})
    # Analyst-only pages as a whole are hidden from others (access.refuse_unless_analyst).
    assert client.get("/radar/redaktionel/import/").status_code == 404
    upload = SimpleUploadedFile("r.csv", BYOR_CSV.encode())
    response = client.post(
        "/radar/redaktionel/import/", {"name": "X", "source": "byor", "file": upload}
    )
    assert response.status_code == 404
    assert EditorialRadar.objects.count() == 0


def test_an_analyst_imports_a_file_and_sees_it_labelled(client: Client, analyst: User) -> None:
    analyst_client(client, analyst)
    assert client.get("/radar/redaktionel/import/").status_code == 200
    upload = SimpleUploadedFile("radar.json", json.dumps(backstage_document()).encode())
    response = client.post(
        "/radar/redaktionel/import/", {"name": "Platform", "source": "backstage", "file": upload}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Redaktionel radar — ringe sat manuelt" in html
    assert "JavaScript" in html and "ADOPT" in html
    assert "/eksport/byor-csv" in html and "/eksport/backstage" in html
    assert "/eksport/xlsx" not in html
    listing = client.get("/radar/redaktionel/").content.decode()
    assert "Platform" in listing and "Redaktionel radar — ringe sat manuelt" in listing


def test_a_bad_upload_shows_the_rows_and_keeps_what_was_typed(
    client: Client, analyst: User
) -> None:
    analyst_client(client, analyst)
    upload = SimpleUploadedFile("r.csv", BYOR_CSV.replace("No Change", "Sideways").encode())
    response = client.post(
        "/radar/redaktionel/import/", {"name": "Mit navn", "source": "byor", "file": upload}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sideways" in html and "status" in html
    assert 'value="Mit navn"' in html
    assert EditorialRadar.objects.count() == 0


def test_editorial_downloads_and_pages(client: Client, analyst: User) -> None:
    content = json.dumps(backstage_document()).encode()
    radar = importing.import_radar(content, "r.json", "backstage", "B", analyst).radar
    assert radar is not None
    assert client.get(f"/radar/redaktionel/{radar.pk}/2020-08-06/").status_code == 200
    assert client.get(f"/radar/redaktionel/{radar.pk}/2021-01-01/").status_code == 404
    assert client.get(f"/radar/redaktionel/{radar.pk}/not-a-date/").status_code == 404
    response = client.get(f"/radar/redaktionel/{radar.pk}/2022-02-08/eksport/backstage")
    assert response.status_code == 200
    assert len(json.loads(response.content)["entries"]) == 2
    refused = client.get(f"/radar/redaktionel/{radar.pk}/2022-02-08/eksport/xlsx")
    assert refused.status_code == 409
    assert client.get(f"/radar/redaktionel/{radar.pk}/2022-02-08/eksport/pdf").status_code == 404
    assert client.get("/radar/redaktionel/999/").status_code == 404


def test_the_list_of_editorial_radars_takes_a_fixed_number_of_queries(
    client: Client, analyst: User, django_assert_num_queries: Any
) -> None:
    content = json.dumps(backstage_document()).encode()
    for number in range(3):
        importing.import_radar(content, "r.json", "backstage", f"B{number}", analyst)
    with django_assert_num_queries(2):
        response = client.get("/radar/redaktionel/")
    assert response.content.decode().count("/radar/redaktionel/") >= 3


def test_an_editorial_page_takes_a_fixed_number_of_queries(
    client: Client, analyst: User, django_assert_num_queries: Any
) -> None:
    document = backstage_document()
    for number in range(20):
        document["entries"].append(
            {
                "key": f"e{number}",
                "id": f"e{number}",
                "title": f"Entry {number}",
                "quadrant": "process",
                "timeline": [{"ringId": "hold", "date": f"20{10 + number}-01-01"}],
            }
        )
    radar = importing.import_radar(
        json.dumps(document).encode(), "r.json", "backstage", "B", analyst
    ).radar
    assert radar is not None
    with django_assert_num_queries(6):
        assert client.get(f"/radar/redaktionel/{radar.pk}/").status_code == 200


def test_an_analyst_renames_and_deletes_an_editorial_radar_in_the_admin(
    client: Client, analyst: User
) -> None:
    content = json.dumps(backstage_document()).encode()
    radar = importing.import_radar(content, "r.json", "backstage", "B", analyst).radar
    assert radar is not None
    analyst_client(client, analyst)
    assert client.get("/admin/radar/editorialradar/").status_code == 200
    assert client.get("/admin/radar/editorialradar/add/").status_code == 403
    url = f"/admin/radar/editorialradar/{radar.pk}/change/"
    assert client.post(url, {"name": "Platformradar"}).status_code == 302
    assert EditorialRadar.objects.get().name == "Platformradar"
    url = f"/admin/radar/editorialradar/{radar.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert EditorialRadar.objects.count() == 0
    assert EditorialEntry.objects.count() == 0
