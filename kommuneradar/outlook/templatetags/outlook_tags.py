"""The outlook on other apps' pages, so that no lower app imports this one:
`{% load outlook_tags %}{% technology_outlook technology %}` on a technology page (a fan
chart with its table) and `{% municipality_outlook municipality %}` on a municipality's
profile. Both read the cached outlook (four queries to check the data state; the
municipality's also reads the catalogue's names). Right after a publication, while the
outlook is being fitted in the background, they say so, and the page is not cached."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from kommuneradar.catalog.models import Technology
from kommuneradar.core import formatting, published
from kommuneradar.places.models import Municipality

from .. import presentation, services
from .. import projection as pj

register = template.Library()


@register.filter
def points(difference: float | None) -> str:
    """A difference of two shares (0..1) in percentage points, one decimal: 0.0123 -> 1,2."""
    if difference is None:
        return "–"
    language = "en" if (get_language() or "da").startswith("en") else "da"
    return formatting.number(difference * 100, 1, language)


@register.inclusion_tag("outlook/tags/technology_outlook.html")
def technology_outlook(technology: Technology) -> dict[str, Any]:
    """The projection of `technology` over all domains up to the horizon, with its band."""
    try:
        state, result = services.outlook()
    except services.Fitting:
        published.incomplete()
        return {"technology": technology, "outlook": None, "fitting": True}
    found = next((row for row in result.technologies if row.technology_id == technology.pk), None)
    if found is None:
        return {"technology": technology, "outlook": None}
    projected = found.projection
    return {
        "technology": technology,
        "outlook": found,
        "state": state,
        "years": [
            {
                "year": year,
                "piloting": year.stages[pj.PILOTING],
                "considering": year.stages[pj.INDEX["considering"]],
            }
            for year in projected.years
        ],
        "ring_label": presentation.ring_label(found.facts.ring),
        "ring_years": [
            presentation.RingYear(ring, presentation.ring_label(ring), year)
            for ring, year in sorted(found.ring_years.items(), key=lambda item: item[1])
        ],
        "chart": presentation.fan_chart(
            state.key, technology, state.history.get(technology.pk, []), projected
        ),
        "band": round(pj.BAND * 100),
    }


@register.inclusion_tag("outlook/tags/municipality_outlook.html")
def municipality_outlook(municipality: Municipality) -> dict[str, Any]:
    """What each technology could mean for `municipality` by the horizon."""
    try:
        state, result = services.outlook()
    except services.Fitting:
        published.incomplete()
        return {"municipality": municipality, "fitting": True}
    technologies = published.cached(
        "outlook-technologies", (), lambda: {t.pk: t for t in Technology.objects.all()}
    )
    found = [
        row
        for row in services.municipality_outlook(state, result, municipality.pk)
        if row.technology_id in technologies
    ]
    return {
        "municipality": municipality,
        "state": state,
        "rows": [
            {
                "technology": technologies[row.technology_id],
                "row": row,
                "label": presentation.stage_label(row.stage),
            }
            for row in found
            if not row.using
        ],
        "using": sum(1 for row in found if row.using),
        "expected": sum(row.expected_fte or 0.0 for row in found),
    }
