"""The radar picture: distance follows score, no blip overlaps, no blip is hidden."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from kommuneradar.radar.geometry import BlipSpec, RadarLayout, layout


def assert_no_overlap(result: RadarLayout) -> None:
    points = list(result.points.values())
    for i, a in enumerate(points):
        for b in points[i + 1 :]:
            assert math.hypot(a.x - b.x, a.y - b.y) >= 2 * result.blip_radius, (a.key, b.key)


def quadrant_of(x: float, y: float) -> int:
    if x >= 0 and y <= 0:
        return 0
    if x >= 0:
        return 1
    return 2 if y >= 0 else 3


def ring_of(distance: float, result: RadarLayout) -> int:
    return min(3, int(distance / (result.radius / 4)))


def test_sixty_blips_in_one_ring_all_drawn_without_overlap() -> None:
    blips = [BlipSpec(f"tech-{i}", 0, 0, 0.80 + (i % 7) / 100) for i in range(60)]
    result = layout(blips)
    assert len(result.points) == 60
    assert_no_overlap(result)
    assert all(ring_of(pt.distance, result) == 0 for pt in result.points.values())


def test_distance_follows_score_when_there_is_room() -> None:
    blips = [BlipSpec("high", 1, 1, 0.70), BlipSpec("low", 2, 1, 0.55)]
    result = layout(blips)
    assert result.points["high"].distance < result.points["low"].distance
    assert math.isclose(result.points["high"].distance, 0.30 * result.radius)


def test_a_technology_keeps_its_angle_between_editions() -> None:
    first = layout([BlipSpec("skaermbesoeg", 0, 1, 0.6), BlipSpec("rpa", 0, 2, 0.4)])
    second = layout([BlipSpec("skaermbesoeg", 0, 1, 0.6), BlipSpec("cloud", 3, 0, 0.9)])
    assert math.isclose(first.points["skaermbesoeg"].angle, second.points["skaermbesoeg"].angle)


blip_lists = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3), st.floats(0, 1)), min_size=1, max_size=70
)


@settings(max_examples=40, deadline=None)
@given(blip_lists)
def test_every_blip_lands_in_its_quadrant_and_ring_without_overlap(
    specs: list[tuple[int, int, float]],
) -> None:
    blips = [BlipSpec(f"t{i}", q, r, s) for i, (q, r, s) in enumerate(specs)]
    result = layout(blips)
    assert set(result.points) == {b.key for b in blips}
    assert_no_overlap(result)
    for blip in blips:
        point = result.points[blip.key]
        assert quadrant_of(point.x, point.y) == blip.quadrant
        assert ring_of(point.distance, result) == blip.ring
