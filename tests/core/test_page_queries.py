"""The pages of published data run as many queries with a little data as with a lot, when
they compute (a fresh published-data version) and when they read the cache (none then,
beyond the request's own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kommuneradar.cases.models import Case
from kommuneradar.catalog.models import Technology
from kommuneradar.core import published
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from kommuneradar.radar.models import Edition
from kommuneradar.surveys.models import Round
from tests.benefits.factories import make_project
from tests.conftest import MakeRound

PAGES = [
    "/radar/2024/",
    "/radar/2024/sundhed-og-aeldre/",
    "/teknologi/skaermbesoeg/",
    "/kommuner/101/",
    "/gevinster/",
    "/api/v1/editions/2024/alle",
]
STAGES = ["in_operation", "scaled", "considering", "piloting", "not_considering", "not_relevant"]


def _data(make_round: MakeRound, municipalities: int, years: tuple[int, ...]) -> None:
    """Published rounds with answers from `municipalities` municipalities in two domains,
    a published case and a measured project per ten municipalities."""
    stages = (STAGES * 20)[:municipalities]
    for year in years:
        for domain in ("sundhed-og-aeldre", "social"):
            make_round(year, {"skaermbesoeg": stages, "rpa": stages[::-1]}, domain=domain)
        compute_round(make_round(year, {"sensorer": stages}), publish=True)
    for municipality in Municipality.objects.order_by("code")[: max(1, municipalities // 10)]:
        make_project(municipality, follow_ups=((dt.date(2024, 6, 1), 900),))
        case = Case.objects.create(
            title=f"Skærmbesøg i {municipality.name}",
            summary="Kort.",
            lead_municipality=municipality,
            state=Case.State.PUBLISHED,
        )
        case.technologies.add(Technology.objects.get(slug="skaermbesoeg"))


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", PAGES)
def test_a_page_runs_the_same_queries_however_much_data(
    client: Client, make_round: MakeRound, path: str
) -> None:
    _data(make_round, 6, (2024,))
    few = _queries(client, path)
    Edition.objects.all().delete()
    Round.objects.all().delete()  # the answers go with their rounds
    _data(make_round, 90, (2022, 2023, 2024))
    published.bump()
    many = _queries(client, path)
    assert few == many


@pytest.mark.parametrize("path", PAGES)
def test_a_page_read_from_the_cache_runs_at_most_the_requests_own_queries(
    client: Client, make_round: MakeRound, path: str, django_assert_max_num_queries: Any
) -> None:
    _data(make_round, 30, (2023, 2024))
    client.get(path)
    # The demo banner's check, the municipality a profile is refused or shown for, and the
    # projects an anonymous visitor is shown are all the queries left.
    with django_assert_max_num_queries(2):
        assert client.get(path).status_code == 200
