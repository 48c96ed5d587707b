"""Municipality size bands by population (pure, no Django).

A band groups municipalities of similar size so that a reader can find cases from
municipalities like their own. Populations are counted in inhabitants.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SizeBand:
    """Inhabitants from `low` (inclusive) to `high` (exclusive; None means no upper bound)."""

    slug: str
    low: int
    high: int | None


SIZE_BANDS: tuple[SizeBand, ...] = (
    SizeBand("under-30000", 0, 30_000),
    SizeBand("30000-50000", 30_000, 50_000),
    SizeBand("50000-100000", 50_000, 100_000),
    SizeBand("over-100000", 100_000, None),
)


def band_for(population: int) -> SizeBand:
    """The one band that holds a municipality of `population` inhabitants (>= 0)."""
    if population < 0:
        raise ValueError("population cannot be negative")
    for band in SIZE_BANDS:
        if population >= band.low and (band.high is None or population < band.high):
            return band
    raise AssertionError("the bands cover every non-negative population")


def band_by_slug(slug: str) -> SizeBand | None:
    """The band with this slug, or None for an unknown slug."""
    return next((band for band in SIZE_BANDS if band.slug == slug), None)
