"""Cases for tests, built the way the app builds them (saved, then reindexed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kommuneradar.cases.indexing import reindex
from kommuneradar.cases.models import Case, Effect
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality


def make_case(
    municipality: Municipality,
    title: str = "Et projekt",
    summary: str = "Kort resumé.",
    body: str = "",
    technologies: tuple[str, ...] = ("skaermbesoeg",),
    domains: tuple[str, ...] = ("sundhed-og-aeldre",),
    state: str = Case.State.PUBLISHED,
    effects: int = 0,
    **fields: Any,
) -> Case:
    published_at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC) if state == "published" else None
    case = Case.objects.create(
        title=title,
        summary=summary,
        body=body,
        lead_municipality=municipality,
        state=state,
        published_at=published_at,
        **fields,
    )
    case.technologies.set(Technology.objects.filter(slug__in=technologies))
    case.domains.set(Domain.objects.filter(slug__in=domains))
    for number in range(effects):
        Effect.objects.create(
            case=case,
            description=f"Sparede timer {number}",
            dimension=Effect.Dimension.EFFICIENCY,
            value=Decimal(100 + number),
            unit="timer om året",
            measured_on=dt.date(2023, 6, 1),
            method="Optælling i planlægningssystemet",
            is_headline=number == 0,
        )
    reindex(case)
    return case
