"""The unversioned API paths of before /api/v1/ answer a permanent redirect (308, so a
client keeps its method and body) to their /api/v1/ equivalent, query string kept."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from . import opendata
from .api import api

# The old paths whose v1 path differs; anything else under /api/ moves to /api/v1/ as is.
RENAMED: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), target)
    for pattern, target in [
        (r"^radar/editions/?$", "editions"),
        (r"^radar/editions/(?P<year>[^/]+)/(?P<scope>[^/]+)/?$", "editions/{year}/{scope}"),
        (r"^cases/?$", "cases"),
        (r"^cases/(?P<pk>[^/]+)/?$", "cases/{pk}"),
        (r"^surveys/rounds/?$", "rounds"),
        (r"^benefits/projects/?$", "projects"),
        (r"^benefits/dashboard/?$", "benefits/summary"),
        (r"^network/municipalities/(?P<code>[^/]+)/?$", "municipalities/{code}"),
        (r"^network/programmes/?$", "programmes"),
        (r"^network/programmes/(?P<slug>[^/]+)/?$", "programmes/{slug}"),
        (r"^network/joint-projects/?$", "joint-projects"),
    ]
]


class HttpResponsePermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    status_code = 308


def v1_path(rest: str) -> str:
    """The /api/v1/ path for an unversioned path below /api/ (`rest` without /api/)."""
    for pattern, target in RENAMED:
        found = pattern.match(rest)
        if found:
            return "/api/v1/" + target.format(**found.groupdict())
    return "/api/v1/" + rest


def unversioned(request: HttpRequest, rest: str = "") -> HttpResponsePermanentRedirect:
    target = v1_path(rest)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirectKeepingMethod(f"{target}?{query}" if query else target)


def open_data(request: HttpRequest) -> HttpResponse:
    """Every download and every API endpoint, with licence and a description of every
    field; the endpoints and fields are read from the OpenAPI document."""
    document = api.get_openapi_schema()
    return render(
        request,
        "api/open_data.html",
        {
            "downloads": [
                (download, opendata.download_columns(download, document))
                for download in opendata.DOWNLOADS
            ],
            "endpoints": opendata.endpoints(document),
            "schemas": opendata.schemas(document),
            "data_licence": opendata.DATA_LICENCE,
            "data_licence_url": opendata.DATA_LICENCE_URL,
            "code_licence": opendata.CODE_LICENCE,
            "openapi_url": reverse("api-v1:openapi-json"),
            "docs_url": reverse("api-v1:openapi-view"),
        },
    )


def unknown(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other path under /api/v1/ answers the API's JSON 404, not the site's HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)
