"""The story of a radar edition: its highlights, computed from the edition's blips (pure
functions, no Django).

An edition's highlights are what a reader asks first: which technologies are new on the
radar, which moved in towards READY or out towards WAIT, which spread the most since the
previous edition, and which gave the most value where it is used, per value dimension.
Every highlight keeps the numbers it rests on (with their n), so the page can say them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from . import placement as p

# How many of the largest rises in diffusion an edition lists.
TOP_RISES = 5
# The fewest users who answered about a value dimension before its share is a highlight
# (a share of 1 of 1 is no finding).
MIN_VALUE_ANSWERS = 5


@dataclass(frozen=True)
class BlipFacts:
    """What the highlights need of one placed technology in an edition."""

    key: str  # the technology's slug
    name: str
    ring: str
    movement: str
    diffusion: float  # share 0..1
    users: int
    respondents: int
    previous_diffusion: float | None = None  # in the previous edition of the same scope
    value: Mapping[str, p.ValueShare] = field(default_factory=dict)


@dataclass(frozen=True)
class Rise:
    """A technology whose diffusion rose since the previous edition (shares 0..1)."""

    blip: BlipFacts
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class BestValue:
    """The technology whose users most often reported some or large value in one dimension."""

    dimension: str
    blip: BlipFacts
    experienced: int
    experienced_of: int

    @property
    def share(self) -> float:
        return self.experienced / self.experienced_of


@dataclass(frozen=True)
class Highlights:
    new: list[BlipFacts]
    moved_in: list[BlipFacts]
    moved_out: list[BlipFacts]
    rises: list[Rise]
    best_value: list[BestValue]

    @property
    def empty(self) -> bool:
        return not (self.new or self.moved_in or self.moved_out or self.rises or self.best_value)


def _by_ring_then_name(blip: BlipFacts) -> tuple[int, str]:
    return (p.RINGS.index(blip.ring), blip.name.casefold())


def largest_rises(blips: Iterable[BlipFacts], top: int = TOP_RISES) -> list[Rise]:
    """The `top` largest rises in diffusion (largest first, then by name); technologies
    without a previous edition, or whose diffusion did not rise, are left out."""
    rises = [
        Rise(blip, blip.previous_diffusion, blip.diffusion)
        for blip in blips
        if blip.previous_diffusion is not None and blip.diffusion > blip.previous_diffusion
    ]
    rises.sort(key=lambda rise: (-rise.change, rise.blip.name.casefold(), rise.blip.key))
    return rises[: max(top, 0)]


def best_value(
    blips: Iterable[BlipFacts],
    dimensions: Iterable[str],
    min_answers: int = MIN_VALUE_ANSWERS,
) -> list[BestValue]:
    """Per dimension (in the order given), the technology with the highest share of users
    reporting some or large value, among those with at least `min_answers` users who
    answered; a tie goes to the one with more answers, then to the name. A dimension
    where no technology has enough answers is left out."""
    listed = list(blips)
    result = []
    for dimension in dimensions:
        candidates = [
            (blip, blip.value[dimension])
            for blip in listed
            if dimension in blip.value and blip.value[dimension].experienced_of >= min_answers
        ]
        if not candidates:
            continue
        blip, share = min(
            candidates,
            key=lambda c: (
                -c[1].experienced / c[1].experienced_of,
                -c[1].experienced_of,
                c[0].name.casefold(),
                c[0].key,
            ),
        )
        result.append(BestValue(dimension, blip, share.experienced, share.experienced_of))
    return result


def highlights(
    blips: Iterable[BlipFacts],
    dimensions: Iterable[str],
    *,
    top: int = TOP_RISES,
    min_answers: int = MIN_VALUE_ANSWERS,
) -> Highlights:
    """The highlights of an edition from its placed technologies."""
    listed = list(blips)

    def moved(kind: str) -> list[BlipFacts]:
        return sorted((b for b in listed if b.movement == kind), key=_by_ring_then_name)

    return Highlights(
        new=moved(p.NEW),
        moved_in=moved(p.MOVED_IN),
        moved_out=moved(p.MOVED_OUT),
        rises=largest_rises(listed, top),
        best_value=best_value(listed, dimensions, min_answers),
    )
