"""Case lists for other apps' pages, so that no other app imports the cases app:
`{% load cases_tags %}{% technology_cases technology %}` on a technology page and
`{% municipality_cases municipality %}` on a municipality page. Each runs a fixed
number of queries (two), however many cases there are."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Prefetch

from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

from ..models import Case, CaseQuerySet, Effect

register = template.Library()

LIST_LIMIT = 10


def _with_effects(cases: CaseQuerySet) -> list[Case]:
    return list(
        cases.select_related("lead_municipality")
        .prefetch_related(Prefetch("effects", queryset=Effect.objects.all()))
        .defer("body", "lessons", "search_text")
        .order_by("-published_at", "-id")[:LIST_LIMIT]
    )


@register.inclusion_tag("cases/tags/technology_cases.html")
def technology_cases(technology: Technology) -> dict[str, Any]:
    """The latest published cases that use `technology`, each with its headline effect."""
    published = Case.objects.published().for_technology(technology)
    return {
        "technology": technology,
        "cases": _with_effects(published),
        "search_url_query": f"teknologi={technology.slug}",
    }


@register.inclusion_tag("cases/tags/municipality_cases.html")
def municipality_cases(municipality: Municipality) -> dict[str, Any]:
    """The latest published cases that `municipality` leads or takes part in."""
    published = Case.objects.published().involving(municipality)
    return {"municipality": municipality, "cases": _with_effects(published)}
