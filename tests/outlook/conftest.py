"""A small published panel to project from: five municipalities answering about RPA in
three survey rounds, and three published projects that measured its gain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from kommuneradar.outlook import services
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from tests.benefits.factories import make_project
from tests.conftest import MakeRound

# The i-th stage list is the i-th municipality's answers in 2022, 2023 and 2024.
COURSES = [
    ("considering", "piloting", "in_operation"),
    ("considering", "considering", "piloting"),
    ("in_operation", "in_operation", "in_operation"),
    ("not_considering", "not_considering", "considering"),
    ("piloting", "in_operation", "scaled"),
]
YEARS = (2022, 2023, 2024)
# Hours freed a year by the three measured projects (latest follow-up).
MEASURED_HOURS = (962.0, 1924.0, 3848.0)


@pytest.fixture(autouse=True)
def fresh_outlook() -> Iterator[None]:
    """Each test fits from its own data: nothing kept from another test."""
    cache.clear()
    services.forget()
    yield
    cache.clear()
    services.forget()


@pytest.fixture
def panel(make_round: MakeRound, db: Any) -> list[Municipality]:
    for number, year in enumerate(YEARS):
        round_ = make_round(year, {"rpa": [course[number] for course in COURSES]})
        compute_round(round_, publish=True)
    municipalities = list(Municipality.objects.order_by("code")[: len(COURSES)])
    for municipality, hours in zip(municipalities, MEASURED_HOURS, strict=False):
        make_project(
            municipality,
            technology="rpa",
            title=f"RPA i {municipality.name}",
            follow_ups=((dt.date(2024, 6, 1), hours),),
        )
    return municipalities
