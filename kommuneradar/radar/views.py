from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def radar_page(request: HttpRequest, year: int, scope: str = "alle") -> HttpResponse:
    return HttpResponse("")


def technology_page(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("")
