"""The labour-gap dashboard's arithmetic (pure, no Django).

All FTE figures are full-time equivalents freed per year (1,924 hours each). A figure
resting on fewer than UNCERTAIN_BELOW projects is marked uncertain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kommuneradar.surveys import vocabulary

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


# A municipality's standing with one technology in one survey round (all domains together).
USING = "using"
NOT_USING = "not_using"
NOT_RELEVANT = "not_relevant"
UNKNOWN = "unknown"


def standing(stages: Collection[str]) -> str:
    """What a municipality's answers about one technology in one round say, across its
    domains: USING if any answer is in operation or scaled; NOT_RELEVANT if every answer
    is "not relevant"; UNKNOWN without any answer; NOT_USING otherwise (considering,
    piloting, not considering, discontinued)."""
    if not stages:
        return UNKNOWN
    if any(stage in vocabulary.USING_STAGES for stage in stages):
        return USING
    if all(stage == vocabulary.NOT_RELEVANT for stage in stages):
        return NOT_RELEVANT
    return NOT_USING


@dataclass(frozen=True)
class PotentialRow:
    """The additional FTE freed per year if the municipalities that answered the survey and
    do not yet use one technology gained what the measured projects gained, per inhabitant.

    Gains are realised FTE freed per year per 1,000 inhabitants, one per measured project:
    the median, and the lower and upper quartile as the range. The potential figures are
    None where no project has measured a gain."""

    technology_id: int
    technology: str
    measured_projects: int
    median_fte_per_1000: float | None
    low_fte_per_1000: float | None
    high_fte_per_1000: float | None
    users: int
    non_users: int
    not_relevant: int
    unknown: int
    non_user_population: int
    potential_fte: float | None
    potential_fte_low: float | None
    potential_fte_high: float | None

    @property
    def uncertain(self) -> bool:
        return self.measured_projects < UNCERTAIN_BELOW

    @property
    def in_headline(self) -> bool:
        """Only technologies with at least UNCERTAIN_BELOW measured projects count in the
        headline total."""
        return not self.uncertain


@dataclass(frozen=True)
class Potential:
    """The headline: the sum over the READY technologies with enough measured projects
    (`rows`); `apart` holds the others, shown but not added up."""

    rows: list[PotentialRow]
    apart: list[PotentialRow]
    total_fte: float
    total_fte_low: float
    total_fte_high: float

    @property
    def all_rows(self) -> list[PotentialRow]:
        return self.rows + self.apart

    @property
    def measured_projects(self) -> int:
        """Measured projects behind the headline total."""
        return sum(row.measured_projects for row in self.rows)

    @property
    def technologies_without_measurement(self) -> int:
        return sum(1 for row in self.apart if row.measured_projects == 0)


def potential_row(
    technology_id: int,
    label: str,
    gains_per_1000: Sequence[float],
    populations: Mapping[int, int],
    stages: Mapping[int, Collection[str]],
) -> PotentialRow:
    """One READY technology's additional potential.

    `gains_per_1000`: realised FTE freed per year per 1,000 inhabitants, one per measured
    project; `populations`: inhabitants of every municipality by id; `stages`: each
    municipality's answers about the technology in the round (absent: did not answer).
    Only municipalities that answered and neither use the technology nor call it not
    relevant count: potential = gain per 1,000 x their inhabitants / 1,000."""
    counts = {USING: 0, NOT_USING: 0, NOT_RELEVANT: 0, UNKNOWN: 0}
    non_user_population = 0
    for municipality_id, population in populations.items():
        found = standing(stages.get(municipality_id, ()))
        counts[found] += 1
        if found == NOT_USING:
            non_user_population += population
    spread = finance.quartiles(gains_per_1000)
    low = middle = high = None
    if spread is not None:
        low, middle, high = spread
    return PotentialRow(
        technology_id=technology_id,
        technology=label,
        measured_projects=len(gains_per_1000),
        median_fte_per_1000=middle,
        low_fte_per_1000=low,
        high_fte_per_1000=high,
        users=counts[USING],
        non_users=counts[NOT_USING],
        not_relevant=counts[NOT_RELEVANT],
        unknown=counts[UNKNOWN],
        non_user_population=non_user_population,
        potential_fte=_scaled(middle, non_user_population),
        potential_fte_low=_scaled(low, non_user_population),
        potential_fte_high=_scaled(high, non_user_population),
    )


def _scaled(per_1000: float | None, population: int) -> float | None:
    return None if per_1000 is None else finance.potential_fte(per_1000, population)


def potential(
    ready_technologies: Iterable[tuple[int, str]],
    gains: Mapping[int, Sequence[float]],
    populations: Mapping[int, int],
    stages: Mapping[tuple[int, int], Collection[str]],
) -> Potential:
    """The additional potential of the READY technologies, in FTE freed per year.

    `gains`: technology id -> realised FTE freed per year per 1,000 inhabitants of each
    measured project; `populations`: municipality id -> inhabitants; `stages`: (technology
    id, municipality id) -> the municipality's answers in the round. The headline total
    and its range (sum of the lower and of the upper quartile figures) add up only the
    technologies with at least UNCERTAIN_BELOW measured projects."""
    by_technology: dict[int, dict[int, Collection[str]]] = defaultdict(dict)
    for (technology_id, municipality_id), answered in stages.items():
        by_technology[technology_id][municipality_id] = answered
    rows = [
        potential_row(
            technology_id,
            label,
            gains.get(technology_id, ()),
            populations,
            by_technology.get(technology_id, {}),
        )
        for technology_id, label in ready_technologies
    ]
    rows.sort(key=lambda row: (-(row.potential_fte or 0.0), -row.measured_projects, row.technology))
    headline = [row for row in rows if row.in_headline]
    return Potential(
        rows=headline,
        apart=[row for row in rows if not row.in_headline],
        total_fte=sum(row.potential_fte or 0.0 for row in headline),
        total_fte_low=sum(row.potential_fte_low or 0.0 for row in headline),
        total_fte_high=sum(row.potential_fte_high or 0.0 for row in headline),
    )
