"""The whole adoption pipeline of a technology: how many municipalities are at each stage
(pure functions, no Django).

A municipality counts once per scope: in one domain by its answer there, over all domains
by its most advanced answer (the same rule as the all-domains radar)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kommuneradar.surveys import vocabulary as v

# The order a reader follows the pipeline in: from use back to no interest, then the ones
# that stopped.
PIPELINE_ORDER: tuple[str, ...] = (
    v.IN_OPERATION,
    v.SCALED,
    v.PILOTING,
    v.CONSIDERING,
    v.NOT_CONSIDERING,
    v.NOT_RELEVANT,
    v.DISCONTINUED,
)


@dataclass(frozen=True)
class StageCounts:
    """Municipalities at each stage (in PIPELINE_ORDER) and how many answered at all."""

    counts: tuple[int, ...]

    @property
    def respondents(self) -> int:
        return sum(self.counts)

    def of(self, stage: str) -> int:
        return self.counts[PIPELINE_ORDER.index(stage)]

    @property
    def cells(self) -> list[tuple[str, int]]:
        return list(zip(PIPELINE_ORDER, self.counts, strict=True))


def most_advanced(stages: Iterable[str]) -> str:
    """The most advanced of a municipality's stages (vocabulary.ADVANCEMENT)."""
    return max(stages, key=lambda stage: v.ADVANCEMENT[stage])


def stage_counts(answers: Iterable[tuple[str, str]]) -> StageCounts:
    """Count (municipality, stage) answers, each municipality once at its most advanced
    stage."""
    by_municipality: dict[str, list[str]] = {}
    for municipality, stage in answers:
        by_municipality.setdefault(municipality, []).append(stage)
    tally = dict.fromkeys(PIPELINE_ORDER, 0)
    for stages in by_municipality.values():
        tally[most_advanced(stages)] += 1
    return StageCounts(tuple(tally[stage] for stage in PIPELINE_ORDER))
