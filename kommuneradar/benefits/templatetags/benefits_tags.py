"""Project lists for other apps' pages, so that no other app imports the benefits app:
`{% load benefits_tags %}{% technology_projects technology %}` on a technology page and
`{% municipality_projects municipality %}` on a municipality page. Each shows the
projects the viewer may see, with expected and realised FTE freed, in two queries."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from kommuneradar.accounts.access import VIEW, restrict, user_of
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

from ..models import Project, ProjectQuerySet

register = template.Library()

LIST_LIMIT = 10


def _listed(projects: ProjectQuerySet) -> list[Project]:
    return list(
        projects.select_related("municipality", "technology", "domain", "business_case")
        .prefetch_related("follow_ups")
        .order_by("-start_date", "-id")[:LIST_LIMIT]
    )


def _viewer(context: template.Context) -> User | None:
    request = context.get("request")
    return user_of(request) if isinstance(request, HttpRequest) else None


@register.inclusion_tag("benefits/tags/technology_projects.html", takes_context=True)
def technology_projects(context: template.Context, technology: Technology) -> dict[str, Any]:
    """The latest implementation projects with `technology` that the viewer may see."""
    visible = restrict(Project.objects, _viewer(context), VIEW).filter(technology=technology)
    return {"technology": technology, "projects": _listed(visible)}


@register.inclusion_tag("benefits/tags/municipality_projects.html", takes_context=True)
def municipality_projects(context: template.Context, municipality: Municipality) -> dict[str, Any]:
    """The latest implementation projects of `municipality` that the viewer may see."""
    visible = restrict(Project.objects, _viewer(context), VIEW).filter(municipality=municipality)
    return {"municipality": municipality, "projects": _listed(visible)}
