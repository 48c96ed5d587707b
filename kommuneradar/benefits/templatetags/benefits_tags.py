"""Project lists for other apps' pages, so that no other app imports the benefits app:
`{% load benefits_tags %}{% technology_projects technology %}` on a technology page and
`{% municipality_projects municipality %}` on a municipality page. Each shows the
projects the viewer may see, with expected and realised FTE freed, in two queries."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.http import HttpRequest

from kommuneradar.accounts.access import VIEW, restrict, user_of
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

from .. import finance
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


@register.simple_tag
def hours_per_fte() -> float:
    """The hours of one FTE (årsværk), for the notes that explain FTE figures:
    `{% hours_per_fte as hours %}`."""
    return finance.HOURS_PER_FTE


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


FOLLOW_UP_HORIZON_DAYS = 60


@register.simple_tag(takes_context=True)
def follow_ups_due(
    context: template.Context, municipality: Municipality, today: datetime.date
) -> list[Project]:
    """The viewer-visible projects of `municipality` whose next follow-up is overdue or due
    within 60 days, soonest first: `{% follow_ups_due municipality today as due %}`."""
    visible = restrict(Project.objects, _viewer(context), VIEW).filter(municipality=municipality)
    horizon = today + datetime.timedelta(days=FOLLOW_UP_HORIZON_DAYS)
    due = []
    for project in visible.select_related("technology").prefetch_related("follow_ups"):
        next_due = project.next_follow_up_due()
        if next_due is not None and next_due <= horizon:
            due.append((next_due, project.pk, project))
    return [project for _due, _pk, project in sorted(due)]
