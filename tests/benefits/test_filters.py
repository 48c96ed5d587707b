"""The project list's municipality filter takes what a person types: a name, the official
form or a code; anything else gets a clear message and no projects."""

from __future__ import annotations

import pytest
from django.test import Client

from kommuneradar.places.models import Municipality

from .factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(vejle: Municipality, aarhus: Municipality) -> None:
    make_project(vejle, title="Skærmbesøg i Vejle")
    make_project(aarhus, title="Skærmbesøg i Aarhus")


@pytest.mark.parametrize("typed", ["Vejle", "Vejle Kommune", "vejle", "630"])
def test_the_list_filters_by_name_or_code(client: Client, two: None, typed: str) -> None:
    body = client.get("/gevinster/projekter/", {"kommune": typed}).content.decode()
    assert "Skærmbesøg i Vejle" in body
    assert "Skærmbesøg i Aarhus" not in body
    assert "Kommune (navn eller kode)" in body
    assert '<option value="Vejle">' in body  # names offered while typing


def test_an_unknown_municipality_gets_a_clear_message_and_keeps_what_was_typed(
    client: Client, two: None
) -> None:
    response = client.get("/gevinster/projekter/", {"kommune": "Vejlle"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ingen kommune hedder eller har nummer „Vejlle“" in body
    assert 'value="Vejlle"' in body
    assert 'aria-invalid="true"' in body
    assert "Skærmbesøg i Vejle" not in body and "Skærmbesøg i Aarhus" not in body


def test_the_export_and_the_api_take_a_name_too(client: Client, two: None) -> None:
    csv_body = client.get("/gevinster/projekter/eksport.csv", {"kommune": "Aarhus Kommune"})
    assert "Skærmbesøg i Aarhus" in csv_body.content.decode("utf-8-sig")
    assert "Skærmbesøg i Vejle" not in csv_body.content.decode("utf-8-sig")
    api = client.get("/api/v1/projects", {"municipality": "Vejle"}).json()
    assert [row["title"] for row in api["results"]] == ["Skærmbesøg i Vejle"]
    unknown = client.get("/api/v1/projects", {"municipality": "Atlantis"})
    assert unknown.status_code == 422
    assert "Vejle" in unknown.json()["detail"]
