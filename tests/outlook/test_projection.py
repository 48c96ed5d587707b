"""The projection's arithmetic: transitions, projected shares, bands, the backtest, the gain."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.outlook import projection as pj
from kommuneradar.surveys import vocabulary as v

stage_index = st.integers(min_value=0, max_value=pj.SIZE - 1)
moves = st.lists(st.tuples(stage_index, stage_index), max_size=60)
start_counts = st.lists(st.integers(min_value=0, max_value=30), min_size=pj.SIZE, max_size=pj.SIZE)
scenarios = st.builds(
    pj.Scenario,
    speed=st.floats(min_value=0.0, max_value=4.0),
    pilots_adopt=st.booleans(),
    programme_rate=st.floats(min_value=0.0, max_value=1.0),
)


def counts_of(pairs: list[tuple[int, int]]) -> pj.Counts:
    table = pj.zero_counts()
    for i, j in pairs:
        table[i][j] += 1
    return table


def unit_from(
    key: int, per_municipality: list[list[tuple[int, int]]], latest: list[int]
) -> pj.Unit:
    unit = pj.Unit(key=(key, None), group_key=None)
    for number, municipality_moves in enumerate(per_municipality):
        unit.moves[number] = municipality_moves
    for number, stage in enumerate(latest):
        unit.latest[number] = stage
        unit.population[number] = 1000 * (number + 1)
    return unit


@st.composite
def units(draw: st.DrawFn, forward_only: bool = False) -> pj.Unit:
    count = draw(st.integers(min_value=1, max_value=12))
    per_municipality = []
    latest = []
    for _ in range(count):
        pairs = draw(st.lists(st.tuples(stage_index, stage_index), max_size=3))
        if forward_only:
            pairs = [(min(i, j), max(i, j)) for i, j in pairs]
        per_municipality.append(pairs)
        latest.append(draw(stage_index))
    return unit_from(1, per_municipality, latest)


def fitted_of(unit: pj.Unit, resamples: int = 8) -> pj.Fitted:
    return pj.fit([unit], {}, sorted(unit.latest), resamples=resamples, seed=1)[unit.key]


@given(moves, st.floats(min_value=0.5, max_value=50))
def test_every_row_of_the_transitions_is_a_probability_distribution(
    pairs: list[tuple[int, int]], prior: float
) -> None:
    group = pj.to_matrix(counts_of(pairs[::2]))
    transitions = pj.estimate(counts_of(pairs), group, prior)
    for row, weight in zip(transitions.matrix, transitions.own_weight, strict=True):
        assert all(value >= 0 for value in row)
        assert math.isclose(sum(row), 1.0)
        assert 0.0 <= weight <= 1.0


@given(units(), st.integers(min_value=0, max_value=8), scenarios)
def test_stage_shares_sum_to_one_in_every_projected_year(
    unit: pj.Unit, steps: int, scenario: pj.Scenario
) -> None:
    projection = pj.project(fitted_of(unit), 2024, 1, steps, scenario)
    assert len(projection.years) == steps + 1
    for year in projection.years:
        total = sum(band.point for band in year.stages)
        assert math.isclose(total, 1.0) or (projection.respondents == 0 and total == 0)


@given(start_counts, st.integers(min_value=0, max_value=8))
def test_with_no_transitions_observed_the_projection_equals_today(
    counts: list[int], steps: int
) -> None:
    unit = unit_from(1, [[] for _ in counts], [])
    number = 0
    for stage, count in enumerate(counts):
        for _ in range(count):
            unit.latest[number] = stage
            unit.population[number] = 500
            number += 1
    projection = pj.project(fitted_of(unit), 2024, 1, steps)
    today = [band.point for band in projection.today.stages]
    for year in projection.years:
        assert [band.point for band in year.stages] == pytest.approx(today)
        assert year.diffusion.point == pytest.approx(projection.today.diffusion.point)
    assert projection.additional_population.point == pytest.approx(0.0)


@given(units(forward_only=True), st.integers(min_value=1, max_value=8))
def test_a_technology_that_only_moves_forward_never_projects_backward(
    unit: pj.Unit, steps: int
) -> None:
    projection = pj.project(fitted_of(unit), 2024, 1, steps)
    for before, after in zip(projection.years, projection.years[1:], strict=False):
        for threshold in range(pj.SIZE):
            at_least_before = sum(band.point for band in before.stages[threshold:])
            at_least_after = sum(band.point for band in after.stages[threshold:])
            assert at_least_after >= at_least_before - 1e-9
    assert projection.additional_population.point >= -1e-6


@given(units(), st.integers(min_value=0, max_value=6), scenarios)
def test_the_band_contains_the_point_projection(
    unit: pj.Unit, steps: int, scenario: pj.Scenario
) -> None:
    projection = pj.project(fitted_of(unit), 2024, 1, steps, scenario)
    for year in projection.years:
        for band in (*year.stages, year.diffusion):
            assert band.low <= band.point <= band.high
    extra = projection.additional_population
    assert extra.low <= extra.point <= extra.high


@given(
    st.floats(min_value=-1e5, max_value=1e5),
    st.floats(min_value=0, max_value=1e5),
    st.floats(min_value=0, max_value=1e5),
    st.lists(st.floats(min_value=0, max_value=5), min_size=3, max_size=3),
)
def test_the_gain_range_contains_the_gain(
    point: float, below: float, above: float, gains: list[float]
) -> None:
    low, middle, high = sorted(gains)
    result = pj.gain(pj.Band(point, point - below, point + above), (low, middle, high), 4)
    assert result.fte is not None and result.low is not None and result.high is not None
    assert result.low <= result.fte + 1e-9 and result.fte <= result.high + 1e-9


def test_no_measured_gain_gives_no_figure() -> None:
    result = pj.gain(pj.Band(5000, 4000, 6000), None, 0)
    assert result.fte is None and result.low is None and result.high is None


@given(st.floats(min_value=0, max_value=6))
def test_a_faster_speed_keeps_rows_as_probabilities(factor: float) -> None:
    matrix = pj.to_matrix(counts_of([(1, 3), (1, 1), (3, 4), (3, 3), (4, 5), (2, 1)]))
    for row in pj.faster(matrix, factor):
        assert all(value >= -1e-12 for value in row)
        assert math.isclose(sum(row), 1.0)


def test_speed_one_is_the_baseline_and_zero_freezes() -> None:
    matrix = pj.to_matrix(counts_of([(1, 3), (1, 1), (3, 4)]))
    flat = [value for row in matrix for value in row]
    assert [value for row in pj.faster(matrix, 1.0) for value in row] == pytest.approx(flat)
    frozen = [value for row in pj.faster(matrix, 0.0) for value in row]
    assert frozen == pytest.approx([value for row in pj.identity() for value in row])


def test_a_stage_with_few_moves_leans_on_its_group() -> None:
    considering = pj.INDEX[v.CONSIDERING]
    piloting = pj.INDEX[v.PILOTING]
    own = counts_of([(considering, piloting)])
    group = pj.to_matrix(counts_of([(considering, considering)] * 9 + [(considering, piloting)]))
    transitions = pj.estimate(own, group, prior=4)
    assert transitions.own_weight[considering] == pytest.approx(1 / 5)
    assert transitions.matrix[considering][piloting] == pytest.approx(1 / 5 + 4 / 5 * 0.1)


def test_pilots_adopting_put_every_pilot_in_operation() -> None:
    start = [0.0] * pj.SIZE
    start[pj.PILOTING] = 1.0
    shifted = pj.path(start, pj.identity(), 1, pj.Scenario(pilots_adopt=True))
    assert shifted[1][pj.IN_OPERATION] == pytest.approx(1.0)
    assert pj.diffusion_of(shifted[1]) == pytest.approx(1.0)


def test_diffusion_leaves_not_relevant_out_of_the_denominator() -> None:
    distribution = [0.0] * pj.SIZE
    distribution[pj.NOT_RELEVANT] = 0.5
    distribution[pj.IN_OPERATION] = 0.25
    distribution[pj.INDEX[v.CONSIDERING]] = 0.25
    assert pj.diffusion_of(distribution) == pytest.approx(0.5)


def test_ring_years_name_the_first_year_a_ring_is_reached() -> None:
    years = tuple(
        pj.YearShares(
            2024 + n,
            tuple(pj.Band(0, 0, 0) for _ in range(pj.SIZE)),
            pj.Band(share, share, share),
        )
        for n, share in enumerate((0.2, 0.4, 0.55, 0.7, 0.8))
    )
    projection = pj.Projection(years, 98, 1.0, 100, pj.Band(0, 0, 0))
    # maturity 0.75: score 0.475 today (WATCH); TRY from 0.25 diffusion, READY from 0.75.
    assert pj.ring_years(projection, 0.75) == {"afproev": 2025, "klar": 2028}


def test_the_backtest_compares_with_no_change() -> None:
    previous = [0.0] * pj.SIZE
    previous[pj.INDEX[v.CONSIDERING]] = 10
    previous[pj.IN_OPERATION] = 10
    actual = [0.0] * pj.SIZE
    actual[pj.INDEX[v.CONSIDERING]] = 5
    actual[pj.IN_OPERATION] = 15
    matrix = pj.to_matrix(counts_of([(pj.INDEX[v.CONSIDERING], pj.IN_OPERATION)] * 1 + [(2, 2)]))
    row = pj.backtest_row(previous, actual, matrix)
    assert row.naive == pytest.approx(0.5) and row.actual == pytest.approx(0.75)
    assert row.projected == pytest.approx(1.0)
    assert row.error == pytest.approx(0.25) and row.naive_error == pytest.approx(0.25)
    assert not row.better_than_naive


def test_steps_reach_the_horizon_even_when_rounds_are_two_years_apart() -> None:
    assert pj.steps_to(2024, 1, 2030) == 6
    assert pj.steps_to(2024, 2, 2030) == 3
    assert pj.steps_to(2023, 2, 2030) == 4
    assert pj.steps_to(2031, 1, 2030) == 0


def test_the_bootstrap_is_deterministic() -> None:
    unit = unit_from(1, [[(1, 3)], [(3, 4)], [(4, 4)]], [3, 4, 4])
    first = pj.project(fitted_of(unit, 20), 2024, 1, 6)
    again = pj.project(fitted_of(unit, 20), 2024, 1, 6)
    assert first == again


@given(
    st.lists(units(), min_size=1, max_size=3),
    st.lists(
        st.one_of(
            st.none(),
            st.dictionaries(
                st.integers(min_value=0, max_value=14), st.integers(min_value=0, max_value=9)
            ),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_the_packed_tables_equal_counting_sample_by_sample(
    found: list[pj.Unit], samples: list[dict[int, int] | None]
) -> None:
    keyed = []
    for number, unit in enumerate(found):
        unit.key = (number, None)
        keyed.append(unit)
    tables = pj.weighted_tables(keyed, samples)
    assert tables is not None
    for (counted, today), weights in zip(tables, samples, strict=True):
        for unit in keyed:
            assert counted[unit.key] == unit.counts(weights)
            assert today[unit.key] == unit.today(weights)


def test_the_packed_tables_refuse_sums_floats_could_not_hold_exactly() -> None:
    unit = unit_from(1, [[(0, 1)]], [2])
    unit.population[0] = 2**60
    assert pj.weighted_tables([unit], [None]) is None
    fitted = pj.fit([unit], {}, [0], resamples=2, seed=1)[unit.key]
    assert fitted.point.population_today[2] == float(2**60)


@given(st.lists(units(), min_size=2, max_size=3))
def test_the_fit_is_the_same_with_and_without_packing(found: list[pj.Unit]) -> None:
    keyed = []
    for number, unit in enumerate(found):
        unit.key = (number, None if number == 0 else number)
        unit.group_key = None if number == 0 else (0, None)
        keyed.append(unit)
    municipalities = sorted({m for unit in keyed for m in unit.latest})
    packed = pj.fit(keyed, {}, municipalities, resamples=5, seed=3)
    original = pj.weighted_tables
    try:
        pj.weighted_tables = lambda units, samples: None  # type: ignore[assignment]
        one_by_one = pj.fit(keyed, {}, municipalities, resamples=5, seed=3)
    finally:
        pj.weighted_tables = original  # type: ignore[assignment]
    assert packed == one_by_one
