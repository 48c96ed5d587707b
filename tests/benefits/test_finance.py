"""The business-case arithmetic, against computations done by hand and against
properties that must hold for any input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.benefits import finance as f

money = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=0, max_value=0.2, allow_nan=False)
horizons = st.integers(min_value=1, max_value=30)


def test_fte_freed_is_hours_over_1924() -> None:
    # 3,848 hours / 1,924 hours per FTE = 2 FTE; 962 hours = half an FTE.
    assert f.fte_freed(3848) == 2.0
    assert f.fte_freed(962) == 0.5
    assert f.fte_freed(0) == 0.0


def test_npv_of_a_three_year_case_at_ten_percent_matches_the_hand_computation() -> None:
    # One-off 250,000; running 20,000 a year; gain 120,000 a year; net 100,000 a year.
    # Discount factors at 10 %: 1/1.1 = 0.909091, 1/1.21 = 0.826446, 1/1.331 = 0.751315.
    # Sum = 2.486852, so NPV = -250,000 + 100,000 * 2.486852 = -1,314.80 (just short).
    npv = f.net_present_value(250_000, 20_000, 120_000, rate=0.10, horizon_years=3)
    assert npv == pytest.approx(-1314.80, abs=0.01)


def test_npv_with_the_default_rate_and_horizon_matches_the_hand_computation() -> None:
    # One-off 400,000; net 100,000 a year for 5 years at 3.5 %:
    # 1/1.035 = 0.966184, 1/1.035^2 = 0.933511, ^3 = 0.901943, ^4 = 0.871442, ^5 = 0.841973.
    # Sum = 4.515052, so NPV = -400,000 + 451,505.2 = 51,505.2.
    npv = f.net_present_value(400_000, 50_000, 150_000)
    assert npv == pytest.approx(51_505.2, abs=0.1)


def test_npv_at_zero_rate_is_the_plain_sum() -> None:
    # -100,000 + 5 * (30,000 - 10,000) = 0.
    assert f.net_present_value(100_000, 10_000, 30_000, rate=0.0) == pytest.approx(0.0)


def test_payback_matches_the_hand_computation() -> None:
    # 250,000 / (120,000 - 20,000) = 2.5 years.
    assert f.payback_years(250_000, 20_000, 120_000) == 2.5
    # No one-off cost: pays back at once.
    assert f.payback_years(0, 10, 20) == 0.0


def test_payback_is_never_when_running_costs_eat_the_gain() -> None:
    assert f.payback_years(100_000, 50_000, 50_000) is None
    assert f.payback_years(100_000, 60_000, 50_000) is None


def test_three_point_estimates_are_carried_through_each_scenario() -> None:
    case = f.BusinessCaseInput(
        one_off_cost=f.ThreePoint(pessimistic=300_000, likely=250_000, optimistic=200_000),
        yearly_running_cost=f.ThreePoint.of(20_000),
        yearly_gain_dkk=f.ThreePoint(pessimistic=70_000, likely=120_000, optimistic=170_000),
        yearly_hours_freed=f.ThreePoint(pessimistic=962, likely=1924, optimistic=3848),
        rate=0.10,
        horizon_years=3,
    )
    results = f.evaluate(case)
    # Pessimistic: 300,000 / (70,000 - 20,000) = 6 years, beyond the 3-year horizon.
    assert results["pessimistic"].payback_years == 6.0
    assert not results["pessimistic"].pays_back_within_horizon
    # Pessimistic NPV: -300,000 + 50,000 * 2.486852 = -175,657.4.
    assert results["pessimistic"].net_present_value == pytest.approx(-175_657.4, abs=0.1)
    assert results["likely"].payback_years == 2.5
    assert results["likely"].fte_freed == 1.0
    # Optimistic: 200,000 / 150,000 = 1.33 years; NPV = -200,000 + 150,000 * 2.486852.
    assert results["optimistic"].payback_years == pytest.approx(4 / 3)
    assert results["optimistic"].net_present_value == pytest.approx(173_027.8, abs=0.1)
    assert results["optimistic"].fte_freed == 2.0


def test_a_three_point_with_only_the_likely_value_is_the_same_in_every_scenario() -> None:
    three = f.ThreePoint.of(5.0)
    assert (three.pessimistic, three.likely, three.optimistic) == (5.0, 5.0, 5.0)
    assert not three.is_range


def test_citizens_served_change() -> None:
    # 40 citizens per FTE before, 50 after: 25 % more with the same staff.
    assert f.citizens_served_change(40, 50) == pytest.approx(0.25)
    assert f.citizens_served_change(None, 50) is None
    assert f.citizens_served_change(0, 50) is None


def test_median_of_odd_and_even_counts() -> None:
    assert f.median([3.0, 1.0, 2.0]) == 2.0
    assert f.median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert f.median([]) is None


def test_gain_per_1000_inhabitants_and_potential() -> None:
    # 2 FTE in a town of 50,000 = 0.04 FTE per 1,000 inhabitants;
    # for 6,000,000 inhabitants that is 240 FTE.
    per_1000 = f.fte_per_1000_inhabitants(2.0, 50_000)
    assert per_1000 == pytest.approx(0.04)
    assert f.potential_fte(per_1000, 6_000_000) == pytest.approx(240.0)


@given(money, money, money, rates, rates, horizons)
def test_npv_falls_as_the_rate_rises(
    one_off: float, running: float, gain: float, rate_a: float, rate_b: float, horizon: int
) -> None:
    low, high = sorted((rate_a, rate_b))
    npv_low = f.net_present_value(one_off, running, gain, low, horizon)
    npv_high = f.net_present_value(one_off, running, gain, high, horizon)
    if gain >= running:
        assert npv_high <= npv_low + 1e-6 * max(1.0, abs(npv_low))
    else:
        # A project that loses money each year loses less of it in present value.
        assert npv_high >= npv_low - 1e-6 * max(1.0, abs(npv_low))


@given(money, money, money, money, money)
def test_payback_is_never_shorter_when_costs_rise(
    one_off: float, running: float, gain: float, extra_one_off: float, extra_running: float
) -> None:
    before = f.payback_years(one_off, running, gain)
    after = f.payback_years(one_off + extra_one_off, running + extra_running, gain)
    if before is None:
        assert after is None
    elif after is not None:
        assert after >= before * (1 - 1e-9)


@given(money, money, money, rates, horizons)
def test_npv_falls_when_costs_rise(
    one_off: float, running: float, gain: float, rate: float, horizon: int
) -> None:
    base = f.net_present_value(one_off, running, gain, rate, horizon)
    costlier = f.net_present_value(one_off + 1000, running + 1000, gain, rate, horizon)
    assert costlier < base


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1))
def test_median_lies_between_the_smallest_and_largest(values: list[float]) -> None:
    middle = f.median(values)
    assert middle is not None
    assert min(values) <= middle <= max(values)


def test_a_cost_whose_pessimistic_value_is_lower_than_likely_is_refused() -> None:
    cost = f.ThreePoint.of(100_000, pessimistic=90_000, optimistic=120_000)
    assert cost.problems(more_is_better=False) == {
        f.PESSIMISTIC: f.PESSIMISTIC_BETTER,
        f.OPTIMISTIC: f.OPTIMISTIC_WORSE,
    }
    assert f.ThreePoint.of(100_000, 130_000, 80_000).problems(more_is_better=False) == {}


def test_a_gain_whose_optimistic_value_is_lower_than_likely_is_refused() -> None:
    gain = f.ThreePoint.of(1924, pessimistic=1000, optimistic=1500)
    assert gain.problems(more_is_better=True) == {f.OPTIMISTIC: f.OPTIMISTIC_WORSE}


@given(money, st.one_of(st.none(), money), st.one_of(st.none(), money), st.booleans())
def test_an_estimate_is_accepted_exactly_when_it_is_ordered(
    likely: float, pessimistic: float | None, optimistic: float | None, more_is_better: bool
) -> None:
    stated = f.ThreePoint.of(likely, pessimistic, optimistic)
    low, high = (
        (stated.pessimistic, stated.optimistic)
        if more_is_better
        else (stated.optimistic, stated.pessimistic)
    )
    assert (stated.problems(more_is_better) == {}) == (low <= likely <= high)
    assert f.ThreePoint.of(likely).problems(more_is_better) == {}


@given(money, money, money)
def test_mapping_an_estimate_converts_each_scenario(low: float, mid: float, high: float) -> None:
    hours = f.ThreePoint(low, mid, high)
    fte = hours.map(f.fte_freed)
    assert (fte.pessimistic, fte.likely, fte.optimistic) == tuple(
        f.fte_freed(value) for value in (low, mid, high)
    )


def test_each_estimate_has_a_field_per_scenario_likely_first() -> None:
    assert f.ESTIMATE_FIELDS[:3] == (
        "one_off_cost",
        "one_off_cost_pessimistic",
        "one_off_cost_optimistic",
    )
    assert len(f.ESTIMATE_FIELDS) == 3 * len(f.ESTIMATES)
