"""The versioned JSON API at /api/v1/: one ninja API object; each app contributes its
router from its own api.py.

Reads are open data (published only) and answer everyone alike, with an ETag and a public
cache lifetime; writes take a personal API token (`Authorization: Bearer kr_…`) and go
through the same services and access rules as the pages. The docs page uses the Swagger UI
shipped inside the pinned django-ninja package (no CDN) and a static start script."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.translation import gettext_noop
from ninja import Field, NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError
from ninja.openapi.docs import DocsBase

from kommuneradar.automation.api import router as automation_router
from kommuneradar.benefits.api import router as benefits_router
from kommuneradar.cases.api import router as cases_router
from kommuneradar.network.api import router as network_router
from kommuneradar.outlook.api import router as outlook_router
from kommuneradar.radar.api import router as radar_router
from kommuneradar.surveys.api import router as surveys_router

# Published data changes when an analyst publishes; five minutes is fresh enough.
CACHE_SECONDS = 300

DESCRIPTION = """Open data from Kommuneradar: published radar editions with every number
behind each placement, the technology catalogue, the municipalities with their peers and
recommendations, the knowledge centre's published cases, implementation projects and the
labour-gap figures, partnership programmes and joint projects. Data: CC BY 4.0 (name
Kommuneradar as the source); code: MIT. Every list takes `limit` (1-200) and `offset`.

Writes (cases, projects with business cases, follow-ups, enrolments) need a personal API
token, created on /min-konto/noegler/ and sent as `Authorization: Bearer <token>`; they
follow the same rules as the pages and are recorded in the audit trail."""


class LocalSwagger(DocsBase):
    """Swagger UI from our own static files, started by a static script (no inline code,
    so the page works under a Content-Security-Policy without 'unsafe-inline')."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            "api/docs.html",
            {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)},
        )


class VersionedAPI(NinjaAPI):
    """Answers a GET of published data with an ETag and a public cache lifetime, and 304
    when the client already holds it; writes and errors are never cached."""

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            set_response_etag(response)
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
            # A few labels follow the visitor's language, which a cookie chooses.
            patch_vary_headers(response, ("Cookie",))
            conditional = get_conditional_response(
                request, etag=response.headers["ETag"], response=response
            )
            if conditional is not None:
                return conditional  # type: ignore[return-value]
        else:
            patch_cache_control(response, no_store=True)
        return response


api = VersionedAPI(
    title="Kommuneradar API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": "You may see this, but not change it."}, status=403
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {
            "detail": "A valid API token is required: send `Authorization: Bearer <token>` "
            "with a token from /min-konto/noegler/ that is not revoked."
        },
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


class HealthOut(Schema):
    status: str = Field(
        description=gettext_noop("`ok` when the application and its database answer.")
    )
    version: str = Field(description=gettext_noop("The API's version."))


health_router = Router(tags=["health"])


@health_router.get("/health", response=HealthOut, operation_id="health")
def health(request: HttpRequest) -> dict[str, str]:
    """Whether the service and its database answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "version": str(api.version)}


api.add_router("", health_router)
api.add_router("", radar_router)
api.add_router("", network_router)
api.add_router("", cases_router)
api.add_router("", benefits_router)
api.add_router("", surveys_router)
api.add_router("/outlook", outlook_router)
api.add_router("", automation_router)
