"""Placement of technologies on the radar (pure functions, no Django).

Every rule here is BRIEF.md's: diffusion is the share of responding municipalities
that have the technology in operation or scaled (not-relevant answers excluded from
the denominator) with a Wilson 95% interval; maturity is the expert rating mapped to
0..1; the placement score is their mean; rings follow the score; a placement whose
interval straddles a ring boundary is uncertain; too few respondents suppress it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kommuneradar.surveys import vocabulary as v

KLAR, AFPROEV, HOLD_OEJE, AFVENT = "klar", "afproev", "hold_oeje", "afvent"
RINGS: tuple[str, ...] = (KLAR, AFPROEV, HOLD_OEJE, AFVENT)  # innermost first

NEW, MOVED_IN, MOVED_OUT, UNCHANGED = "new", "moved_in", "moved_out", "unchanged"

Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Rules:
    """The analysts' settings for placement; the defaults are BRIEF.md's."""

    klar_from: float = 0.75
    afproev_from: float = 0.50
    hold_oeje_from: float = 0.25
    min_respondents: int = 5
    z: float = Z_95

    def __post_init__(self) -> None:
        if not 0 < self.hold_oeje_from < self.afproev_from < self.klar_from <= 1:
            raise ValueError("ring thresholds must rise strictly within (0, 1]")
        if self.min_respondents < 1:
            raise ValueError("at least one respondent is needed to place a technology")


@dataclass(frozen=True)
class AnswerFact:
    """One municipality's answer about one technology (in one domain, or combined)."""

    municipality: str
    stage: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StageTally:
    """The answers at one stage about one technology (in one domain, or combined), as the
    database counts them (`GROUP BY` stage): how many, and per value dimension how many gave
    a value at all (`answered`) and how many of those reported some or large value
    (`positive`). Placement needs no more than this."""

    stage: str
    count: int
    answered: Mapping[str, int] = field(default_factory=dict)
    positive: Mapping[str, int] = field(default_factory=dict)


def tallies(answers: Iterable[AnswerFact]) -> list[StageTally]:
    """Count answers by stage, as the database does."""
    by_stage: dict[str, list[AnswerFact]] = {}
    for answer in answers:
        by_stage.setdefault(answer.stage, []).append(answer)
    return [
        StageTally(
            stage,
            len(group),
            {d: sum(1 for a in group if a.values.get(d, "")) for d in v.DIMENSIONS},
            {
                d: sum(1 for a in group if a.values.get(d, "") in v.POSITIVE_VALUES)
                for d in v.DIMENSIONS
            },
        )
        for stage, group in by_stage.items()
    ]


@dataclass(frozen=True)
class Diffusion:
    """Users among respondents: `share` in 0..1 with its Wilson interval [low, high]."""

    users: int
    respondents: int
    share: float
    low: float
    high: float


@dataclass(frozen=True)
class ValueShare:
    """For one value dimension: how many users report some or large value (of how many
    answered), and how many of the not-yet-users expect it (of how many answered)."""

    experienced: int
    experienced_of: int
    expected: int
    expected_of: int

    @property
    def experienced_share(self) -> float | None:
        return self.experienced / self.experienced_of if self.experienced_of else None

    @property
    def expected_share(self) -> float | None:
        return self.expected / self.expected_of if self.expected_of else None


@dataclass(frozen=True)
class Placement:
    """A technology's computed position; `ring` is None when suppressed."""

    diffusion: Diffusion
    maturity: float
    score: float | None
    ring: str | None
    uncertain: bool
    suppressed: bool
    value_profile: Mapping[str, ValueShare]


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a binomial share; (0, 1) when there is no observation."""
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, min(centre - half, p)), min(1.0, max(centre + half, p))


# An answer as one small integer, so that the database can count and pick answers with
# integer arithmetic alone: its stage's advancement (vocabulary.ADVANCEMENT), then per value
# dimension 0 (no value), 1 (a value, neither some nor large) or 2 (some or large value).
VALUE_LEVELS = 3
VALUE_CODES: int = VALUE_LEVELS ** len(v.DIMENSIONS)
# Across domains, a municipality's answer is picked by the largest `pick_key`: the most
# advanced stage, then the domain that comes first (rank 0 first), of at most MAX_RANKS.
MAX_RANKS = 1024
STAGE_AT_ADVANCEMENT = {rank: stage for stage, rank in v.ADVANCEMENT.items()}


def value_level(value: str) -> int:
    """0 for no value, 2 for some or large value, 1 for any other value."""
    if not value:
        return 0
    return 2 if value in v.POSITIVE_VALUES else 1


def answer_class(stage: str, values: Mapping[str, str]) -> int:
    """The answer's stage and value levels as one integer in 0..7*27-1."""
    code = v.ADVANCEMENT[stage]
    for dimension in v.DIMENSIONS:
        code = code * VALUE_LEVELS + value_level(values.get(dimension, ""))
    return code


def pick_key(answer_class_: int, rank: int) -> int:
    """An answer's key for picking one answer per municipality across domains: a larger key
    is a more advanced stage or, at the same stage, a domain of lower `rank`."""
    if not 0 <= rank < MAX_RANKS:
        raise ValueError(f"a domain's rank is 0..{MAX_RANKS - 1}, got {rank}")
    advancement, value_code = divmod(answer_class_, VALUE_CODES)
    return (advancement * MAX_RANKS + MAX_RANKS - 1 - rank) * VALUE_CODES + value_code


def class_of_key(key: int) -> int:
    """The answer class a `pick_key` was made from."""
    rest, value_code = divmod(key, VALUE_CODES)
    return rest // MAX_RANKS * VALUE_CODES + value_code


