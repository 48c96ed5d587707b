"""The arithmetic of a business case and of realised gains (pure, no Django).

Units: money in DKK, hours in hours per year, FTE (årsværk) in full-time equivalents
of 1,924 hours a year, rates as shares (0.035 is 3.5 %), time in years.

A business case's cash flow is: the one-off cost at the start (year 0), then in each
year 1..horizon the yearly DKK gain minus the yearly running cost. Hours freed are
reported as FTE beside the money and are not priced into the net present value:
freed hours are staff time moved to other work, not cash.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import SupportsFloat

HOURS_PER_FTE = 1924.0
DEFAULT_DISCOUNT_RATE = 0.035
DEFAULT_HORIZON_YEARS = 5
MAX_DISCOUNT_RATE = 0.20

PESSIMISTIC = "pessimistic"
LIKELY = "likely"
OPTIMISTIC = "optimistic"
SCENARIOS = (PESSIMISTIC, LIKELY, OPTIMISTIC)

# What can be wrong with a three-point estimate (ThreePoint.problems).
PESSIMISTIC_BETTER = "pessimistic_better"
OPTIMISTIC_WORSE = "optimistic_worse"

# The four estimates a business case states, by their field name, and whether more is
# better (a gain) or worse (a cost).
ESTIMATES: dict[str, bool] = {
    "one_off_cost": False,
    "running_cost": False,
    "gain_dkk": True,
    "hours_freed": True,
}


def scenario_field(estimate: str, scenario: str) -> str:
    """The field holding one scenario's value of an estimate: `hours_freed` for the
    likely value, `hours_freed_pessimistic` and `hours_freed_optimistic` for the others."""
    return estimate if scenario == LIKELY else f"{estimate}_{scenario}"


# Every field of the estimates, each likely value before its pessimistic and optimistic.
ESTIMATE_FIELDS: tuple[str, ...] = tuple(
    scenario_field(estimate, scenario)
    for estimate in ESTIMATES
    for scenario in (LIKELY, PESSIMISTIC, OPTIMISTIC)
)


def fte_freed(hours_per_year: float, hours_per_fte: float = HOURS_PER_FTE) -> float:
    """Full-time equivalents freed by `hours_per_year` hours (hours / 1,924 by default)."""
    if hours_per_fte <= 0:
        raise ValueError("hours_per_fte must be positive")
    return hours_per_year / hours_per_fte


def discount_factor(rate: float, year: int) -> float:
    """The present value in DKK of 1 DKK received at the end of `year` at real `rate`."""
    if rate <= -1:
        raise ValueError("rate must be above -100 %")
    return float((1.0 + rate) ** -year)


def net_present_value(
    one_off_cost: float,
    yearly_running_cost: float,
    yearly_gain: float,
    rate: float = DEFAULT_DISCOUNT_RATE,
    horizon_years: int = DEFAULT_HORIZON_YEARS,
) -> float:
    """Net present value in DKK: -one_off + sum over years 1..horizon of
    (yearly_gain - yearly_running_cost) / (1 + rate) ** year."""
    if horizon_years < 0:
        raise ValueError("horizon_years must not be negative")
    net_yearly = yearly_gain - yearly_running_cost
    annuity = sum(discount_factor(rate, year) for year in range(1, horizon_years + 1))
    return -one_off_cost + net_yearly * annuity


def payback_years(
    one_off_cost: float, yearly_running_cost: float, yearly_gain: float
) -> float | None:
    """Simple (undiscounted) payback time in years: one_off / (gain - running).

    None when the yearly net gain is zero or negative: the project never pays back.
    Zero when there is no one-off cost and the net gain is positive."""
    net_yearly = yearly_gain - yearly_running_cost
    if net_yearly <= 0:
        return None
    return max(one_off_cost, 0.0) / net_yearly


def citizens_served_change(
    before_per_fte: float | None, after_per_fte: float | None
) -> float | None:
    """Relative change in citizens served per FTE (0.25 means 25 % more with the same staff).

    None when either figure is missing or the figure before is zero."""
    if before_per_fte is None or after_per_fte is None or before_per_fte <= 0:
        return None
    return after_per_fte / before_per_fte - 1.0


@dataclass(frozen=True)
class ThreePoint:
    """A three-point estimate. For costs the pessimistic value is the highest, for gains
    the lowest; `likely` is always required, the others default to it."""

    pessimistic: float
    likely: float
    optimistic: float

    @classmethod
    def of(
        cls,
        likely: SupportsFloat,
        pessimistic: SupportsFloat | None = None,
        optimistic: SupportsFloat | None = None,
    ) -> ThreePoint:
        """The estimate as stated: a blank pessimistic or optimistic value is the likely one."""
        middle = float(likely)
        return cls(
            middle if pessimistic is None else float(pessimistic),
            middle,
            middle if optimistic is None else float(optimistic),
        )

    def problems(self, more_is_better: bool) -> dict[str, str]:
        """The scenarios that contradict the likely value, each with its problem code: a
        pessimistic value better than the likely one, an optimistic value worse. More is
        better for a gain and worse for a cost."""
        found: dict[str, str] = {}
        if self.pessimistic > self.likely if more_is_better else self.pessimistic < self.likely:
            found[PESSIMISTIC] = PESSIMISTIC_BETTER
        if self.optimistic < self.likely if more_is_better else self.optimistic > self.likely:
            found[OPTIMISTIC] = OPTIMISTIC_WORSE
        return found

    def map(self, convert: Callable[[float], float]) -> ThreePoint:
        """Each scenario's value converted, e.g. hours freed into FTE freed."""
        return ThreePoint(convert(self.pessimistic), convert(self.likely), convert(self.optimistic))

    def get(self, scenario: str) -> float:
        return float(getattr(self, scenario))

    @property
    def is_range(self) -> bool:
        return not (self.pessimistic == self.likely == self.optimistic)


