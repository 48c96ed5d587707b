"""The pipeline on other apps' pages, so that no other app imports the automation app:
`{% load automation_tags %}{% technology_pipeline technology %}` on a technology page shows
the public processes using it per phase and their summed expected and realised hours,
with the processes behind the sums (two queries)."""

from __future__ import annotations

from typing import Any

from django import template

from kommuneradar.catalog.models import Technology

from ..services import technology_pipeline as pipeline_of

register = template.Library()


@register.inclusion_tag("automation/tags/technology_pipeline.html")
def technology_pipeline(technology: Technology) -> dict[str, Any]:
    """Public processes only: the same for every visitor, so the page may cache it."""
    return {"pipeline": pipeline_of(technology)}
