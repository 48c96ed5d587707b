"""Turn a stored edition into what the radar page draws and lists."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from kommuneradar.catalog.models import Quadrant
from kommuneradar.surveys import vocabulary as v

from . import placement as p
from .geometry import BlipSpec, RadarLayout, layout
from .models import Blip, Edition

SORT_KEYS = ("number", "name", "quadrant", "ring", "diffusion", "maturity", "score", "movement")


@dataclass
class DrawnBlip:
    number: int
    blip: Blip
    x: float
    y: float
    marker_points: str  # SVG polygon for the movement marker, "" when none

    @property
    def ring_index(self) -> int:
        return p.RINGS.index(self.blip.ring)

    @property
    def value_cells(self) -> list[ValueCell]:
        return value_cells(self.blip.value_profile)


@dataclass(frozen=True)
class ValueCell:
    """One dimension of a stored value profile, ready to show."""

    dimension: str
    share: p.ValueShare


def value_cells(profile: dict[str, dict[str, int]]) -> list[ValueCell]:
    """The stored profile (JSON) as cells in the order of the dimensions."""
    return [
        ValueCell(dimension, p.ValueShare(**profile[dimension]))
        for dimension in v.DIMENSIONS
        if dimension in profile
    ]


def _marker(x: float, y: float, outward: tuple[float, float], blip_radius: float, kind: str) -> str:
    """A small triangle on the blip's edge pointing towards (moved in) or away from the
    centre (moved out)."""
    if kind not in (p.MOVED_IN, p.MOVED_OUT):
        return ""
    ux, uy = outward
    sign = -1.0 if kind == p.MOVED_IN else 1.0
    tip_distance = blip_radius + 9
    base_distance = blip_radius + 1
    tx, ty = x + sign * ux * tip_distance, y + sign * uy * tip_distance
    bx, by = x + sign * ux * base_distance, y + sign * uy * base_distance
    px, py = -uy * 6, ux * 6
    return f"{tx:.1f},{ty:.1f} {bx + px:.1f},{by + py:.1f} {bx - px:.1f},{by - py:.1f}"


def draw(blips: list[Blip]) -> tuple[RadarLayout, list[DrawnBlip]]:
    """Number the blips (by quadrant, ring, name) and give each its position."""
    ordered = sorted(
        blips, key=lambda b: (b.quadrant_position, p.RINGS.index(b.ring), b.technology.name)
    )
    specs = []
    for blip in ordered:
        ring_index = p.RINGS.index(blip.ring)
        score = blip.score if blip.score is not None else 0.0
        specs.append(BlipSpec(blip.technology.slug, blip.quadrant_position, ring_index, score))
    result = layout(specs)
    centre = result.centre
    drawn = []
    for number, blip in enumerate(ordered, start=1):
        point = result.points[blip.technology.slug]
        x, y = centre + point.x, centre + point.y
        drawn.append(
            DrawnBlip(
                number, blip, x, y, _marker(x, y, point.outward, result.blip_radius, blip.movement)
            )
        )
    return result, drawn


def ring_bands(result: RadarLayout) -> list[dict[str, Any]]:
    """Ring circles (outermost first, so inner ones paint on top) and label positions."""
    bands = []
    inner = 0.0
    for index, outer in enumerate(result.ring_radii):
        bands.append(
            {
                "code": p.RINGS[index],
                "radius": outer,
                "label_left": result.centre - (inner + outer) / 2,
                "label_right": result.centre + (inner + outer) / 2,
            }
        )
        inner = outer
    return list(reversed(bands))


def quadrant_labels(result: RadarLayout, quadrants: list[Quadrant]) -> list[dict[str, Any]]:
    """Quadrant names in the corners of the picture, clockwise from top right."""
    size = result.size
    corners = {
        0: (size - 8, 24.0, "end"),
        1: (size - 8, size - 12, "end"),
        2: (8.0, size - 12, "start"),
        3: (8.0, 24.0, "start"),
    }
    return [
        {
            "quadrant": q,
            "x": corners[q.position][0],
            "y": corners[q.position][1],
            "anchor": corners[q.position][2],
        }
        for q in quadrants
    ]


def sort_rows(drawn: list[DrawnBlip], key: str, descending: bool) -> list[DrawnBlip]:
    """The table's order; blips without a value sort last."""
    getters: dict[str, Any] = {
        "number": lambda d: d.number,
        "name": lambda d: d.blip.technology.name.casefold(),
        "quadrant": lambda d: d.blip.quadrant_position,
        "ring": lambda d: d.ring_index,
        "diffusion": lambda d: d.blip.diffusion,
        "maturity": lambda d: d.blip.maturity,
        "score": lambda d: d.blip.score if d.blip.score is not None else -math.inf,
        "movement": lambda d: (
            (p.NEW, p.MOVED_IN, p.UNCHANGED, p.MOVED_OUT).index(d.blip.movement)
            if d.blip.movement
            else 9
        ),
    }
    getter = getters.get(key, getters["number"])
    return sorted(drawn, key=lambda d: (getter(d), d.number), reverse=descending)


def edition_blips(edition: Edition) -> list[Blip]:
    return list(edition.blips.filter(suppressed=False).select_related("technology").order_by("pk"))
