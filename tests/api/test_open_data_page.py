"""The open-data page lists every public download and every API endpoint (from the OpenAPI
document, so it cannot drift), with the licence and a description of every field in the
visitor's language; it is linked from every page's footer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from kommuneradar.api import opendata
from kommuneradar.api.api import api
from tests.api.conftest import World
from tests.test_exports import export_patterns

pytestmark = pytest.mark.django_db

# Not open data: an analyst's view of a round's respondents, and the empty fill-in template
# for importing survey answers (it holds no data).
NOT_PUBLIC = {"surveys:export", "surveys:template"}


def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def test_every_public_export_is_listed() -> None:
    exports = {f"{namespace}{pattern.name}" for namespace, pattern in export_patterns()}
    listed = {download.url_name for download in opendata.DOWNLOADS}
    # The radar's exports are wired by the lead after merging the exports branch.
    assert exports - NOT_PUBLIC - {name for name in exports if name.startswith("radar:")} <= listed


def test_every_endpoint_and_every_field_is_on_the_page(client: Client, world: World) -> None:
    page = client.get("/data/")
    assert page.status_code == 200
    html = page.content.decode()
    for path, operations in document()["paths"].items():
        assert f"<code>{path}</code>" in html
        for operation in operations.values():
            assert f'id="op-{operation["operationId"]}"' in html
    for name in document()["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert "CC BY 4.0" in html and "MIT" in html


def test_every_field_and_column_has_a_description() -> None:
    for schema in opendata.schemas(document()):
        for name, _kind, description in schema.fields:
            assert description, f"{schema.name}.{name}"
    for download in opendata.DOWNLOADS:
        for column in opendata.download_columns(download, document()):
            assert column.description, f"{download.url_name} {column.name}"
    for endpoint in opendata.endpoints(document()):
        assert endpoint.description, endpoint.path
        for parameter in endpoint.parameters:
            assert parameter.description, f"{endpoint.path} {parameter.name}"


# Descriptions spelled the same in Danish.
SAME_IN_DANISH = {"Note.", "Region."}


def test_every_field_description_is_translated_into_danish() -> None:
    untranslated = []
    with translation.override("da"):
        for schema in opendata.schemas(document()):
            for name, _kind, description in schema.fields:
                english = opendata.descriptions(document())[schema.name][name]
                if description == english and english not in SAME_IN_DANISH:
                    untranslated.append(f"{schema.name}.{name}: {english}")
    assert untranslated == []


def test_every_download_link_answers(client: Client, world: World) -> None:
    for download in opendata.DOWNLOADS:
        for _fmt, address in download.links():
            response = client.get(
                address.replace("kommunernes-teknologipartnerskab", "partnerskab")
            )
            assert response.status_code == 200, address


def test_the_footer_links_to_the_page(client: Client) -> None:
    assert 'href="/data/"' in client.get("/").content.decode()
