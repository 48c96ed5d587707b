"""Published data is sent with an ETag and a public cache lifetime, and a client holding
the same version gets 304; errors and writes are never cached. The unversioned API paths
of before v1 redirect permanently to their /api/v1/ equivalent."""

from __future__ import annotations

import pytest
from django.test import Client

from kommuneradar.api.api import CACHE_SECONDS
from tests.api.conftest import World

pytestmark = pytest.mark.django_db


def test_published_data_has_an_etag_and_answers_304_when_unchanged(
    client: Client, world: World
) -> None:
    first = client.get("/api/v1/editions/2024/alle")
    etag = first["ETag"]
    assert first["Cache-Control"] == f"public, max-age={CACHE_SECONDS}"
    assert "Cookie" in first["Vary"]
    again = client.get("/api/v1/editions/2024/alle", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/api/v1/editions/2024/alle", HTTP_IF_NONE_MATCH='"stale"')
    assert other.status_code == 200


def test_the_etag_changes_when_the_data_change(client: Client, world: World) -> None:
    before = client.get("/api/v1/cases")["ETag"]
    world.vejle_draft.state = "published"
    world.vejle_draft.save()
    assert client.get("/api/v1/cases")["ETag"] != before


def test_an_unknown_api_path_answers_json_404(client: Client) -> None:
    response = client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_errors_are_not_cached(client: Client, world: World) -> None:
    response = client.get("/api/v1/editions/1999/alle")
    assert response.status_code == 422
    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in response


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/api/radar/editions", "/api/v1/editions"),
        ("/api/radar/editions/2024/alle", "/api/v1/editions/2024/alle"),
        ("/api/cases/?q=rpa", "/api/v1/cases?q=rpa"),
        ("/api/cases/7", "/api/v1/cases/7"),
        ("/api/surveys/rounds", "/api/v1/rounds"),
        ("/api/benefits/projects/?limit=2", "/api/v1/projects?limit=2"),
        ("/api/benefits/dashboard/", "/api/v1/benefits/summary"),
        ("/api/network/municipalities/630/", "/api/v1/municipalities/630"),
        ("/api/network/programmes/", "/api/v1/programmes"),
        ("/api/network/programmes/partnerskab/", "/api/v1/programmes/partnerskab"),
        ("/api/network/joint-projects/", "/api/v1/joint-projects"),
        ("/api/openapi.json", "/api/v1/openapi.json"),
        ("/api/docs", "/api/v1/docs"),
    ],
)
def test_the_unversioned_paths_redirect_to_v1(
    client: Client, world: World, old: str, new: str
) -> None:
    response = client.get(old)
    assert response.status_code == 308
    assert response["Location"] == new
    assert client.get(old, follow=True).status_code in (200, 404)


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(client: Client) -> None:
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "/static/api/swagger-init.js" in page
    assert "cdn" not in page.lower()
    # No inline script: every <script> has a src.
    assert page.count("<script") == page.count("<script src=")
    assert client.get("/api/v1/openapi.json").json()["info"]["version"] == "1"
