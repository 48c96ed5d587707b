"""The demo's adoption courses (pure): Bass timing, stages that move forward, larger
municipalities first, the same courses for the same seed."""

from __future__ import annotations

import datetime as dt
import itertools
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kommuneradar.demo.adoption import (
    Anchor,
    Curve,
    Path,
    adoption_order,
    adoption_paths,
    calendar_day,
    decimal_year,
    first_pilot,
    reported_stage,
    stage_at,
)
from kommuneradar.demo.bass import bass_adoption_time, bass_cumulative
from kommuneradar.surveys import vocabulary as v

coefficients = st.tuples(
    st.floats(min_value=0.001, max_value=0.2), st.floats(min_value=0.0, max_value=1.5)
)
curves = st.builds(
    Curve,
    launch=st.floats(min_value=2000, max_value=2024),
    p=st.floats(min_value=0.002, max_value=0.1),
    q=st.floats(min_value=0.0, max_value=1.2),
    ceiling=st.floats(min_value=0.05, max_value=1.0),
    pilot_years=st.floats(min_value=0.3, max_value=3.0),
    scale_share=st.floats(min_value=0.0, max_value=1.0),
    failure_share=st.floats(min_value=0.0, max_value=0.5),
    domain_spread=st.floats(min_value=0.2, max_value=5.0),
)
# Twelve municipalities of very different sizes.
POPULATIONS = {f"{100 + n}": 5_000 * (n + 1) ** 2 for n in range(12)}
DOMAINS = ("social", "borgerservice", "sundhed-og-aeldre")
# No timing in tests: the machine may be busy.
untimed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)


@untimed
@given(st.floats(min_value=0.0, max_value=0.999), coefficients)
def test_adoption_time_is_the_inverse_of_the_bass_curve(
    share: float, pq: tuple[float, float]
) -> None:
    p, q = pq
    years = bass_adoption_time(share, p, q)
    assert math.isclose(bass_cumulative(years, p, q), share, abs_tol=1e-9)


@untimed
@given(st.floats(min_value=0.0, max_value=0.99), st.floats(min_value=0.0, max_value=0.99))
def test_a_later_quantile_adopts_no_earlier(first: float, second: float) -> None:
    low, high = sorted((first, second))
    assert bass_adoption_time(low, 0.02, 0.4) <= bass_adoption_time(high, 0.02, 0.4)


def test_beyond_the_ceiling_a_municipality_never_adopts() -> None:
    curve = Curve(2020, 0.02, 0.4, ceiling=0.3)
    assert first_pilot(curve, 0.29) < math.inf
    assert first_pilot(curve, 0.31) == math.inf


@untimed
@given(curves, st.integers(min_value=0, max_value=10_000))
def test_over_time_a_stage_only_moves_forward_or_ends_a_failed_pilot(
    curve: Curve, seed: int
) -> None:
    paths = adoption_paths(seed, POPULATIONS, [("tech", DOMAINS, curve)])
    years = [curve.launch - 3 + step / 2 for step in range(60)]
    for path in paths.values():
        stages = [stage_at(path, year) for year in years]
        for before, after in itertools.pairwise(stages):
            backward = v.ADVANCEMENT[after] < v.ADVANCEMENT[before]
            assert not backward or after == v.DISCONTINUED


@untimed
@given(curves, st.integers(min_value=0, max_value=10_000), st.floats(min_value=0, max_value=30))
def test_the_number_of_adopters_follows_the_curve_whoever_they_are(
    curve: Curve, seed: int, years_after: float
) -> None:
    paths = adoption_paths(seed, POPULATIONS, [("tech", DOMAINS, curve)])
    when = curve.launch + years_after
    adopters = {
        code
        for (code, _tech, _domain), path in paths.items()
        if path.pilots_from <= when and not path.not_relevant
    }
    expected = len(POPULATIONS) * curve.ceiling * bass_cumulative(years_after, curve.p, curve.q)
    assert abs(len(adopters) - expected) <= 1


def test_larger_municipalities_adopt_first_when_all_else_is_equal() -> None:
    same = dict.fromkeys(POPULATIONS, 0.5)
    order = adoption_order(POPULATIONS, same, same)
    assert order == sorted(POPULATIONS, key=lambda code: -POPULATIONS[code])


def test_the_largest_half_adopts_more_often_across_seeds() -> None:
    curve = Curve(2020, 0.02, 0.4, ceiling=0.5)
    larger = sorted(POPULATIONS, key=lambda code: -POPULATIONS[code])[:6]
    first_six = 0
    for seed in range(40):
        paths = adoption_paths(seed, POPULATIONS, [("tech", DOMAINS, curve)])
        starts = {
            code: min(paths[(code, "tech", d)].pilots_from for d in DOMAINS) for code in larger
        }
        first_six += sum(1 for code in larger if starts[code] < math.inf)
    assert first_six > 0.7 * 40 * 6


@untimed
@given(st.sampled_from(v.STAGES), st.floats(min_value=0, max_value=1))
def test_a_report_is_the_true_stage_or_one_step_before(stage: str, draw: float) -> None:
    reported = reported_stage(stage, draw, 0.01)
    assert reported == stage or (
        draw < 0.01 and v.ADVANCEMENT[reported] < v.ADVANCEMENT[stage] and stage != v.DISCONTINUED
    )


def test_the_same_seed_gives_the_same_courses_and_another_seed_others() -> None:
    curve = Curve(2018, 0.02, 0.4, ceiling=0.8)
    technologies = [("tech", DOMAINS, curve)]
    first = adoption_paths(5, POPULATIONS, technologies)
    assert adoption_paths(5, POPULATIONS, technologies) == first
    assert adoption_paths(6, POPULATIONS, technologies) != first


def test_a_written_case_fixes_its_municipality_s_course() -> None:
    curve = Curve(2030, 0.001, 0.0, ceiling=0.05)  # nobody would start before 2030
    anchors = [
        Anchor("100", "tech", "social", 2019.7, "scaled"),
        Anchor("101", "tech", "social", 2019.4, "stopped", ended=2023.5),
    ]
    paths = adoption_paths(1, POPULATIONS, [("tech", DOMAINS, curve)], anchors)
    assert stage_at(paths[("100", "tech", "social")], 2019.5) == v.CONSIDERING
    assert stage_at(paths[("100", "tech", "social")], 2019.8) == v.PILOTING
    assert stage_at(paths[("100", "tech", "social")], 2024.2) == v.SCALED
    assert stage_at(paths[("101", "tech", "social")], 2023.2) == v.PILOTING
    assert stage_at(paths[("101", "tech", "social")], 2024.2) == v.DISCONTINUED


def test_stage_at_reads_a_course_in_order() -> None:
    path = Path(2018.0, 2019.0, 2020.0, 2022.0, math.inf)
    assert [stage_at(path, year) for year in (2017, 2018.5, 2019.5, 2021, 2023)] == [
        v.NOT_CONSIDERING,
        v.CONSIDERING,
        v.PILOTING,
        v.IN_OPERATION,
        v.SCALED,
    ]


@untimed
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_decimal_years_turn_back_into_the_same_day(day: dt.date) -> None:
    assert abs((calendar_day(decimal_year(day)) - day).days) <= 1
