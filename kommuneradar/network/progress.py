"""Progress through a partnership programme's milestones (pure, no Django).

A participant works through the milestones of a track in order: decision, pilot, in
operation, scaled, gains measured. Reaching a later milestone counts as having passed
the earlier ones, even if their dates were not recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DECISION = "decision"
PILOT = "pilot"
IN_OPERATION = "in_operation"
SCALED = "scaled"
GAINS_MEASURED = "gains_measured"
MILESTONES: tuple[str, ...] = (DECISION, PILOT, IN_OPERATION, SCALED, GAINS_MEASURED)


def furthest(reached: Iterable[str]) -> str | None:
    """The furthest milestone among those reached (unknown codes are ignored)."""
    positions = [MILESTONES.index(kind) for kind in reached if kind in MILESTONES]
    return MILESTONES[max(positions)] if positions else None


def completion(reached: Iterable[str]) -> float:
    """Share 0..1 of the milestones passed: the furthest one's position over all."""
    last = furthest(reached)
    return 0.0 if last is None else (MILESTONES.index(last) + 1) / len(MILESTONES)


@dataclass(frozen=True)
class MilestoneCount:
    """How many of `participants` have reached `milestone` or a later one."""

    milestone: str
    reached: int
    participants: int

    @property
    def share(self) -> float | None:
        """reached / participants (0..1), None without participants."""
        return self.reached / self.participants if self.participants else None


def milestone_counts(furthest_per_participant: Iterable[str | None]) -> list[MilestoneCount]:
    """For each milestone, how many participants have reached at least it."""
    positions = [
        -1 if kind is None or kind not in MILESTONES else MILESTONES.index(kind)
        for kind in furthest_per_participant
    ]
    total = len(positions)
    return [
        MilestoneCount(kind, sum(1 for p in positions if p >= index), total)
        for index, kind in enumerate(MILESTONES)
    ]
