"""The pipeline's arithmetic: expected hours, FTE, size bands, yearly rates and the
suitability score, against hand-computed examples and as properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.automation import potential
from kommuneradar.benefits import finance

shares = st.decimals(min_value=0, max_value=100, places=2)
minutes = st.decimals(min_value=0, max_value=10_000, places=2)
cases = st.integers(min_value=0, max_value=10_000_000)
answers = st.fixed_dictionaries({name: st.integers(1, 5) for name in potential.QUESTIONS})


@pytest.mark.parametrize(
    ("cases_per_year", "minutes_per_case", "share", "hours"),
    [
        # 1,200 cases × 15 minutes = 300 hours of work; 80 % of it = 240 hours.
        (1200, "15", "80", "240"),
        # 2,400 attests × 12 minutes = 480 hours; 85 % = 408 hours.
        (2400, "12", "85", "408"),
        # 7 cases × 10 minutes = 70 minutes = 1.1666… hours; 50 % = 0.58333… hours.
        (7, "10", "50", "0.5833333333333333333333333333"),
        # 45,000 invoices × 4 minutes = 3,000 hours; 70 % = 2,100 hours.
        (45000, "4", "70", "2100"),
        (0, "15", "80", "0"),
        (1000, "6", "0", "0"),
        (1000, "6", "100", "100"),
    ],
)
def test_expected_hours_matches_hand_computed_examples(
    cases_per_year: int, minutes_per_case: str, share: str, hours: str
) -> None:
    expected = potential.expected_hours(cases_per_year, Decimal(minutes_per_case), Decimal(share))
    assert expected == Decimal(hours)


def test_expected_hours_keep_their_decimals() -> None:
    # 3 cases × 1 minute × 10 % = 0.005 hours: not rounded away.
    assert potential.expected_hours(3, Decimal(1), Decimal(10)) == Decimal("0.005")


def test_fte_uses_the_benefits_follow_ups_hours_per_fte() -> None:
    assert potential.HOURS_PER_FTE == 1924
    assert float(potential.HOURS_PER_FTE) == finance.HOURS_PER_FTE
    assert potential.fte(Decimal(1924)) == 1
    assert potential.fte(Decimal(481)) == Decimal("0.25")


@pytest.mark.parametrize(
    ("cases_per_year", "minutes_per_case", "share"),
    [(-1, "1", "1"), (1, "-1", "1"), (1, "1", "-0.01"), (1, "1", "100.01")],
)
def test_expected_hours_refuse_impossible_input(
    cases_per_year: int, minutes_per_case: str, share: str
) -> None:
    with pytest.raises(ValueError):
        potential.expected_hours(cases_per_year, Decimal(minutes_per_case), Decimal(share))


@given(cases, minutes, shares)
def test_expected_hours_never_exceed_the_work_itself(
    count: int, per_case: Decimal, share: Decimal
) -> None:
    hours = potential.expected_hours(count, per_case, share)
    work = Decimal(count) * per_case / 60
    assert 0 <= hours <= work + Decimal("1e-20")


@given(cases, minutes, shares, shares)
def test_a_larger_share_never_frees_fewer_hours(
    count: int, per_case: Decimal, first: Decimal, second: Decimal
) -> None:
    low, high = sorted((first, second))
    assert potential.expected_hours(count, per_case, low) <= potential.expected_hours(
        count, per_case, high
    )


@given(st.integers(0, 100_000), minutes, shares)
def test_doubling_the_cases_doubles_the_hours(
    count: int, per_case: Decimal, share: Decimal
) -> None:
    single = potential.expected_hours(count, per_case, share)
    assert potential.expected_hours(2 * count, per_case, share) == pytest.approx(2 * single)


@pytest.mark.parametrize(
    ("hours", "band"),
    [("0", "small"), ("199.9", "small"), ("200", "medium"), ("999.99", "medium"),
     ("1000", "large"), ("25000", "large")],
)  # fmt: skip
def test_size_bands_have_the_documented_limits(hours: str, band: str) -> None:
    assert potential.size_band(Decimal(hours)) == band


@given(st.decimals(min_value=0, max_value=10**7, places=2))
def test_every_gain_falls_in_exactly_one_band(hours: Decimal) -> None:
    inside = []
    for code, lower, upper in potential.SIZE_BANDS:
        if hours >= lower and (upper is None or hours < upper):
            inside.append(code)
    assert inside == [potential.size_band(hours)]


def test_a_quarter_of_hours_is_four_times_as_many_per_year_roughly() -> None:
    # 1 January to 31 March 2025 is 90 days: 90 hours freed = 365 hours a year.
    rate = potential.yearly_rate(Decimal(90), dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert rate == Decimal(365)
    # One day counts as one day.
    assert potential.yearly_rate(Decimal(1), dt.date(2025, 5, 1), dt.date(2025, 5, 1)) == 365


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        potential.period_days(dt.date(2025, 5, 2), dt.date(2025, 5, 1))


def test_suitability_of_a_hand_scored_assessment() -> None:
    answers_given = {
        "structured_input": 5,
        "rule_based": 5,
        "uniform": 4,
        "stable": 3,
        "volume": 5,
        "quality_gain": 2,
        "speed_gain": 4,
        "routine_relief": 5,
    }
    # (4+4+3+2+4+1+3+4) / 4 / 8 = 25/32 = 0.78125
    result = potential.suitability(answers_given)
    assert result.score == Decimal("0.78125")
    assert result.verdict == potential.SUITED
    assert result.strengths == (
        "structured_input", "rule_based", "uniform", "volume", "speed_gain", "routine_relief",
    )  # fmt: skip
    assert result.weaknesses == ("quality_gain",)
    assert result.blockers == ()


def test_input_that_is_not_digital_makes_a_process_unsuited_whatever_else() -> None:
    answers_given = {name: 5 for name in potential.QUESTIONS} | {"structured_input": 1}
    result = potential.suitability(answers_given)
    assert result.score == Decimal("0.875")
    assert result.verdict == potential.UNSUITED
    assert result.blockers == ("structured_input",)


@pytest.mark.parametrize(
    ("value", "verdict"), [(3, potential.POSSIBLY), (2, potential.UNSUITED), (4, potential.SUITED)]
)
def test_verdict_limits(value: int, verdict: str) -> None:
    # all 3: score 0.5 (possibly); all 2: 0.25; all 4: 0.75 (suited from 0.75)
    result = potential.suitability({name: value for name in potential.QUESTIONS})
    assert result.verdict == verdict


def test_a_missing_or_out_of_range_answer_is_refused() -> None:
    complete = {name: 3 for name in potential.QUESTIONS}
    with pytest.raises(ValueError, match="unanswered"):
        potential.suitability({k: v for k, v in complete.items() if k != "volume"})
    with pytest.raises(ValueError):
        potential.suitability(complete | {"volume": 6})


@given(answers)
def test_score_is_a_share_and_reasons_follow_the_answers(given_answers: dict[str, int]) -> None:
    result = potential.suitability(given_answers)
    assert 0 <= result.score <= 1
    assert set(result.strengths).isdisjoint(result.weaknesses)
    assert set(result.blockers) <= set(result.weaknesses)
    for name, answer in given_answers.items():
        assert (name in result.strengths) == (answer >= 4)
        assert (name in result.weaknesses) == (answer <= 2)


@given(answers, st.sampled_from(potential.QUESTIONS))
def test_a_better_answer_never_lowers_the_score(
    given_answers: dict[str, int], question: str
) -> None:
    better = dict(given_answers)
    better[question] = min(5, better[question] + 1)
    assert potential.suitability(better).score >= potential.suitability(given_answers).score