@dataclass(frozen=True)
class BusinessCaseInput:
    """What a business case states: costs and gains in DKK (per year where stated),
    hours freed per year, and citizens served per FTE before and after."""

    one_off_cost: ThreePoint
    yearly_running_cost: ThreePoint
    yearly_gain_dkk: ThreePoint
    yearly_hours_freed: ThreePoint
    rate: float = DEFAULT_DISCOUNT_RATE
    horizon_years: int = DEFAULT_HORIZON_YEARS
    citizens_per_fte_before: float | None = None
    citizens_per_fte_after: float | None = None


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's results: NPV in DKK, payback in years (None: never), FTE freed."""

    scenario: str
    net_present_value: float
    payback_years: float | None
    fte_freed: float
    pays_back_within_horizon: bool


def evaluate_scenario(case: BusinessCaseInput, scenario: str) -> ScenarioResult:
    """Compute one scenario: each quantity's value for that scenario is used together."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}")
    one_off = case.one_off_cost.get(scenario)
    running = case.yearly_running_cost.get(scenario)
    gain = case.yearly_gain_dkk.get(scenario)
    payback = payback_years(one_off, running, gain)
    return ScenarioResult(
        scenario=scenario,
        net_present_value=net_present_value(one_off, running, gain, case.rate, case.horizon_years),
        payback_years=payback,
        fte_freed=fte_freed(case.yearly_hours_freed.get(scenario)),
        pays_back_within_horizon=payback is not None and payback <= case.horizon_years,
    )


def evaluate(case: BusinessCaseInput) -> dict[str, ScenarioResult]:
    """All three scenarios, keyed pessimistic, likely, optimistic."""
    return {scenario: evaluate_scenario(case, scenario) for scenario in SCENARIOS}


def median(values: Iterable[float]) -> float | None:
    """The median of `values` (mean of the middle two for an even count); None if empty."""
    ordered = sorted(values)
    count = len(ordered)
    if count == 0:
        return None
    middle = count // 2
    if count % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2.0


def quartiles(values: Iterable[float]) -> tuple[float, float, float] | None:
    """The lower quartile, median and upper quartile of `values`; None if empty.

    Quartiles interpolate linearly between the sorted values at positions (n - 1) / 4
    and 3 (n - 1) / 4 (the "inclusive" method), so for three values a <= b <= c they
    are (a + b) / 2, b and (b + c) / 2, and for one value all three are that value."""
    ordered = sorted(values)
    if not ordered:
        return None

    def at(fraction: float) -> float:
        position = fraction * (len(ordered) - 1)
        below = math.floor(position)
        above = min(below + 1, len(ordered) - 1)
        weight = position - below
        between = ordered[below] + (ordered[above] - ordered[below]) * weight
        return min(max(between, ordered[below]), ordered[above])

    return at(0.25), at(0.5), at(0.75)


def fte_per_1000_inhabitants(fte: float, population: int) -> float:
    """FTE freed per 1,000 inhabitants of the municipality."""
    if population <= 0:
        raise ValueError("population must be positive")
    return fte * 1000.0 / population


def potential_fte(median_fte_per_1000: float, population: int) -> float:
    """FTE freed if a population of `population` inhabitants gained the median per 1,000."""
    return median_fte_per_1000 * population / 1000.0


def share_of_gap(fte: float, gap: float) -> float:
    """`fte` as a share (0..1 or more) of a labour gap of `gap` employees."""
    if gap <= 0 or not math.isfinite(gap):
        raise ValueError("gap must be positive")
    return fte / gap
