"""The pipeline's demo data: enough processes across municipalities and phases, the three
routine tasks of the issue, reuse between municipalities, umbrellas and measurements that
reach the benefits dashboard; deterministic."""

from __future__ import annotations

from io import StringIO

import pytest
from django.test import Client

from kommuneradar.automation.models import KleEntry, Measurement, Process, System, Umbrella
from kommuneradar.benefits import services
from kommuneradar.demo import automation_data

pytestmark = pytest.mark.django_db


def test_demo_pipeline_has_120_processes_with_reuse_umbrellas_and_measurements() -> None:
    automation_data.load(7, StringIO())
    processes = Process.objects.all()
    assert processes.count() >= 120
    assert processes.values("municipality").distinct().count() >= 60
    assert set(processes.values_list("phase", flat=True)) == set(Process.Phase.values)
    titles = " ".join(processes.values_list("title", flat=True)).lower()
    for task in ("børneattester", "straffeattester", "journalisering", "fakturabetaling"):
        assert task in titles
    copies = processes.filter(source__isnull=False)
    assert copies.count() >= 30
    assert all(
        c.source is not None and c.municipality_id != c.source.municipality_id for c in copies
    )
    assert Umbrella.objects.count() >= 3
    assert Measurement.objects.filter(follow_up__isnull=False).count() >= 30
    assert KleEntry.objects.filter(level=KleEntry.Level.TOPIC).count() >= 10
    assert services.dashboard().overall.measured_projects >= 20
    assert Client().get("/automatisering/").status_code == 200


def _fingerprint() -> list[tuple[object, ...]]:
    return list(
        Process.objects.order_by("municipality__code", "title").values_list(
            "municipality__code", "title", "phase", "cases_per_year", "automation_share"
        )
    )


def test_demo_pipeline_is_deterministic() -> None:
    automation_data.load(3, StringIO())
    first = _fingerprint()
    Process.objects.all().delete()
    Umbrella.objects.all().delete()
    KleEntry.objects.filter(level=KleEntry.Level.TOPIC).delete()
    KleEntry.objects.filter(level=KleEntry.Level.GROUP).delete()
    KleEntry.objects.all().delete()
    System.objects.all().delete()
    automation_data.load(3, StringIO())
    assert _fingerprint() == first
