"""The pipeline as CSV, XLSX and JSON: the list's filter, only what the user may see, and
internal notes and people only for the process's own municipality."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kommuneradar.accounts.models import User
from kommuneradar.automation.models import Process, ProcessContact
from kommuneradar.places.models import Municipality

from .io_helpers import make_process

pytestmark = pytest.mark.django_db

NOTE = "Mxaarhusinternalnote"
CONTACT = "Mxaarhuscontactname"
EMAIL = "mxaarhuscontact@aarhus.example"
HIDDEN = "Mxaarhusmunicipalityonly"


@pytest.fixture
def pipeline(vejle: Municipality, aarhus: Municipality, aarhus_editor: User) -> dict[str, Any]:
    public = make_process(
        aarhus,
        "Robot til sygedagpengerefusion",
        phase=Process.Phase.OPERATION,
        internal_notes=NOTE,
        owner=aarhus_editor,
        technologies=["rpa"],
        cases_per_year=2400,
        minutes_per_case=15,
        automation_share=75,
    )
    ProcessContact.objects.create(process=public, name=CONTACT, email=EMAIL, role="Leder")
    hidden = make_process(
        aarhus, HIDDEN, visibility=Process.Visibility.MUNICIPALITY, internal_notes=NOTE
    )
    vejle_idea = make_process(vejle, "Vejles idé om fakturaer", phase=Process.Phase.IDEA)
    return {"public": public, "hidden": hidden, "vejle": vejle_idea}


def _get(client: Client, fmt: str, query: str = "") -> bytes:
    answer = client.get(f"/automatisering/eksport.{fmt}{query}")
    assert answer.status_code == 200
    assert f'filename="automatisering-processer.{fmt}"' in answer["Content-Disposition"]
    return answer.content


def _text(fmt: str, content: bytes) -> str:
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        cells = [str(c) for row in workbook.active.iter_rows(values_only=True) for c in row]
        return "\n".join(cells)
    return content.decode("utf-8-sig")


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_another_municipalitys_internal_notes_and_people_never_appear_in_an_export(
    pipeline: dict[str, Any], vejle_editor: User, fmt: str
) -> None:
    for user in (None, vejle_editor):
        text = _text(fmt, _get(_client(user), fmt))
        assert "Robot til sygedagpengerefusion" in text
        for private in (NOTE, CONTACT, EMAIL, HIDDEN, "astrid"):
            assert private not in text, (user, private)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_own_municipality_and_analysts_get_notes_and_people(
    pipeline: dict[str, Any], aarhus_editor: User, analyst: User, fmt: str
) -> None:
    for user in (aarhus_editor, analyst):
        text = _text(fmt, _get(_client(user), fmt))
        for private in (NOTE, CONTACT, EMAIL, HIDDEN):
            assert private in text, (user, private)


def test_the_export_follows_the_lists_filter_and_writes_danish_spreadsheets(
    pipeline: dict[str, Any],
) -> None:
    client = Client()
    csv = _get(client, "csv", "?fase=operation").decode("utf-8")
    assert csv.startswith("\ufeffid;titel;resumé;kommunekode;kommune;fase;")
    lines = csv.strip().splitlines()
    assert len(lines) == 2
    assert "Robot til sygedagpengerefusion" in lines[1]
    assert ";Drift;" in lines[1]
    # 2400 × 15 / 60 × 75 % = 450 hours a year
    assert ";450,0;" in lines[1]
    document = json.loads(_get(client, "json", "?fase=idea&fase=operation"))
    assert document["filters"]["fase"] == ["idea", "operation"]
    assert document["count"] == 2
    by_title = {row["title"]: row for row in document["processes"]}
    assert set(by_title) == {"Robot til sygedagpengerefusion", "Vejles idé om fakturaer"}
    assert by_title["Robot til sygedagpengerefusion"]["phase"] == "operation"
    assert by_title["Robot til sygedagpengerefusion"]["expected_hours_per_year"] == 450
    assert by_title["Robot til sygedagpengerefusion"]["technologies"] == [
        "Robotic Process Automation"
    ]
    workbook = load_workbook(io.BytesIO(_get(client, "xlsx", "?q=sygedagpenge")), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    headings = list(rows[0])
    assert len(rows) == 2
    assert rows[1][headings.index("forventede timer pr. år")] == 450


def test_an_unknown_format_is_not_found(pipeline: dict[str, Any]) -> None:
    assert Client().get("/automatisering/eksport.pdf").status_code == 404


def test_the_export_asks_the_database_a_fixed_number_of_times(
    pipeline: dict[str, Any], aarhus: Municipality, aarhus_editor: User
) -> None:
    client = _client(aarhus_editor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _get(client, "csv")
        return len(queries)

    before = count()
    for number in range(5):
        process = make_process(aarhus, f"Flere processer {number}", technologies=["rpa"])
        ProcessContact.objects.create(process=process, name=f"Kontakt {number}")
    assert count() == before


def test_the_list_page_links_to_the_export_of_its_filter(pipeline: dict[str, Any]) -> None:
    page = Client().get("/automatisering/?fase=operation").content.decode()
    assert 'href="/automatisering/eksport.csv?fase=operation"' in page
    assert 'href="/automatisering/eksport.json?fase=operation"' in page
