"""A download link ending in a format nobody serves answers 404, never another format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kommuneradar.network.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db: None) -> Programme:
    today = timezone.localdate()
    return Programme.objects.create(
        name="Teknologipartnerskabet",
        slug="partnerskab",
        summary="Kommuner implementerer modne løsninger sammen.",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=200),
        enrolment_deadline=today,
    )


EXPORTS = [
    ("/gevinster/tal.{}", "csv"),
    ("/gevinster/projekter/eksport.{}", "csv"),
    ("/kommuner/eksport.{}", "csv"),
    ("/partnerskaber/projekter/eksport.{}", "csv"),
    ("/partnerskaber/partnerskab/eksport.{}", "csv"),
    ("/runder/skabelon.{}", "csv"),
    ("/cases/eksport.{}", "csv"),
    ("/kommuner/630/eksport.{}", "json"),
]


@pytest.mark.parametrize(("pattern", "served"), EXPORTS)
@pytest.mark.parametrize("unknown", ["pdf", "exe", "CSV", "csvx"])
def test_unknown_formats_answer_404(
    client: Client, programme: Programme, pattern: str, served: str, unknown: str
) -> None:
    assert client.get(pattern.format(served)).status_code == 200
    response = client.get(pattern.format(unknown))
    assert response.status_code == 404
    assert not response.get("Content-Disposition")
