"""Projects, business cases and follow-ups for tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kommuneradar.benefits.models import BusinessCase, FollowUp, Project
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.radar.models import ALL_DOMAINS, Blip, Edition
from kommuneradar.surveys.models import Round


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


def publish_overall_edition(year: int, rings: dict[str, str]) -> Edition:
    """A published radar edition for all domains with one blip per technology slug."""
    round_, _created = Round.objects.get_or_create(
        year=year,
        defaults={
            "opens_on": dt.date(year, 2, 1),
            "closes_on": dt.date(year, 3, 31),
            "status": Round.Status.CLOSED,
        },
    )
    edition = Edition.objects.create(
        round=round_,
        scope=ALL_DOMAINS,
        status=Edition.Status.PUBLISHED,
        computed_at=timezone.now(),
        published_at=timezone.now(),
        fingerprint="x" * 64,
        rules={},
        respondents=20,
    )
    for slug, ring in rings.items():
        technology = Technology.objects.get(slug=slug)
        Blip.objects.create(
            edition=edition,
            technology=technology,
            quadrant_position=technology.quadrant.position,
            users=15,
            respondents=20,
            diffusion=0.75,
            diffusion_low=0.5,
            diffusion_high=0.9,
            rating=8,
            rating_year=year,
            maturity=0.875,
            score=0.8,
            computed_ring=ring,
        )
    return edition
