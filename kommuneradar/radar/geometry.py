"""Where each blip sits on the radar (pure functions, no Django).

The rings are circles around the centre, innermost first; a blip sits in its ring, in its
quadrant. Inside a ring, a blip's distance from the centre follows its placement score:
the ring's score range (from the edition's thresholds) is mapped onto the ring's width,
the highest score nearest the centre, and within one quadrant and ring a higher score is
never further out than a lower one (monotonic). Only the angle is otherwise free: each
technology prefers a stable angle (from its key) and takes the free angle nearest to it.

Crowding is met in this order:
1. a crowded quadrant-ring is packed densely: a blip that finds no free angle at its
   distance moves outwards by the least distance that frees one (never past a blip with
   a lower score), and it takes the free angle nearest its preferred one, which is next
   to a neighbour;
2. rings are as wide as their blips need: each ring gets at least the width that holds
   its most crowded quadrant, and the rings that need less share what is left of the
   radius equally (so an uncrowded radar has rings of equal width);
3. only when the rings' needs exceed the radius does the picture grow.

Every blip has a footprint: its disc plus whatever is drawn around it (the "new" halo, the
movement mark), given as `extent`. Footprints keep `gap` apart from each other, inside
their ring (half a gap from each ring circle) and clear of the axes; along the horizontal
axis, where the ring names are written, they keep `label_clearance` away. No blip is
hidden, and none touches another or a ring name.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

RING_COUNT = 4
# Quadrant q spans [q·90° − 90°, q·90°] in screen angles (y points down): q0 is top right,
# then clockwise.
QUADRANT_START_DEGREES = (-90.0, 0.0, 90.0, 180.0)
DEFAULT_THRESHOLDS = (0.75, 0.50, 0.25)
# How far (in picture units) a blip steps outwards when no angle is free at its distance.
RADIAL_STEP = 1.0
# A ring that is too narrow is widened by this factor until its blips fit.
WIDEN = 1.08


@dataclass(frozen=True)
class BlipSpec:
    """What the layout needs: a stable key, quadrant 0-3, ring 0-3 (0 innermost), the
    placement score 0..1, and how far its marks (halo, movement mark) reach beyond its
    disc."""

    key: str
    quadrant: int
    ring: int
    score: float
    extent: float = 0.0


@dataclass(frozen=True)
class BlipPoint:
    key: str
    x: float
    y: float
    distance: float
    angle: float  # radians, screen coordinates
    reach: float = 0.0  # footprint radius: disc plus marks

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
    ring_radii: tuple[float, ...] = field(default=())  # outer radius of each ring

    def __post_init__(self) -> None:
        if not self.ring_radii:
            equal = tuple(self.radius * (k + 1) / RING_COUNT for k in range(RING_COUNT))
            object.__setattr__(self, "ring_radii", equal)

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
    def ring_inner_radii(self) -> tuple[float, ...]:
        return (0.0, *self.ring_radii[:-1])


@dataclass(frozen=True)
class Spacing:
    """The room every blip keeps (picture units)."""

    blip_radius: float = 12.0
    gap: float = 2.0
    axis_clearance: float = 4.0  # from the vertical axis (a white line)
    label_clearance: float = 10.0  # from the horizontal axis, where the ring names are


def ideal_distance(score: float, radius: float) -> float:
    """Distance from the centre that the score alone asks for on a radar of equal rings
    and the default thresholds."""
    return (1.0 - min(1.0, max(0.0, score))) * radius


def score_ranges(thresholds: Sequence[float]) -> list[tuple[float, float]]:
    """(low, high) score of each ring, innermost first."""
    klar, afproev, hold = thresholds
    return [(klar, 1.0), (afproev, klar), (hold, afproev), (0.0, hold)]


def _preferred_fraction(key: str) -> float:
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _free_angle(
    low: float, high: float, wanted: float, blocked: list[tuple[float, float]]
) -> float | None:
    """The angle in [low, high] nearest `wanted` outside every blocked (open) interval."""
    if low > high:
        return None
    merged: list[list[float]] = []
    for start, end in sorted(blocked):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    target = min(high, max(low, wanted))
    for start, end in merged:
        if start < target < end:
            options = [a for a in (start, end) if low <= a <= high]
            if not options:
                return None
            best = min(options, key=lambda a: (abs(a - target), a))
            # The other intervals are disjoint from this one, so `best` is free.
            return best
    return target


def _angle_window(
    quadrant: int, distance: float, reach: float, spacing: Spacing
) -> tuple[float, float] | None:
    """The angles at `distance` whose footprint keeps clear of both axes of the quadrant."""
    start = math.radians(QUADRANT_START_DEGREES[quadrant])
    margins = []
    for edge in (start, start + math.pi / 2):
        horizontal = abs(math.sin(edge)) < 1e-9
        clearance = reach + (spacing.label_clearance if horizontal else spacing.axis_clearance)
        if clearance >= distance:
            return None
        margins.append(math.asin(clearance / distance))
    first, last = start + margins[0], start + math.pi / 2 - margins[1]
    return (first, last) if first <= last else None


def _place_group(
    group: Sequence[BlipSpec],
    inner: float,
    outer: float,
    scores: tuple[float, float],
    spacing: Spacing,
) -> list[BlipPoint] | None:
    """Place the blips of one quadrant and ring between the circles `inner` and `outer`,
    highest score first, each no nearer the centre than the one before; None when they
    do not fit."""
    low_score, high_score = scores
    span = max(high_score - low_score, 1e-9)
    widest = max((spacing.blip_radius + b.extent for b in group), default=0.0)
    near = inner + widest + spacing.gap / 2
    far = outer - widest - spacing.gap / 2
    placed: list[BlipPoint] = []
    previous = 0.0
    for blip in sorted(group, key=lambda b: (-b.score, b.key)):
        reach = spacing.blip_radius + blip.extent
        lowest = inner + reach + spacing.gap / 2
        highest = outer - reach - spacing.gap / 2
        share = (min(high_score, max(low_score, blip.score)) - low_score) / span
        ideal = far - share * max(far - near, 0.0)
        distance = max(previous, ideal, lowest)
        preferred = _preferred_fraction(blip.key)
        found = None
        while distance <= highest + 1e-9:
            window = _angle_window(blip.quadrant, distance, reach, spacing)
            if window is not None:
                blocked = []
                for other in placed:
                    apart = reach + other.reach + spacing.gap
                    cosine = (distance**2 + other.distance**2 - apart**2) / (
                        2 * distance * other.distance
                    )
                    if cosine >= 1:
                        continue
                    half = math.pi if cosine <= -1 else math.acos(cosine) + 1e-9
                    blocked.append((other.angle - half, other.angle + half))
                first, last = window
                angle = _free_angle(first, last, first + preferred * (last - first), blocked)
                if angle is not None:
                    found = BlipPoint(
                        blip.key,
                        distance * math.cos(angle),
                        distance * math.sin(angle),
                        distance,
                        angle,
                        reach,
                    )
                    break
            distance += RADIAL_STEP
        if found is None:
            return None
        placed.append(found)
        previous = found.distance
    return placed


def _place_ring(
    groups: Sequence[Sequence[BlipSpec]],
    inner: float,
    outer: float,
    scores: tuple[float, float],
    spacing: Spacing,
) -> list[BlipPoint] | None:
    points: list[BlipPoint] = []
    for group in groups:
        if not group:
            continue
        placed = _place_group(group, inner, outer, scores, spacing)
        if placed is None:
            return None
        points.extend(placed)
    return points


def _needed_width(
    groups: Sequence[Sequence[BlipSpec]],
    inner: float,
    minimum: float,
    scores: tuple[float, float],
    spacing: Spacing,
) -> float:
    """The narrowest width (within 1 unit) from `minimum` up in which the ring's blips fit."""
    if _place_ring(groups, inner, inner + minimum, scores, spacing) is not None:
        return minimum
    fails, width = minimum, minimum * WIDEN
    while _place_ring(groups, inner, inner + width, scores, spacing) is None:
        fails, width = width, width * WIDEN
    while width - fails > 1.0:
        middle = (fails + width) / 2
        if _place_ring(groups, inner, inner + middle, scores, spacing) is None:
            fails = middle
        else:
            width = middle
    return width


