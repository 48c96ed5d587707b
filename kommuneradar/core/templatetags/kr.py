"""Template filters for numbers: {{ share|pct }}, {{ amount|kr }}, {{ value|num:1 }}."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from kommuneradar.core import formatting

register = template.Library()


def _language() -> str:
    return "en" if (get_language() or "da").startswith("en") else "da"


@register.filter
def pct(share: float | None, decimals: int = 0) -> str:
    return formatting.percent(share, int(decimals), _language())


@register.filter
def kr(amount: float | int | Decimal | None) -> str:
    return formatting.dkk(amount, _language())


@register.filter
def num(value: float | int | Decimal | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return formatting.number(value, int(decimals), _language())
