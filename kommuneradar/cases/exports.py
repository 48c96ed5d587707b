"""Case lists as CSV, XLSX and JSON: one record per case. JSON keeps every effect; the
spreadsheets flatten each case to one row with its headline effect."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kommuneradar.core.tabular import Field

from .models import Case

FIELDS = [
    Field("id", "id"),
    Field("url", "adresse"),
    Field("title", "titel"),
    Field("summary", "resumé"),
    Field("municipality_code", "kommunekode"),
    Field("municipality", "kommune"),
    Field("partner_municipalities", "partnerkommuner"),
    Field("technologies", "teknologier"),
    Field("domains", "fagområder"),
    Field("status", "status"),
    Field("started_on", "startdato"),
    Field("ended_on", "slutdato"),
    Field("budget_dkk", "budget kr"),
    Field("staff_fte", "årsværk"),
    Field("duration_months", "varighed måneder"),
    Field("headline_effect", "hovedeffekt"),
    Field("headline_effect_value", "hovedeffekt værdi"),
    Field("headline_effect_unit", "hovedeffekt enhed"),
    Field("effects_count", "antal effekter"),
    Field("source", "kilde"),
    Field("published_at", "offentliggjort"),
]


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def effect_record(effect: Any) -> dict[str, Any]:
    return {
        "description": effect.description,
        "dimension": effect.dimension,
        "value": float(effect.value),
        "unit": effect.unit,
        "baseline": None if effect.baseline is None else float(effect.baseline),
        "result": None if effect.result is None else float(effect.result),
        "measured_on": _date(effect.measured_on),
        "method": effect.method,
        "headline": effect.is_headline,
    }


def case_record(case: Case, base_url: str = "") -> dict[str, Any]:
    """One case as plain data; expects technologies, partners, domains and effects
    prefetched and the lead municipality selected."""
    effects = list(case.effects.all())
    return {
        "id": case.pk,
        "url": base_url + case.get_absolute_url(),
        "title": case.title,
        "summary": case.summary,
        "municipality_code": case.lead_municipality.code,
        "municipality": case.lead_municipality.name,
        "partner_municipalities": [m.name for m in case.partner_municipalities.all()],
        "technologies": [t.slug for t in case.technologies.all()],
        "domains": [d.slug for d in case.domains.all()],
        "status": case.stage,
        "started_on": _date(case.started_on),
        "ended_on": _date(case.ended_on),
        "budget_dkk": case.budget_dkk,
        "staff_fte": None if case.staff_fte is None else float(case.staff_fte),
        "duration_months": case.duration_months,
        "effects": [effect_record(effect) for effect in effects],
        "source": case.source,
        "published_at": _date(case.published_at),
    }


def flat_records(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One row per case for a spreadsheet: the headline effect (or the first) flattened."""
    for record in records:
        effects = record["effects"]
        headline = next((e for e in effects if e["headline"]), effects[0] if effects else None)
        yield {
            **record,
            "headline_effect": headline["description"] if headline else None,
            "headline_effect_value": headline["value"] if headline else None,
            "headline_effect_unit": headline["unit"] if headline else None,
            "effects_count": len(effects),
        }
