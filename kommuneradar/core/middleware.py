from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

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
