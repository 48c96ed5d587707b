"""The pipeline's open data: public processes only, with their potential, measurements
and reuse."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from kommuneradar.automation.models import Process
from kommuneradar.places.models import Municipality

from .factories import make_kle, make_process, measure

pytestmark = pytest.mark.django_db


def test_the_api_lists_public_processes_with_their_figures(
    vejle: Municipality, aarhus: Municipality
) -> None:
    source = make_process(vejle, title="Attester", kle=make_kle("81.02.04", "Børneattester"))
    make_process(aarhus, title="Kopi", source=source)
    make_process(aarhus, title="Skjult kopi", source=source, visibility="municipality")
    measure(source, dt.date(2025, 1, 1), dt.date(2025, 3, 31), "60", "15")
    body: dict[str, Any] = Client().get("/api/v1/automation/processes").json()
    assert body["count"] == 2
    record = body["results"][0]
    assert record["title"] == "Attester" and record["kle"] == "81.02.04"
    # 1,200 × 15 minutes × 80 % = 240 hours; 240 / 1,924 FTE
    assert record["expected_hours_per_year"] == 240.0
    assert record["expected_fte"] == round(240 / 1924, 4)
    assert record["realised_hours_per_year"] == 182.5  # 45 hours in 90 days
    assert record["measurements"][0]["realised_hours"] == 45.0
    assert record["reuses"] == 1  # the hidden copy is not counted
    assert body["results"][1]["source_id"] == source.pk
    assert "internal_notes" not in record and "contacts" not in record


def test_the_api_filters_and_refuses_what_it_does_not_show(
    vejle: Municipality, aarhus: Municipality
) -> None:
    make_process(vejle, title="Robot", phase=Process.Phase.IDEA)
    hidden = make_process(aarhus, title="Intern", visibility="municipality")
    client = Client()
    assert client.get("/api/v1/automation/processes?phase=idea").json()["count"] == 1
    assert client.get("/api/v1/automation/processes?phase=operation").json()["count"] == 0
    assert client.get("/api/v1/automation/processes?municipality=630").json()["count"] == 1
    assert client.get("/api/v1/automation/processes?technology=chatbots").json()["count"] == 0
    assert client.get("/api/v1/automation/processes?municipality=Atlantis").status_code == 422
    assert client.get(f"/api/v1/automation/processes/{hidden.pk}").status_code == 404
