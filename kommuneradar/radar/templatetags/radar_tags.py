"""Small filters for the story of an edition (highlights, report)."""

from __future__ import annotations

from django import template

from kommuneradar.surveys.models import Dimension

from ..models import Ring

register = template.Library()


@register.filter
def ring_name(code: str) -> str:
    """A ring's name on screen from its code ('' for none)."""
    return str(Ring(code).label) if code in Ring.values else ""


@register.filter
def dimension_name(code: str) -> str:
    """A value dimension's name on screen from its code."""
    return str(Dimension(code).label) if code in Dimension.values else code
