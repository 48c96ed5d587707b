"""Projects, business cases and follow-ups for tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kommuneradar.benefits.models import BusinessCase, FollowUp, Project
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality


def make_project(
    municipality: Municipality,
    technology: str = "skaermbesoeg",
    domain: str = "sundhed-og-aeldre",
    published: bool = True,
    hours_expected: float | None = 1924,
    follow_ups: tuple[tuple[dt.date, float], ...] = (),
    **fields: Any,
) -> Project:
    defaults: dict[str, Any] = {
        "title": f"Projekt i {municipality.name}",
        "start_date": dt.date(2023, 1, 1),
        "status": Project.Status.IN_OPERATION,
        "benefit_owner": "Leder af hjemmeplejen",
    }
    defaults.update(fields)
    project = Project.objects.create(
        municipality=municipality,
        technology=Technology.objects.get(slug=technology),
        domain=Domain.objects.get(slug=domain),
        published=published,
        **defaults,
    )
    if hours_expected is not None:
        BusinessCase.objects.create(
            project=project,
            one_off_cost=Decimal(100000),
            running_cost=Decimal(10000),
            gain_dkk=Decimal(50000),
            hours_freed=Decimal(str(hours_expected)),
        )
    for measured_on, hours in follow_ups:
        FollowUp.objects.create(
            project=project, measured_on=measured_on, hours_freed=Decimal(str(hours))
        )
    return project
