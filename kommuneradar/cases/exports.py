"""Case lists as CSV and JSON: one record per case, the same fields in both."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from kommuneradar.core.formatting import spreadsheet_safe

from .models import Case

CSV_COLUMNS = [
    "id",
    "url",
    "title",
    "summary",
    "municipality_code",
    "municipality",
    "partner_municipalities",
    "technologies",
    "domains",
    "status",
    "started_on",
    "ended_on",
    "budget_dkk",
    "staff_fte",
    "duration_months",
    "headline_effect",
    "headline_effect_value",
    "headline_effect_unit",
    "effects_count",
    "source",
    "published_at",
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


def _cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    return spreadsheet_safe(value)


def csv_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV text, header first, lists joined with "; ", the headline effect flattened."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        effects = record["effects"]
        headline = next((e for e in effects if e["headline"]), effects[0] if effects else None)
        flat = {key: _cell(value) for key, value in record.items() if key != "effects"}
        flat["headline_effect"] = _cell(headline["description"]) if headline else ""
        flat["headline_effect_value"] = headline["value"] if headline else ""
        flat["headline_effect_unit"] = _cell(headline["unit"]) if headline else ""
        flat["effects_count"] = len(effects)
        writer.writerow(flat)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def json_text(records: Iterable[dict[str, Any]], source_note: str) -> str:
    return json.dumps({"source": source_note, "cases": list(records)}, ensure_ascii=False, indent=1)
