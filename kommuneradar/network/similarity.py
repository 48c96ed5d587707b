"""Who resembles whom, who can teach whom, and what to try next (pure, no Django).

Similarity of two municipalities is a share 0..1 built from three parts:
- size: population compared on a log scale (a municipality ten times larger is not
  similar at all in size, one of the same size fully);
- region: 1 when both lie in the same region, else 0;
- portfolio: the overlap (Jaccard share) of the technologies each has in use.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kommuneradar.radar.placement import RINGS

SAME_STAGE = "same_stage"
SIMILAR_SIZE = "similar_size"
SAME_REGION = "same_region"
SHARED_PORTFOLIO = "shared_portfolio"
DOCUMENTED_VALUE = "documented_value"
REASONS: tuple[str, ...] = (
    SAME_STAGE,
    SIMILAR_SIZE,
    SAME_REGION,
    SHARED_PORTFOLIO,
    DOCUMENTED_VALUE,
)

# Two populations within this factor of each other count as "similar size".
SIMILAR_SIZE_FACTOR = 1.5
# An overlap of technologies in use from this share counts as "shared portfolio".
SHARED_PORTFOLIO_FROM = 0.5

BASIS_GAIN_AND_PEERS = "gain_and_peers"
BASIS_PEERS_ONLY = "peers_only"

RING_ORDER = {ring: order for order, ring in enumerate(RINGS)}


@dataclass(frozen=True)
class Place:
    """What similarity needs to know about one municipality: its code, population
    (inhabitants), region code and the ids of the technologies it has in use."""

    code: str
    population: int
    region: str
    portfolio: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Weights:
    """How much each part counts (any non-negative numbers, normalised by their sum) and
    the log10 distance at which size similarity reaches 0 (1.0 = a factor of ten)."""

    size: float = 0.5
    region: float = 0.2
    portfolio: float = 0.3
    size_span: float = 1.0


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Match:
    """Another municipality ranked for a target: similarity 0..1 and why it was chosen."""

    code: str
    similarity: float
    reasons: tuple[str, ...]
    documented: bool = False


def size_similarity(population_a: int, population_b: int, span: float = 1.0) -> float:
    """1 for equal populations, falling linearly with the distance of their base-10
    logarithms to 0 at `span`. Populations below 1 count as 1 inhabitant."""
    distance = abs(math.log10(max(population_a, 1)) - math.log10(max(population_b, 1)))
    return max(0.0, 1.0 - distance / span) if span > 0 else float(distance == 0)


def portfolio_overlap(a: frozenset[int], b: frozenset[int]) -> float:
    """Jaccard share of technologies in use: shared / in use by either (two empty
    portfolios are identical, 1.0)."""
    either = a | b
    if not either:
        return 1.0
    return len(a & b) / len(either)


def similarity(a: Place, b: Place, weights: Weights = DEFAULT_WEIGHTS) -> float:
    """Weighted similarity 0..1 of two municipalities; symmetric, and 1 for itself."""
    total = weights.size + weights.region + weights.portfolio
    if total <= 0:
        return 1.0 if a == b else 0.0
    combined = (
        weights.size * size_similarity(a.population, b.population, weights.size_span)
        + weights.region * (1.0 if a.region == b.region else 0.0)
        + weights.portfolio * portfolio_overlap(a.portfolio, b.portfolio)
    )
    return min(1.0, max(0.0, combined / total))


def is_similar_size(population_a: int, population_b: int) -> bool:
    """Populations within SIMILAR_SIZE_FACTOR of each other."""
    low, high = sorted((max(population_a, 1), max(population_b, 1)))
    return high <= low * SIMILAR_SIZE_FACTOR


def reasons_for(
    target: Place, other: Place, *, same_stage: bool = False, documented: bool = False
) -> tuple[str, ...]:
    """The reasons to show for pairing `other` with `target`, in REASONS order."""
    found = {
        SAME_STAGE: same_stage,
        SIMILAR_SIZE: is_similar_size(target.population, other.population),
        SAME_REGION: target.region == other.region,
        SHARED_PORTFOLIO: bool(target.portfolio | other.portfolio)
        and portfolio_overlap(target.portfolio, other.portfolio) >= SHARED_PORTFOLIO_FROM,
        DOCUMENTED_VALUE: documented,
    }
    return tuple(reason for reason in REASONS if found[reason])


def rank_by_similarity(
    target: Place, places: Iterable[Place], weights: Weights = DEFAULT_WEIGHTS
) -> list[Match]:
    """Every place, most similar first; the target itself (if present) leads, ties then
    go by code so the order is stable."""
    scored = [
        Match(place.code, similarity(target, place, weights), reasons_for(target, place))
        for place in places
    ]
    scored.sort(key=lambda m: (-m.similarity, m.code != target.code, m.code))
    return scored


def size_group(target: Place, places: Iterable[Place], size: int) -> list[Place]:
    """The `size` other municipalities nearest in population on a log scale."""
    others = [p for p in places if p.code != target.code]
    others.sort(
        key=lambda p: (
            abs(math.log10(max(p.population, 1)) - math.log10(max(target.population, 1))),
            p.code,
        )
    )
    return others[: max(size, 0)]


def mentors(
    target: Place,
    places: Iterable[Place],
    users: Iterable[str],
    documented: Iterable[str] = (),
    limit: int | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[Match]:
    """Municipalities that use the technology (codes in `users`), never the target:
    those with documented realised value first, then by similarity."""
    using = set(users)
    evidenced = set(documented)
    found = [
        Match(
            place.code,
            similarity(target, place, weights),
            reasons_for(target, place, documented=place.code in evidenced),
            place.code in evidenced,
        )
        for place in places
        if place.code in using and place.code != target.code
    ]
    found.sort(key=lambda m: (not m.documented, -m.similarity, m.code))
    return found if limit is None else found[:limit]


def peers(
    target: Place,
    places: Iterable[Place],
    stages: Mapping[str, str],
    target_stage: str,
    limit: int | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[Match]:
    """Municipalities at the same stage as the target (by code in `stages`), most
    similar first, never the target."""
    found = [
        Match(
            place.code,
            similarity(target, place, weights),
            reasons_for(target, place, same_stage=True),
        )
        for place in places
        if place.code != target.code and stages.get(place.code) == target_stage
    ]
    found.sort(key=lambda m: (-m.similarity, m.code))
    return found if limit is None else found[:limit]


@dataclass(frozen=True)
class Candidate:
    """A technology the municipality does not use, with the evidence for trying it.

    similar_users of similar_count similar municipalities use it; gain_per_1000 is the
    median realised FTE freed per year per 1,000 inhabitants over gain_projects
    measured projects (None when nothing has been measured)."""

    technology_id: int
    ring: str
    similar_users: int
    similar_count: int
    gain_per_1000: float | None = None
    gain_projects: int = 0


@dataclass(frozen=True)
class Recommendation:
    """A ranked candidate: share 0..1 of similar municipalities using it, expected FTE
    freed per year for this municipality (None without measured gains), score 0..1 and
    the basis the score rests on."""

    candidate: Candidate
    similar_share: float
    expected_fte: float | None
    score: float
    basis: str


def expected_fte(gain_per_1000: float, population: int) -> float:
    """FTE freed per year for a municipality of `population` inhabitants at a realised
    rate of `gain_per_1000` FTE per year per 1,000 inhabitants."""
    return gain_per_1000 * max(population, 0) / 1000


def recommend(candidates: Iterable[Candidate], population: int) -> list[Recommendation]:
    """Rank candidates. Where any candidate has measured gains, the score is half the
    share of similar municipalities using it and half its expected FTE relative to the
    best candidate (0 for unmeasured ones); otherwise the share alone. Ties: KLAR before
    AFPRØV, then more similar users, then technology id."""
    listed = list(candidates)
    expected = {
        c.technology_id: expected_fte(c.gain_per_1000, population)
        for c in listed
        if c.gain_per_1000 is not None and c.gain_projects > 0
    }
    best = max((value for value in expected.values() if value > 0), default=0.0)
    basis = BASIS_GAIN_AND_PEERS if expected else BASIS_PEERS_ONLY
    ranked = []
    for candidate in listed:
        share = (
            candidate.similar_users / candidate.similar_count if candidate.similar_count else 0.0
        )
        share = min(1.0, max(0.0, share))
        fte = expected.get(candidate.technology_id)
        if basis == BASIS_GAIN_AND_PEERS:
            relative = (max(fte, 0.0) / best) if fte is not None and best > 0 else 0.0
            score = 0.5 * share + 0.5 * relative
        else:
            score = share
        ranked.append(Recommendation(candidate, share, fte, score, basis))
    ranked.sort(
        key=lambda r: (
            -r.score,
            RING_ORDER.get(r.candidate.ring, 9),
            -r.candidate.similar_users,
            r.candidate.technology_id,
        )
    )
    return ranked