def _share(needs: Sequence[float], radius: float) -> list[float]:
    """Widths of at least `needs` that fill `radius`, as equal as possible (water-filling)."""
    if sum(needs) >= radius:
        return list(needs)
    low, high = 0.0, radius
    for _step in range(60):
        level = (low + high) / 2
        if sum(max(need, level) for need in needs) > radius:
            high = level
        else:
            low = level
    return [max(need, low) for need in needs]


def layout(
    blips: Sequence[BlipSpec],
    radius: float = 400.0,
    blip_radius: float = 12.0,
    gap: float = 2.0,
    margin: float = 30.0,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    min_ring_widths: Sequence[float] = (0.0, 0.0, 0.0, 0.0),
    label_clearance: float = 10.0,
    axis_clearance: float = 4.0,
) -> RadarLayout:
    """Positions (relative to the centre) for every blip, and the rings' radii; the rings
    widen where crowded, and the radius grows only when all of them together need more."""
    for blip in blips:
        if not 0 <= blip.quadrant < 4 or not 0 <= blip.ring < RING_COUNT:
            raise ValueError(f"{blip.key}: quadrant and ring must be 0-3")
    if len({blip.key for blip in blips}) != len(blips):
        raise ValueError("every blip needs its own key")
    spacing = Spacing(blip_radius, gap, axis_clearance, label_clearance)
    ranges = score_ranges(thresholds)
    rings: list[list[list[BlipSpec]]] = [[[] for _q in range(4)] for _r in range(RING_COUNT)]
    for blip in blips:
        rings[blip.ring][blip.quadrant].append(blip)
    # The least width every ring needs, from the inside out (a ring further out has more
    # room per unit of width, so these are upper bounds once inner rings widen).
    floor = 2 * blip_radius + gap
    needs: list[float] = []
    inner = 0.0
    for ring in range(RING_COUNT):
        minimum = max(min_ring_widths[ring], floor)
        need = _needed_width(rings[ring], inner, minimum, ranges[ring], spacing)
        needs.append(need)
        inner += need
    widths = _share(needs, radius)
    points: dict[str, BlipPoint] = {}
    radii: list[float] = []
    inner = 0.0
    for ring in range(RING_COUNT):
        width = widths[ring]
        placed = _place_ring(rings[ring], inner, inner + width, ranges[ring], spacing)
        if placed is None:  # the wider ring moved blips; widen it until they fit again
            width = _needed_width(rings[ring], inner, width * WIDEN, ranges[ring], spacing)
            placed = _place_ring(rings[ring], inner, inner + width, ranges[ring], spacing)
            assert placed is not None
        points.update({point.key: point for point in placed})
        inner += width
        radii.append(inner)
    return RadarLayout(inner, blip_radius, margin, points, tuple(radii))
