"""The peer network for other apps' pages: `{% load network_tags %}` then
`{% technology_network technology %}` on a technology page lists the municipalities that
use it (the mentors), those with documented realised value first, in five queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

from ..models import Enrolment, Programme
from ..services import technology_network as network_of

register = template.Library()


# The technology page lists at most this many users (documented value first, then the
# largest): at scale thousands of organisations use a technology.
MENTORS_SHOWN = 50


@register.inclusion_tag("network/tags/technology_network.html")
def technology_network(technology: Technology) -> dict[str, Any]:
    """Mentors for `technology`: municipalities using it in the latest published year."""
    users = network_of(technology, limit=MENTORS_SHOWN)
    return {
        "technology": technology,
        "year": users.year,
        "rows": users.rows,
        "total": users.total,
        "documented": users.documented,
    }


@register.simple_tag
def municipality_enrolments(municipality: Municipality, today: dt.date) -> dict[str, Any]:
    """`{% municipality_enrolments municipality today as enrolments %}`: the municipality's
    enrolments (with their programmes and tracks) and the programmes still open for
    enrolment that it has not joined, in three queries."""
    enrolments = list(
        Enrolment.objects.filter(municipality=municipality)
        .select_related("programme")
        .prefetch_related("tracks")
        .order_by("-programme__starts_on", "programme__name")
    )
    joined = {enrolment.programme_id for enrolment in enrolments}
    open_programmes = [
        programme
        for programme in Programme.objects.filter(enrolment_deadline__gte=today).order_by(
            "enrolment_deadline", "name"
        )
        if programme.pk not in joined
    ]
    return {"enrolments": enrolments, "open_programmes": open_programmes}
