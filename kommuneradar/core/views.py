"""The few answers every site gives: the favicon at its old address, robots.txt and the
accessibility statement."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
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


# When the statement below was written and last reviewed, and how: Digitaliseringsstyrelsen asks
# every statement to say both.
ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 11, 30)
ACCESSIBILITY_STATEMENT_REVIEWED = date(2026, 11, 30)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tilgængelighedserklæring), in the sections the Danish Agency
    for Digital Government prescribes, linked from every page's footer."""
    return render(
        request,
        "core/accessibility.html",
        {
            "site_url": request.build_absolute_uri("/"),
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "prepared": ACCESSIBILITY_STATEMENT_PREPARED,
            "reviewed": ACCESSIBILITY_STATEMENT_REVIEWED,
        },
    )
