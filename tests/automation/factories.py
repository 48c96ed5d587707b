"""Processes, KLE entries and measurements for tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kommuneradar.automation.models import KleEntry, Measurement, Process
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality


def make_kle(number: str = "81.02.04", title: str = "Børneattester") -> KleEntry:
    parent = None
    if "." in number:
        above = number.rsplit(".", 1)[0]
        parent = KleEntry.objects.filter(number=above).first() or make_kle(above, f"Over {above}")
    return KleEntry.objects.create(
        number=number, title=title, level=KleEntry.level_of(number), parent=parent
    )


def make_process(
    municipality: Municipality,
    *,
    technologies: tuple[str, ...] = ("rpa",),
    visibility: str = Process.Visibility.PUBLIC,
    **fields: Any,
) -> Process:
    defaults: dict[str, Any] = {
        "title": f"Proces i {municipality.name}",
        "summary": "En robot overtager et ensartet arbejde.",
        "phase": Process.Phase.OPERATION,
        "cases_per_year": 1200,
        "minutes_per_case": Decimal(15),
        "automation_share": Decimal(80),
    }
    defaults.update(fields)
    process = Process.objects.create(municipality=municipality, visibility=visibility, **defaults)
    process.technologies.set(Technology.objects.filter(slug__in=technologies))
    return process


def measure(
    process: Process,
    start: dt.date,
    end: dt.date,
    baseline: str,
    actual: str,
) -> Measurement:
    return Measurement.objects.create(
        process=process,
        period_start=start,
        period_end=end,
        baseline_hours=Decimal(baseline),
        actual_hours=Decimal(actual),
    )
