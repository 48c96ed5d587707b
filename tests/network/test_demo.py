"""The demo programme retells KL's technology partnership with its real frame, and the
generated participants are the same for the same seed."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from kommuneradar.demo import network_data
from kommuneradar.network.models import Enrolment, JointProject, Milestone, Programme

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple[str, str, list[str], list[tuple[str, str, dt.date]]]]:
    return [
        (
            e.municipality.code,
            e.status,
            sorted(t.name for t in e.tracks.all()),
            sorted(
                (m.track.name, m.kind, m.reached_on)
                for m in Milestone.objects.filter(enrolment=e).select_related("track")
            ),
        )
        for e in Enrolment.objects.select_related("municipality").order_by("municipality__code")
    ]


def test_demo_programme_has_the_partnerships_frame_and_is_deterministic() -> None:
    network_data.load(2024, io.StringIO())
    programme = Programme.objects.get()
    assert programme.starts_on == dt.date(2023, 3, 28)
    assert programme.enrolment_deadline == dt.date(2023, 3, 6)
    assert programme.ends_on.year == 2024 and programme.ends_on.month == 9
    assert programme.fee_dkk == 50_000
    assert programme.source
    tracks = list(programme.tracks.all())
    assert len(tracks) == 4 and len({t.theme for t in tracks}) == 2
    assert all(t.technology is not None for t in tracks)
    assert all(e.enrolled_on <= programme.enrolment_deadline for e in Enrolment.objects.all())
    assert JointProject.objects.filter(technology__slug="machine-learning").exists()
    assert all(p.participants.count() >= 2 for p in JointProject.objects.all())
    first = snapshot()

    Programme.objects.all().delete()
    JointProject.objects.all().delete()
    network_data.load(2024, io.StringIO())
    assert snapshot() == first
