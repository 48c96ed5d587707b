"""Case lists for other apps' pages, so that no other app imports the cases app:
`{% load cases_tags %}{% technology_cases technology %}` on a technology page and
`{% municipality_cases municipality %}` on a municipality page. Each runs a fixed
number of queries (two), however many cases there are."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Prefetch

from kommuneradar.accounts.access import user_of
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

from ..models import Case, CaseQuerySet, Effect
from ..services import workspace_cases as workspace_cases_of

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


@register.simple_tag(takes_context=True)
def workspace_cases(context: template.Context, municipality: Municipality) -> list[Case]:
    """Every case `municipality` leads that the logged-in viewer works on, in every
    workflow state (the review queue order of `services.workspace_cases`), for the
    municipality's workspace: `{% workspace_cases municipality as cases %}`."""
    request = context.get("request")
    user = user_of(request) if request is not None else None
    if user is None:
        return []
    return list(workspace_cases_of(user).filter(lead_municipality=municipality)[: LIST_LIMIT * 5])
