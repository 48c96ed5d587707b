"""The benefits demo data: enough projects, deterministic, and honest about shortfalls."""

from __future__ import annotations

from io import StringIO

import pytest

from kommuneradar.benefits import services
from kommuneradar.benefits.models import FollowUp, Project
from kommuneradar.demo import benefits_data

pytestmark = pytest.mark.django_db


def _fingerprint() -> list[tuple[object, ...]]:
    return list(
        FollowUp.objects.order_by(
            "project__municipality__code", "project__title", "measured_on"
        ).values_list("project__municipality__code", "project__title", "measured_on", "hours_freed")
    )


def test_demo_has_150_projects_across_technologies_with_some_shortfalls() -> None:
    benefits_data.load(7, StringIO())
    projects = list(services.with_figures(Project.objects.all()))
    assert len(projects) >= 150
    assert len({project.technology_id for project in projects}) >= 10
    ratios = [(p.realised_fte or 0.0) / p.expected_fte for p in projects if p.realised_fte]
    short = [ratio for ratio in ratios if ratio < 0.9]
    on_track = [ratio for ratio in ratios if ratio >= 0.9]
    assert short and on_track
    assert any(p.follow_up_overdue() for p in projects)
    assert any(not p.published for p in projects)
    board = services.dashboard()
    assert board.overall.measured_projects >= 50


def test_demo_is_deterministic() -> None:
    benefits_data.load(3, StringIO())
    first = _fingerprint()
    Project.objects.all().delete()
    benefits_data.load(3, StringIO())
    assert _fingerprint() == first