def tallies_from_classes(counted: Iterable[tuple[int, int]]) -> list[StageTally]:
    """Answers counted by `answer_class` ((class, count) pairs, a class may come more than
    once) as `tallies` counts them: one StageTally per stage."""
    by_stage: dict[str, list[int]] = {}
    for code, count in counted:
        advancement, value_code = divmod(code, VALUE_CODES)
        sums = by_stage.setdefault(
            STAGE_AT_ADVANCEMENT[advancement], [0] * (1 + 2 * len(v.DIMENSIONS))
        )
        sums[0] += count
        levels = []
        for _dimension in v.DIMENSIONS:
            value_code, level = divmod(value_code, VALUE_LEVELS)
            levels.append(level)
        for index, level in enumerate(reversed(levels)):
            if level:
                sums[1 + index] += count
            if level == 2:
                sums[1 + len(v.DIMENSIONS) + index] += count
    width = len(v.DIMENSIONS)
    return [
        StageTally(
            stage,
            sums[0],
            dict(zip(v.DIMENSIONS, sums[1 : 1 + width], strict=True)),
            dict(zip(v.DIMENSIONS, sums[1 + width :], strict=True)),
        )
        for stage, sums in by_stage.items()
    ]


def diffusion_share(answers: Iterable[AnswerFact], z: float = Z_95) -> Diffusion:
    """Share of responding municipalities using the technology; not-relevant answers are
    left out of the denominator."""
    return diffusion_of(tallies(answers), z)


def diffusion_of(counted: Iterable[StageTally], z: float = Z_95) -> Diffusion:
    """`diffusion_share` from answers counted by stage."""
    respondents = 0
    users = 0
    for tally in counted:
        if tally.stage == v.NOT_RELEVANT:
            continue
        respondents += tally.count
        if tally.stage in v.USING_STAGES:
            users += tally.count
    share = users / respondents if respondents else 0.0
    low, high = wilson_interval(users, respondents, z)
    return Diffusion(users, respondents, share, low, high)


def maturity_from_rating(rating: int) -> float:
    """Map the expert rating 1..9 to 0..1."""
    if not 1 <= rating <= 9:
        raise ValueError(f"a maturity rating is 1-9, got {rating}")
    return (rating - 1) / 8


def placement_score(maturity: float, diffusion: float) -> float:
    """The mean of maturity and diffusion share, both 0..1."""
    return (maturity + diffusion) / 2


def ring_for_score(score: float, rules: Rules = Rules()) -> str:
    if score >= rules.klar_from:
        return KLAR
    if score >= rules.afproev_from:
        return AFPROEV
    if score >= rules.hold_oeje_from:
        return HOLD_OEJE
    return AFVENT


def value_profile(answers: Iterable[AnswerFact]) -> dict[str, ValueShare]:
    """Per dimension: users reporting some/large value, non-users expecting it.

    Blank value answers are left out; "don't know" counts in the denominator.
    """
    return value_profile_of(tallies(answers))


def value_profile_of(counted: Iterable[StageTally]) -> dict[str, ValueShare]:
    """`value_profile` from answers counted by stage."""
    counts = {dimension: [0, 0, 0, 0] for dimension in v.DIMENSIONS}
    for tally in counted:
        if tally.stage in v.USING_STAGES:
            offset = 0
        elif tally.stage in v.EXPECTATION_STAGES:
            offset = 2
        else:
            continue
        for dimension in v.DIMENSIONS:
            counts[dimension][offset] += tally.positive.get(dimension, 0)
            counts[dimension][offset + 1] += tally.answered.get(dimension, 0)
    return {dimension: ValueShare(*c) for dimension, c in counts.items()}


def combine_domains(answers: Sequence[AnswerFact]) -> AnswerFact:
    """One municipality's answers about a technology across domains, as one answer:
    the most advanced stage counts (the first given wins a tie)."""
    if not answers:
        raise ValueError("nothing to combine")
    best = answers[0]
    for answer in answers[1:]:
        if v.is_more_advanced(answer.stage, best.stage):
            best = answer
    return best


def combine_by_municipality(answers: Iterable[AnswerFact]) -> list[AnswerFact]:
    """Reduce answers from several domains to one per municipality."""
    grouped: dict[str, list[AnswerFact]] = {}
    for answer in answers:
        grouped.setdefault(answer.municipality, []).append(answer)
    return [combine_domains(group) for _code, group in sorted(grouped.items())]


def place(answers: Sequence[AnswerFact], rating: int, rules: Rules = Rules()) -> Placement:
    """Place one technology from one municipality-level answer per municipality."""
    return place_counted(tallies(answers), rating, rules)


def place_counted(counted: Sequence[StageTally], rating: int, rules: Rules = Rules()) -> Placement:
    """`place` from the answers counted by stage (what the database hands over)."""
    diffusion = diffusion_of(counted, rules.z)
    maturity = maturity_from_rating(rating)
    profile = value_profile_of(counted)
    if diffusion.respondents < rules.min_respondents:
        return Placement(diffusion, maturity, None, None, False, True, profile)
    score = placement_score(maturity, diffusion.share)
    ring = ring_for_score(score, rules)
    lowest = ring_for_score(placement_score(maturity, diffusion.low), rules)
    highest = ring_for_score(placement_score(maturity, diffusion.high), rules)
    return Placement(diffusion, maturity, score, ring, lowest != highest, False, profile)


def movement(previous_ring: str | None, current_ring: str) -> str:
    """Movement against the previous edition of the same domain."""
    if previous_ring is None:
        return NEW
    before, now = RINGS.index(previous_ring), RINGS.index(current_ring)
    if now < before:
        return MOVED_IN
    if now > before:
        return MOVED_OUT
    return UNCHANGED
