"""Where each blip sits on the radar (pure functions, no Django).

A blip's distance from the centre follows its placement score: distance = (1 - score)
× radius, so the ring boundaries at scores 0.75/0.50/0.25 are the circles at a quarter,
half and three quarters of the radius. Only the angle inside the quadrant is chosen:
each technology prefers a stable angle (from its key), and takes the free angle
nearest to it. When a segment is so crowded that no angle is free at its distance, the
blip moves the least radial distance that frees one, inside its ring; when even that
fails, the whole radar grows until every blip fits. No blip is hidden or overlaps.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

RING_COUNT = 4
# Quadrant q spans [q·90° − 90°, q·90°] in screen angles (y points down): q0 is top right,
# then clockwise.
QUADRANT_START_DEGREES = (-90.0, 0.0, 90.0, 180.0)


@dataclass(frozen=True)
class BlipSpec:
    """What the layout needs: a stable key, quadrant 0-3, ring 0-3 (0 innermost), and
    the placement score 0..1."""

    key: str
    quadrant: int
    ring: int
    score: float


@dataclass(frozen=True)
class BlipPoint:
    key: str
    x: float
    y: float
    distance: float
    angle: float  # radians, screen coordinates

    @property
    def outward(self) -> tuple[float, float]:
        """Unit vector from the centre through the blip."""
        return math.cos(self.angle), math.sin(self.angle)


@dataclass(frozen=True)
class RadarLayout:
    radius: float
    blip_radius: float
    margin: float
    points: dict[str, BlipPoint]

    @property
    def size(self) -> float:
        return 2 * (self.radius + self.margin)

    @property
    def centre(self) -> float:
        return self.radius + self.margin

    @property
    def far_edge(self) -> float:
        """Where the outermost ring ends, on the right and at the bottom."""
        return self.margin + 2 * self.radius

    @property
    def ring_radii(self) -> list[float]:
        """Outer radius of each ring, innermost first."""
        return [self.radius * (k + 1) / RING_COUNT for k in range(RING_COUNT)]


def ideal_distance(score: float, radius: float) -> float:
    """Distance from the centre that the score alone asks for."""
    return (1.0 - min(1.0, max(0.0, score))) * radius


def _preferred_fraction(key: str) -> float:
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _candidate_distances(target: float, low: float, high: float, step: float) -> list[float]:
    clamped = min(high, max(low, target))
    distances = [clamped]
    k = 1
    while True:
        outward, inward = clamped + k * step, clamped - k * step
        added = False
        if outward <= high:
            distances.append(outward)
            added = True
        if inward >= low:
            distances.append(inward)
            added = True
        if not added:
            return distances
        k += 1


def _try_layout(
    blips: Sequence[BlipSpec], radius: float, blip_radius: float, gap: float
) -> dict[str, BlipPoint] | None:
    clearance = 2 * blip_radius + gap
    edge = blip_radius + gap / 2 + 1.0
    band = radius / RING_COUNT
    placed: dict[int, list[BlipPoint]] = {q: [] for q in range(4)}
    points: dict[str, BlipPoint] = {}
    ordered = sorted(blips, key=lambda b: (-b.score, b.key))
    for blip in ordered:
        low = max(blip.ring * band + edge, edge * math.sqrt(2) + 1.0)
        high = (blip.ring + 1) * band - edge
        if high < low:
            return None
        start = math.radians(QUADRANT_START_DEGREES[blip.quadrant])
        preferred = _preferred_fraction(blip.key)
        found = None
        for distance in _candidate_distances(
            ideal_distance(blip.score, radius), low, high, blip_radius / 2
        ):
            margin = math.asin(min(1.0, edge / distance))
            first, last = start + margin, start + math.pi / 2 - margin
            if last < first:
                continue
            step = (clearance / 4) / distance
            count = max(1, int((last - first) / step) + 1)
            wanted = first + preferred * (last - first)
            angles = sorted(
                (first + i * (last - first) / max(count - 1, 1) for i in range(count)),
                key=lambda a: (abs(a - wanted), a),
            )
            for angle in angles:
                x, y = distance * math.cos(angle), distance * math.sin(angle)
                if all(
                    (x - other.x) ** 2 + (y - other.y) ** 2 >= clearance**2
                    for other in placed[blip.quadrant]
                ):
                    found = BlipPoint(blip.key, x, y, distance, angle)
                    break
            if found:
                break
        if found is None:
            return None
        placed[blip.quadrant].append(found)
        points[blip.key] = found
    return points


def layout(
    blips: Sequence[BlipSpec],
    radius: float = 400.0,
    blip_radius: float = 11.0,
    gap: float = 4.0,
    margin: float = 70.0,
) -> RadarLayout:
    """Positions (relative to the centre) for every blip; the radius grows until all fit."""
    for blip in blips:
        if not 0 <= blip.quadrant < 4 or not 0 <= blip.ring < RING_COUNT:
            raise ValueError(f"{blip.key}: quadrant and ring must be 0-3")
    current = radius
    while True:
        points = _try_layout(blips, current, blip_radius, gap)
        if points is not None:
            return RadarLayout(current, blip_radius, margin, points)
        current *= 1.15
