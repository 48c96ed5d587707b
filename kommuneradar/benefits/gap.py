"""The labour-gap dashboard's arithmetic (pure, no Django).

All FTE figures are full-time equivalents freed per year (1,924 hours each). A figure
resting on fewer than UNCERTAIN_BELOW projects is marked uncertain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import finance

UNCERTAIN_BELOW = 3

# KL's projection: the municipalities expect to lack 44,000 employees in the public sector
# by 2030, counted as the extra staff needed to keep the same number of employees per user.
LABOUR_GAP_EMPLOYEES = 44_000
LABOUR_GAP_YEAR = 2030


@dataclass(frozen=True)
class ProjectFact:
    """One project as the dashboard needs it. Expected FTE come from the business case
    (0 and has_business_case False without one); realised FTE from the latest follow-up
    (None when never measured)."""

    project_id: int
    technology: str
    domain: str
    region: str
    has_business_case: bool
    expected_fte: float
    expected_fte_pessimistic: float
    expected_fte_optimistic: float
    realised_fte: float | None


@dataclass(frozen=True)
class GroupTotal:
    """Sums over the projects in one group, with the number of projects behind each sum.

    `expected_fte_of_measured` is the expected FTE of just the measured projects, so that
    realised can be compared with what the same projects promised."""

    label: str
    projects: int
    expected_projects: int
    expected_fte: float
    expected_fte_pessimistic: float
    expected_fte_optimistic: float
    measured_projects: int
    realised_fte: float
    expected_fte_of_measured: float

    @property
    def expected_uncertain(self) -> bool:
        return self.expected_projects < UNCERTAIN_BELOW

    @property
    def realised_uncertain(self) -> bool:
        return self.measured_projects < UNCERTAIN_BELOW

    @property
    def realisation_share(self) -> float | None:
        """Realised FTE as a share of what the measured projects expected (0..1 or more)."""
        if self.expected_fte_of_measured <= 0:
            return None
        return self.realised_fte / self.expected_fte_of_measured


def total(facts: Iterable[ProjectFact], label: str = "") -> GroupTotal:
    """The sums over all `facts`."""
    projects = expected_projects = measured = 0
    expected = pessimistic = optimistic = realised = expected_of_measured = 0.0
    for fact in facts:
        projects += 1
        if fact.has_business_case:
            expected_projects += 1
            expected += fact.expected_fte
            pessimistic += fact.expected_fte_pessimistic
            optimistic += fact.expected_fte_optimistic
        if fact.realised_fte is not None:
            measured += 1
            realised += fact.realised_fte
            expected_of_measured += fact.expected_fte
    return GroupTotal(
        label=label,
        projects=projects,
        expected_projects=expected_projects,
        expected_fte=expected,
        expected_fte_pessimistic=pessimistic,
        expected_fte_optimistic=optimistic,
        measured_projects=measured,
        realised_fte=realised,
        expected_fte_of_measured=expected_of_measured,
    )


def totals_by(facts: Iterable[ProjectFact], key: Callable[[ProjectFact], str]) -> list[GroupTotal]:
    """One GroupTotal per value of `key`, largest realised FTE first, then by label."""
    groups: dict[str, list[ProjectFact]] = defaultdict(list)
    for fact in facts:
        groups[key(fact)].append(fact)
    rows = [total(members, label) for label, members in groups.items()]
    return sorted(rows, key=lambda row: (-row.realised_fte, -row.expected_fte, row.label))


@dataclass(frozen=True)
class PotentialRow:
    """The FTE freed per year if every municipality gained the median realised gain of
    one technology. None where no project has measured a gain."""

    technology_id: int
    technology: str
    median_fte_per_1000: float | None
    measured_projects: int
    potential_fte: float | None

    @property
    def uncertain(self) -> bool:
        return self.measured_projects < UNCERTAIN_BELOW


@dataclass(frozen=True)
class Potential:
    rows: list[PotentialRow]
    population: int
    total_fte: float
    measured_projects: int
    technologies_without_measurement: int

    @property
    def uncertain(self) -> bool:
        return self.measured_projects < UNCERTAIN_BELOW


def potential(
    ready_technologies: Iterable[tuple[int, str]],
    gains: dict[int, tuple[float, int]],
    population: int,
) -> Potential:
    """The potential of the READY technologies for a population of `population`
    inhabitants, from each technology's (median FTE per 1,000 inhabitants, projects)."""
    rows = []
    for technology_id, label in ready_technologies:
        gain = gains.get(technology_id)
        if gain is None:
            rows.append(PotentialRow(technology_id, label, None, 0, None))
            continue
        median_per_1000, count = gain
        rows.append(
            PotentialRow(
                technology_id,
                label,
                median_per_1000,
                count,
                finance.potential_fte(median_per_1000, population),
            )
        )
    rows.sort(key=lambda row: (-(row.potential_fte or -1.0), row.technology))
    return Potential(
        rows=rows,
        population=population,
        total_fte=sum(row.potential_fte or 0.0 for row in rows),
        measured_projects=sum(row.measured_projects for row in rows),
        technologies_without_measurement=sum(1 for row in rows if row.potential_fte is None),
    )
