from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from kommuneradar.core.health import health_response
from kommuneradar.core.logs import USER_ID_KEY


class DanishFirstLocaleMiddleware:
    """Danish unless the visitor chose another language with the language switcher.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted:
    a public Danish service speaks Danish first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class PermissionsPolicyMiddleware:
    """Every response says that no page of ours may use the camera, microphone, location,
    payment and the other powerful browser features (settings.PERMISSIONS_POLICY), nor
    grant them to an embedded page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivateWhenLoggedInMiddleware:
    """A response to a logged-in person (page, export or API call with the session) is
    never stored by a browser or a shared cache: `Cache-Control: private, no-store`,
    whatever the view said. Anonymous responses keep their own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


# Which requests count against which of settings.RATE_LIMITS: the login and password-reset
# forms (POST), every page opened with a key from an e-mail, and the whole API.
RATE_LIMITED_VIEWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "accounts:login": ("login", ("POST",)),
    "accounts:password_reset": ("login", ("POST",)),
    "surveys:questionnaire": ("token_link", ("GET", "POST")),
    "accounts:accept": ("token_link", ("GET", "POST")),
    "accounts:password_reset_confirm": ("token_link", ("GET", "POST")),
}
API_PREFIX = "/api/"


class RateLimitMiddleware:
    """Too many requests from one client address answer 429 with `Retry-After` (seconds).

    Counted by django-ratelimit in the default cache, so every process behind a load
    balancer shares the count when CACHE_URL names Redis."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        rule = RATE_LIMITED_VIEWS.get(match.view_name) if match else None
        if rule is None and request.path.startswith(API_PREFIX):
            rule = ("api", ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"))
        if rule is None:
            return None
        group, methods = rule
        usage = get_usage(
            request,
            group=group,
            key=_client_address,
            rate=settings.RATE_LIMITS[group],
            method=list(methods),
            increment=True,
        )
        if usage is None or not usage["should_limit"]:
            return None
        retry_after = max(1, int(usage["time_left"]))
        return too_many_requests(request, retry_after)


def _client_address(group: str, request: HttpRequest) -> str:
    """Whom a request is counted against: the client's address (from RATE_LIMIT_IP_HEADER
    behind a proxy, its first address), an IPv6 client by its /64 network (one household or
    office holds a whole one). A request that names no address (a WSGI caller without
    REMOTE_ADDR) counts as one unknown client instead of failing."""
    header = settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR"
    raw = str(request.META.get(header, "")).split(",")[0].strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 with `Retry-After`: a short page, or JSON for the API."""
    message = _(
        "Too many requests from your address. Please wait %(seconds)s seconds and try again."
    ) % {"seconds": retry_after}
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response.headers["Retry-After"] = str(retry_after)
    return response


class HealthCheckMiddleware:
    """Answers `/healthz` first of all: no host check (a load balancer probes by address),
    no HTTPS redirect (it probes over http), no session, no locale, no login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz":
            return health_response()
        return self.get_response(request)


class AccessLogUserMiddleware:
    """Leaves the id of the request's user (when some view asked who it is) in the WSGI
    environ, where gunicorn's JSON access log finds it (kommuneradar/gunicorn_conf.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "_cached_user", None)
        if user is not None and user.is_authenticated:
            request.META[USER_ID_KEY] = user.pk
        return response
