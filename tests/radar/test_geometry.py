"""The radar picture: every blip in its quadrant and ring, distance rising monotonically
with score inside a ring, no footprint (disc, halo, mark) touching another or the ring
names, blips never shrinking, and crowded rings widening before the picture grows."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kommuneradar.radar.geometry import BlipSpec, RadarLayout, layout

GAP = 2.0
LABEL_CLEARANCE = 10.0


def assert_no_touching(result: RadarLayout, gap: float = GAP) -> None:
    points = list(result.points.values())
    for i, a in enumerate(points):
        for b in points[i + 1 :]:
            apart = math.hypot(a.x - b.x, a.y - b.y)
            assert apart >= a.reach + b.reach + gap - 1e-6, (a.key, b.key)


def quadrant_of(x: float, y: float) -> int:
    if x >= 0 and y <= 0:
        return 0
    if x >= 0:
        return 1
    return 2 if y >= 0 else 3


def assert_in_place(result: RadarLayout, blips: list[BlipSpec]) -> None:
    """Each footprint lies in its quadrant and inside its ring, clear of the horizontal
    axis (the ring names) by the label clearance."""
    inner = result.ring_inner_radii
    for blip in blips:
        point = result.points[blip.key]
        assert quadrant_of(point.x, point.y) == blip.quadrant, blip
        assert point.distance - point.reach >= inner[blip.ring] - 1e-6, blip
        assert point.distance + point.reach <= result.ring_radii[blip.ring] + 1e-6, blip
        assert abs(point.y) >= point.reach + LABEL_CLEARANCE - 1e-6, blip
        assert abs(point.x) >= point.reach, blip


def assert_monotonic(result: RadarLayout, blips: list[BlipSpec]) -> None:
    """Inside one quadrant and ring, a higher score is never further from the centre."""
    for a in blips:
        for b in blips:
            if (a.quadrant, a.ring) == (b.quadrant, b.ring) and a.score > b.score:
                assert result.points[a.key].distance <= result.points[b.key].distance + 1e-9


def ring_widths(result: RadarLayout) -> list[float]:
    edges = zip(result.ring_inner_radii, result.ring_radii, strict=True)
    return [outer - inner for inner, outer in edges]


def test_an_uncrowded_radar_has_rings_of_equal_width() -> None:
    blips = [BlipSpec(f"t{i}", i % 4, (i // 4) % 4, 0.1 + 0.05 * (i % 16)) for i in range(16)]
    blips = [BlipSpec(b.key, b.quadrant, b.ring, [0.9, 0.6, 0.4, 0.1][b.ring]) for b in blips]
    result = layout(blips)
    assert result.radius == pytest.approx(400)
    assert result.ring_radii == pytest.approx((100, 200, 300, 400))


def test_distance_follows_score_when_there_is_room() -> None:
    blips = [BlipSpec("high", 1, 1, 0.70), BlipSpec("low", 2, 1, 0.55)]
    result = layout(blips)
    assert result.points["high"].distance < result.points["low"].distance
    # Both in the second ring (100-200): the higher score nearer its inner edge.
    assert 100 < result.points["high"].distance < result.points["low"].distance < 200


def test_the_rings_follow_the_editions_thresholds() -> None:
    # With READY from 0.9, a score of 0.95 lies half-way in the innermost ring's range.
    blips = [BlipSpec("a", 0, 0, 0.95), BlipSpec("b", 0, 0, 0.905)]
    result = layout(blips, thresholds=(0.9, 0.6, 0.3))
    assert result.points["a"].distance < result.points["b"].distance
    assert result.points["b"].distance > 60


def test_a_technology_keeps_its_angle_between_editions() -> None:
    first = layout([BlipSpec("skaermbesoeg", 0, 1, 0.6), BlipSpec("rpa", 0, 2, 0.4)])
    second = layout([BlipSpec("skaermbesoeg", 0, 1, 0.6), BlipSpec("cloud", 3, 0, 0.9)])
    assert math.isclose(first.points["skaermbesoeg"].angle, second.points["skaermbesoeg"].angle)


def crowded(extents: tuple[float, ...] = (0.75, 0.75, 3.75, 5.0)) -> list[BlipSpec]:
    """120 blips, 40 of them in the first quadrant's innermost ring, with halos and marks."""
    blips = [
        BlipSpec(f"ready-{i}", 0, 0, 0.75 + 0.25 * ((i * 7) % 40) / 40, extents[i % len(extents)])
        for i in range(40)
    ]
    for i in range(80):
        ring = i % 4
        low = (0.75, 0.5, 0.25, 0.0)[ring]
        blips.append(
            BlipSpec(
                f"other-{i}",
                1 + i % 3,
                ring,
                low + 0.25 * ((i * 11) % 25) / 25,
                extents[(i // 3) % len(extents)],
            )
        )
    return blips


def test_a_crowded_ring_widens_and_the_picture_stays_near_its_size() -> None:
    blips = crowded()
    result = layout(blips, min_ring_widths=(50, 60, 70, 60))
    assert len(result.points) == 120
    assert_no_touching(result)
    assert_in_place(result, blips)
    assert_monotonic(result, blips)
    assert result.blip_radius == 12  # blips never shrink
    widths = ring_widths(result)
    assert widths[0] > max(widths[1:])  # the crowded ring took the room
    assert result.radius <= 450  # packed densely: at most an eighth larger than asked


def test_the_rings_are_wide_enough_for_their_names() -> None:
    result = layout([BlipSpec("a", 0, 0, 0.9)], radius=100, min_ring_widths=(40, 70, 80, 60))
    widths = ring_widths(result)
    assert widths[1] >= 70 and widths[2] >= 80 and widths[3] >= 60


def test_every_blip_needs_its_own_key() -> None:
    with pytest.raises(ValueError):
        layout([BlipSpec("a", 0, 0, 0.9), BlipSpec("a", 1, 0, 0.9)])


blip_lists = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.integers(0, 3),
        st.floats(0, 1),
        st.sampled_from([0.75, 3.75, 5.0]),
    ),
    min_size=1,
    max_size=70,
)


@settings(max_examples=40, deadline=None)
@given(blip_lists)
def test_every_blip_lands_in_its_quadrant_and_ring_without_touching(
    specs: list[tuple[int, int, float, float]],
) -> None:
    blips = [BlipSpec(f"t{i}", q, r, s, e) for i, (q, r, s, e) in enumerate(specs)]
    result = layout(blips)
    assert set(result.points) == {b.key for b in blips}
    assert_no_touching(result)
    assert_in_place(result, blips)
    assert_monotonic(result, blips)
    # Minimum size: blips keep their size, and the picture never shrinks below the asked
    # radius (which would shrink every blip on screen).
    assert result.blip_radius == 12
    assert result.radius >= 400
    assert list(result.ring_radii) == sorted(result.ring_radii)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(0.75, 1.0), min_size=1, max_size=60))
def test_one_crowded_ring_stays_monotonic(scores: list[float]) -> None:
    blips = [BlipSpec(f"t{i}", 2, 0, s, 3.75 if i % 3 else 0.75) for i, s in enumerate(scores)]
    result = layout(blips)
    assert_no_touching(result)
    assert_in_place(result, blips)
    assert_monotonic(result, blips)
