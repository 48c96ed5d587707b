"""The peer network for other apps' pages: `{% load network_tags %}` then
`{% technology_network technology %}` on a technology page lists the municipalities that
use it (the mentors), those with documented realised value first, in four queries."""

from __future__ import annotations

from typing import Any

from django import template

from kommuneradar.catalog.models import Technology

from ..services import technology_network as network_of

register = template.Library()


@register.inclusion_tag("network/tags/technology_network.html")
def technology_network(technology: Technology) -> dict[str, Any]:
    """Mentors for `technology`: municipalities using it in the latest published year."""
    year, rows = network_of(technology)
    return {
        "technology": technology,
        "year": year,
        "rows": rows,
        "documented": sum(1 for row in rows if row.documented),
    }
