"""A small, hand-made survey: municipalities answering about a chosen set of technologies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.surveys.models import Answer, Response, Round

MakeRound = Callable[..., Round]


@pytest.fixture
def make_round(db: Any) -> MakeRound:
    """make_round(year, {slug: [stage, ...]}, rating=7, domain="sundhed-og-aeldre"): the
    i-th stage of each list is the answer of the i-th municipality (by code)."""

    def build(
        year: int,
        stages_by_technology: dict[str, Sequence[str]],
        rating: int = 7,
        domain: str = "sundhed-og-aeldre",
    ) -> Round:
        round_, _created = Round.objects.get_or_create(
            year=year,
            defaults={
                "opens_on": dt.date(year, 2, 1),
                "closes_on": dt.date(year, 3, 31),
                "status": Round.Status.CLOSED,
            },
        )
        the_domain = Domain.objects.get(slug=domain)
        count = max(len(stages) for stages in stages_by_technology.values())
        municipalities = list(Municipality.objects.order_by("code")[:count])
        responses = [
            Response.objects.get_or_create(round=round_, municipality=m, domain=the_domain)[0]
            for m in municipalities
        ]
        for slug, stages in stages_by_technology.items():
            technology = Technology.objects.get(slug=slug)
            technology.domains.add(the_domain)
            MaturityRating.objects.update_or_create(
                technology=technology, year=year, defaults={"rating": rating}
            )
            for response, stage in zip(responses, stages, strict=False):
                Answer.objects.create(
                    response=response,
                    technology=technology,
                    stage=stage,
                    value_efficiency="some" if stage in ("in_operation", "scaled") else "",
                )
        return round_

    return build
