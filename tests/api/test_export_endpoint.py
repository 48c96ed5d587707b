"""`/api/v1/editions/{year}/{scope}/export?format=`: the radar page's files for other radar
tools, for scripts; the same bytes as the page's download, published editions only."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from kommuneradar.radar.exports import FORMAT_CODES
from tests.api.conftest import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", FORMAT_CODES)
def test_every_format_gives_the_same_file_as_the_radar_page(
    client: Client, world: World, fmt: str
) -> None:
    from_api = client.get(f"/api/v1/editions/2024/alle/export?format={fmt}")
    from_page = client.get(f"/radar/2024/alle/eksport/{fmt}")
    assert from_api.status_code == 200, from_api.content[:300]
    assert from_api["Content-Disposition"] == from_page["Content-Disposition"]
    assert b"".join(from_api) == b"".join(from_page)


def test_a_byor_file_names_every_technology_of_the_edition(client: Client, world: World) -> None:
    response = client.get("/api/v1/editions/2024/alle/export?format=byor-csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    edition = client.get("/api/v1/editions/2024/alle").json()
    assert sorted(row["name"] for row in rows) == sorted(
        blip["technology_name_da"] for blip in edition["blips"]
    )
    assert {row["status"] for row in rows} <= {"New", "Moved In", "Moved Out", "No Change"}


def test_an_unknown_format_is_a_422_and_an_unpublished_radar_a_404(
    client: Client, world: World
) -> None:
    unknown = client.get("/api/v1/editions/2024/alle/export?format=pdf")
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"][-1] == "format"
    assert client.get("/api/v1/editions/2024/alle/export").status_code == 422
    missing = client.get("/api/v1/editions/2031/alle/export?format=byor-csv")
    assert missing.status_code == 404
    assert "2031" in missing.json()["detail"]
