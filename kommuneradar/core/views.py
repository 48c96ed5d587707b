"""The few answers every site gives: the favicon at its old address and robots.txt."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Public pages may be indexed; links that are keys (questionnaires, invitations, password
# resets) and the pages behind a login may not.
ROBOTS_DISALLOW = [
    "/admin/",
    "/spoergeskema/",
    "/invitation/",
    "/adgangskode/",
    "/log-ind/",
    "/min-kommune/",
    "/min-konto/",
    "/brugere/",
    "/runder/",
]


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
