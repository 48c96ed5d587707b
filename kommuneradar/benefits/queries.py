"""Read-only figures from benefits realisation for other apps (e.g. peer recommendations).

Only published projects count, so the figures may be shown to anyone."""

from __future__ import annotations

import datetime
from collections import defaultdict

from . import finance
from .models import FollowUp


def realised_fte_per_1000_by_project() -> dict[int, tuple[int, float]]:
    """For each published project with at least one follow-up: (technology id, FTE freed
    per year per 1,000 inhabitants of its municipality at the latest follow-up).

    One query, whatever the number of projects."""
    latest: dict[int, tuple[tuple[datetime.date, int], int, float, int]] = {}
    rows = (
        FollowUp.objects.filter(project__published=True, project__municipality__population__gt=0)
        .values_list(
            "project_id",
            "id",
            "measured_on",
            "hours_freed",
            "project__technology_id",
            "project__municipality__population",
        )
        .order_by()
    )
    for project_id, follow_up_id, measured_on, hours, technology_id, population in rows:
        key = (measured_on, follow_up_id)
        held = latest.get(project_id)
        if held is None or key > held[0]:
            latest[project_id] = (key, technology_id, float(hours), population)
    return {
        project_id: (
            technology_id,
            finance.fte_per_1000_inhabitants(finance.fte_freed(hours), population),
        )
        for project_id, (_, technology_id, hours, population) in latest.items()
    }


def realised_gains_by_technology() -> dict[int, list[float]]:
    """Technology id -> the realised FTE freed per year per 1,000 inhabitants of each
    published project that measured it (latest follow-up), smallest first (one query)."""
    by_technology: dict[int, list[float]] = defaultdict(list)
    for technology_id, gain in realised_fte_per_1000_by_project().values():
        by_technology[technology_id].append(gain)
    return {technology_id: sorted(gains) for technology_id, gains in by_technology.items()}


def realised_gain_per_inhabitant() -> dict[int, tuple[float, int]]:
    """Technology id -> (median realised FTE freed per year per 1,000 inhabitants, number of
    published projects that measured it). Technologies with no measured project are absent."""
    result: dict[int, tuple[float, int]] = {}
    for technology_id, gains in realised_gains_by_technology().items():
        middle = finance.median(gains)
        if middle is not None:
            result[technology_id] = (middle, len(gains))
    return result
