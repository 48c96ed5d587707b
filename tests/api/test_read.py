"""Each read endpoint of /api/v1/ answers published data only, in the shape its schema
promises, with every number behind a radar entry; lists page with bounded limits, generated
from the OpenAPI document so that a new list endpoint is covered without editing this file."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kommuneradar.api.api import api
from kommuneradar.core.api import MAX_LIMIT, MAX_OFFSET
from tests.api.conftest import SLUGS, World

pytestmark = pytest.mark.django_db

BASE = "/api/v1"


def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def list_paths() -> list[str]:
    """Every GET operation that takes `limit` (a list), as a path with sample values."""
    samples = {"{year}": "2024", "{scope}": "alle", "{slug}": "partnerskab", "{code}": "630"}
    found = []
    for path, operations in document()["paths"].items():
        get = operations.get("get")
        if get and any(p["name"] == "limit" for p in get.get("parameters", [])):
            for key, value in samples.items():
                path = path.replace(key, value)
            found.append(path)
    return sorted(found)


def test_every_list_endpoint_pages() -> None:
    assert set(list_paths()) >= {
        f"{BASE}/{name}"
        for name in (
            "editions",
            "technologies",
            "municipalities",
            "cases",
            "projects",
            "programmes",
            "joint-projects",
            "rounds",
        )
    }


@pytest.mark.parametrize("path", list_paths())
@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        f"limit={MAX_LIMIT + 1}",
        "limit=-1",
        "limit=abc",
        "offset=-1",
        f"offset={MAX_OFFSET + 1}",
        "offset=9223372036854775808",
    ],
)
def test_a_page_out_of_range_answers_422_with_the_parameter(
    client: Client, path: str, query: str
) -> None:
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", query.split("=")[0]]


@pytest.mark.parametrize("path", list_paths())
def test_a_page_in_range_answers_its_count_and_at_most_limit(
    client: Client, world: World, path: str
) -> None:
    page = client.get(f"{path}?limit=1&offset=0").json()
    assert set(page) == {"count", "limit", "offset", "results"}
    assert page["limit"] == 1
    assert len(page["results"]) == min(1, page["count"])
    beyond = client.get(f"{path}?offset={MAX_OFFSET}").json()
    assert beyond["results"] == []
    assert beyond["count"] == page["count"]


def test_every_numeric_parameter_is_bounded() -> None:
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                options = schema.get("anyOf", [schema])
                for option in options:
                    if option.get("type") == "integer":
                        where = f"{method} {path} {parameter['name']}"
                        assert "maximum" in option and "minimum" in option, where


def test_health(client: Client) -> None:
    assert client.get(f"{BASE}/health").json() == {"status": "ok", "version": "1"}


def test_editions_list_and_one_edition_carry_every_number(client: Client, world: World) -> None:
    editions = client.get(f"{BASE}/editions").json()
    assert editions["count"] == 9  # all domains together, and each of the 8 domains
    assert (editions["results"][0]["year"], editions["results"][0]["scope"]) == (2024, "alle")
    edition = client.get(f"{BASE}/editions/2024/alle").json()
    assert {blip["technology"] for blip in edition["blips"]} == set(SLUGS)
    blip = edition["blips"][0]
    for key in (
        "users",
        "respondents",
        "diffusion",
        "diffusion_low",
        "diffusion_high",
        "maturity",
        "score",
        "ring",
        "computed_ring",
        "override_reason",
        "value_profile",
        "movement",
    ):
        assert key in blip
    assert blip["diffusion"] == pytest.approx(blip["users"] / blip["respondents"])
    assert blip["diffusion_low"] <= blip["diffusion"] <= blip["diffusion_high"]
    assert blip["score"] == pytest.approx((blip["maturity"] + blip["diffusion"]) / 2)
    assert blip["value_profile"][0]["dimension"] == "efficiency"
    assert client.get(f"{BASE}/editions?year=2023").json()["count"] == 0
    assert client.get(f"{BASE}/editions/2024/nowhere").status_code == 404


def test_a_draft_edition_is_not_served(client: Client, world: World, make_round: Any) -> None:
    from kommuneradar.radar.editions import compute_round

    compute_round(make_round(2025, {"rpa": ["scaled"] * 6}))
    assert client.get(f"{BASE}/editions/2025/alle").status_code == 404
    assert client.get(f"{BASE}/editions?year=2025").json()["count"] == 0


def test_technologies_and_one_technology(client: Client, world: World) -> None:
    catalogue = client.get(f"{BASE}/technologies?limit=200").json()
    assert catalogue["count"] == len(catalogue["results"]) >= len(SLUGS)
    names = [row["name_da"] for row in catalogue["results"]]
    assert names == sorted(names)
    one = client.get(f"{BASE}/technologies/skaermbesoeg").json()
    assert {(p["year"], p["scope"]) for p in one["placements"]} >= {
        (2024, "alle"),
        (2024, "sundhed-og-aeldre"),
    }
    overall = next(row for row in one["stage_distribution"] if row["domain"] is None)
    assert overall["respondents"] == sum(overall["stages"].values()) == 12
    assert one["value_profile"][0]["dimension"] == "efficiency"
    assert client.get(f"{BASE}/technologies/nothing-here").status_code == 404


def test_municipalities_and_a_profile(client: Client, world: World) -> None:
    page = client.get(f"{BASE}/municipalities?limit=200").json()
    assert page["count"] == 98
    assert page["results"][0]["survey_year"] == 2024
    profile = client.get(f"{BASE}/municipalities/630").json()
    assert profile["municipality"]["name"] == "Vejle"
    assert set(profile) >= {"stages", "comparison", "recommendations", "network", "size_group"}
    assert client.get(f"{BASE}/municipalities/999").status_code == 404
    assert client.get(f"{BASE}/municipalities/abc").status_code == 422


def test_cases_and_projects_are_published_ones_only(client: Client, world: World) -> None:
    cases = client.get(f"{BASE}/cases").json()
    assert {row["title"] for row in cases["results"]} == {
        "Skærmbesøg i Vejle",
        "Sensorer i Aarhus",
    }
    assert client.get(f"{BASE}/cases/{world.vejle_case.pk}").json()["effects"]
    assert client.get(f"{BASE}/cases/{world.vejle_draft.pk}").status_code == 404
    projects = client.get(f"{BASE}/projects").json()
    assert {row["id"] for row in projects["results"]} == {
        world.vejle_project.pk,
        world.aarhus_project.pk,
    }
    assert client.get(f"{BASE}/projects?municipality=Vejle").json()["count"] == 1
    assert client.get(f"{BASE}/projects?municipality=Atlantis").status_code == 422


def test_a_token_does_not_widen_what_a_read_shows(client: Client, world: World) -> None:
    from tests.api.conftest import token_client

    editor = world.aarhus_draft.lead_municipality.editors.create(username="a2", role="editor")
    seen = token_client(editor).get(f"{BASE}/cases").json()
    assert seen == client.get(f"{BASE}/cases").json()


def test_benefits_programmes_joint_projects_and_rounds(client: Client, world: World) -> None:
    summary = client.get(f"{BASE}/benefits/summary").json()
    assert summary["gap_employees"] == 44000
    assert any(row["group"] == "all" for row in summary["figures"])
    programmes = client.get(f"{BASE}/programmes").json()
    assert programmes["results"][0]["tracks"][0]["name"] == "Skærmbesøg"
    assert client.get(f"{BASE}/programmes/partnerskab").json()["fee_dkk"] == 50000
    joint = client.get(f"{BASE}/joint-projects").json()
    assert joint["results"][0]["participants"] == ["630", "751"]
    rounds = client.get(f"{BASE}/rounds").json()
    assert rounds["results"][0]["year"] == 2024
