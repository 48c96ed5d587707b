"""The placement rules of BRIEF.md, as examples and as properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.radar import placement as p
from kommuneradar.surveys import vocabulary as v

stages = st.sampled_from(v.STAGES)


def facts(*stage_list: str) -> list[p.AnswerFact]:
    return [p.AnswerFact(f"{i:03d}", stage) for i, stage in enumerate(stage_list)]


def test_diffusion_counts_in_operation_and_scaled_among_respondents() -> None:
    result = p.diffusion_share(
        facts(v.IN_OPERATION, v.SCALED, v.PILOTING, v.CONSIDERING, v.NOT_RELEVANT)
    )
    assert (result.users, result.respondents) == (2, 4)
    assert result.share == 0.5


def test_not_relevant_answers_never_enter_the_denominator() -> None:
    with_extra = p.diffusion_share(facts(v.IN_OPERATION, v.NOT_CONSIDERING, *[v.NOT_RELEVANT] * 9))
    assert with_extra.respondents == 2


def test_wilson_interval_matches_a_hand_computation() -> None:
    # 52 of 81: p = 0.642; z = 1.96. centre = (p + z²/2n) / (1 + z²/n) = 0.6354,
    # half-width = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n) = 0.1030.
    low, high = p.wilson_interval(52, 81)
    assert low == pytest.approx(0.5324, abs=1e-3)
    assert high == pytest.approx(0.7384, abs=1e-3)


def test_wilson_interval_of_nothing_is_everything() -> None:
    assert p.wilson_interval(0, 0) == (0.0, 1.0)


def test_maturity_maps_one_to_nine_onto_zero_to_one() -> None:
    assert p.maturity_from_rating(1) == 0
    assert p.maturity_from_rating(5) == 0.5
    assert p.maturity_from_rating(9) == 1
    with pytest.raises(ValueError):
        p.maturity_from_rating(10)


@pytest.mark.parametrize(
    ("score", "ring"),
    [
        (1.0, p.KLAR),
        (0.75, p.KLAR),
        (0.7499, p.AFPROEV),
        (0.5, p.AFPROEV),
        (0.25, p.HOLD_OEJE),
        (0.2499, p.AFVENT),
        (0.0, p.AFVENT),
    ],
)
def test_ring_boundaries_belong_to_the_inner_ring(score: float, ring: str) -> None:
    assert p.ring_for_score(score) == ring


def test_fewer_than_five_respondents_suppress_the_placement() -> None:
    placed = p.place(facts(v.IN_OPERATION, v.IN_OPERATION, v.SCALED, v.PILOTING), rating=9)
    assert placed.suppressed and placed.ring is None and placed.score is None


def test_interval_across_a_boundary_marks_the_placement_uncertain() -> None:
    # maturity 0.5 (rating 5); diffusion 5 of 10 = 0.5 gives score 0.5, right on a boundary.
    uncertain = p.place(facts(*[v.IN_OPERATION] * 5, *[v.CONSIDERING] * 5), rating=5)
    assert uncertain.ring == p.AFPROEV and uncertain.uncertain
    # 0 of 60 with maturity 0 stays firmly in AFVENT.
    certain = p.place(facts(*[v.NOT_CONSIDERING] * 60), rating=1)
    assert certain.ring == p.AFVENT and not certain.uncertain


def test_movement_against_the_previous_edition() -> None:
    assert p.movement(None, p.KLAR) == p.NEW
    assert p.movement(p.AFPROEV, p.KLAR) == p.MOVED_IN
    assert p.movement(p.KLAR, p.HOLD_OEJE) == p.MOVED_OUT
    assert p.movement(p.AFVENT, p.AFVENT) == p.UNCHANGED


def test_value_profile_splits_users_from_the_others() -> None:
    answers = [
        p.AnswerFact("1", v.IN_OPERATION, {"efficiency": v.VALUE_LARGE}),
        p.AnswerFact("2", v.SCALED, {"efficiency": v.VALUE_NONE}),
        p.AnswerFact("3", v.SCALED, {"efficiency": v.VALUE_DONT_KNOW}),
        p.AnswerFact("4", v.CONSIDERING, {"efficiency": v.VALUE_SOME}),
        p.AnswerFact("5", v.NOT_CONSIDERING, {"efficiency": ""}),
        p.AnswerFact("6", v.NOT_RELEVANT, {"efficiency": v.VALUE_LARGE}),
    ]
    efficiency = p.value_profile(answers)["efficiency"]
    assert (efficiency.experienced, efficiency.experienced_of) == (1, 3)
    assert (efficiency.expected, efficiency.expected_of) == (1, 1)


def test_combining_domains_keeps_the_most_advanced_stage() -> None:
    combined = p.combine_by_municipality(
        [
            p.AnswerFact("101", v.CONSIDERING),
            p.AnswerFact("101", v.SCALED),
            p.AnswerFact("147", v.NOT_RELEVANT),
            p.AnswerFact("147", v.DISCONTINUED),
        ]
    )
    assert [(a.municipality, a.stage) for a in combined] == [
        ("101", v.SCALED),
        ("147", v.DISCONTINUED),
    ]


@given(st.lists(stages, max_size=200))
def test_share_stays_in_unit_interval_and_inside_its_interval(stage_list: list[str]) -> None:
    result = p.diffusion_share(facts(*stage_list))
    assert 0.0 <= result.low <= result.share <= result.high <= 1.0


@given(st.lists(stages, max_size=100), st.integers(min_value=0, max_value=50))
def test_not_relevant_answers_change_nothing(stage_list: list[str], extra: int) -> None:
    base = p.diffusion_share(facts(*stage_list))
    padded = p.diffusion_share(facts(*stage_list, *[v.NOT_RELEVANT] * extra))
    assert (base.users, base.respondents, base.share) == (
        padded.users,
        padded.respondents,
        padded.share,
    )


@given(st.floats(0, 1), st.floats(0, 1))
def test_rings_are_monotone_in_the_score(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert p.RINGS.index(p.ring_for_score(high)) <= p.RINGS.index(p.ring_for_score(low))


@given(st.integers(0, 500), st.integers(0, 500))
def test_wilson_interval_contains_the_share(successes: int, extra: int) -> None:
    n = successes + extra
    low, high = p.wilson_interval(successes, n)
    if n:
        assert low <= successes / n <= high
    assert 0 <= low <= high <= 1 and not math.isnan(low)


@given(st.lists(stages, min_size=5, max_size=120), st.integers(1, 9))
def test_a_placed_score_is_the_mean_of_maturity_and_diffusion(
    stage_list: list[str], rating: int
) -> None:
    placed = p.place(facts(*stage_list), rating)
    if placed.suppressed:
        assert placed.diffusion.respondents < 5
    else:
        assert placed.score == pytest.approx((placed.maturity + placed.diffusion.share) / 2)
        assert placed.score is not None
        assert placed.ring == p.ring_for_score(placed.score)


answer_values = st.fixed_dictionaries(
    {dimension: st.sampled_from(("", *v.VALUES)) for dimension in v.DIMENSIONS}
)


@given(
    st.lists(st.tuples(stages, answer_values), max_size=80),
    st.integers(0, 80),
    st.integers(1, 9),
)
def test_answers_counted_by_stage_place_exactly_like_the_answers(
    answers: list[tuple[str, dict[str, str]]], split: int, rating: int
) -> None:
    # What the database hands over: counts per stage, here for two groups of the answers
    # (the same stage may come twice) as well as for all of them at once.
    facts = [p.AnswerFact(f"{i:03d}", stage, values) for i, (stage, values) in enumerate(answers)]
    counted = p.tallies(facts[:split]) + p.tallies(facts[split:])
    assert p.place_counted(counted, rating) == p.place(facts, rating)
    assert sum(tally.count for tally in counted) == len(facts)
    for dimension in v.DIMENSIONS:
        given = [f for f in facts if f.values.get(dimension)]
        assert sum(t.answered[dimension] for t in counted) == len(given)


def by_stage(counted: list[p.StageTally]) -> list[p.StageTally]:
    return sorted(counted, key=lambda tally: tally.stage)


@given(st.lists(st.tuples(stages, answer_values), max_size=80), st.integers(0, 80))
def test_answers_counted_by_class_are_the_answers_counted_by_stage(
    answers: list[tuple[str, dict[str, str]]], split: int
) -> None:
    # The database counts answers by their class (stage and value levels as one integer);
    # the same class may come from two groups of answers.
    facts = [p.AnswerFact(f"{i:03d}", stage, values) for i, (stage, values) in enumerate(answers)]
    counted: dict[tuple[int, int], int] = {}
    for part, group in enumerate((facts[:split], facts[split:])):
        for fact in group:
            key = (part, p.answer_class(fact.stage, fact.values))
            counted[key] = counted.get(key, 0) + 1
    from_classes = p.tallies_from_classes((code, n) for (_part, code), n in counted.items())
    assert by_stage(from_classes) == by_stage(p.tallies(facts))


@given(
    st.lists(
        st.lists(st.tuples(stages, answer_values), min_size=1, max_size=8),
        min_size=1,
        max_size=20,
    )
)
def test_the_largest_pick_key_picks_the_answer_combining_domains_picks(
    municipalities: list[list[tuple[str, dict[str, str]]]],
) -> None:
    # Each municipality's answers in domains of rank 0, 1, 2, ...: the largest key is the
    # most advanced answer, and of equally advanced ones the first domain's.
    for answers in municipalities:
        facts = [p.AnswerFact("101", stage, values) for stage, values in answers]
        keys = [
            p.pick_key(p.answer_class(fact.stage, fact.values), rank)
            for rank, fact in enumerate(facts)
        ]
        chosen = p.combine_domains(facts)
        assert p.class_of_key(max(keys)) == p.answer_class(chosen.stage, chosen.values)
        assert [p.class_of_key(key) for key in keys] == [
            p.answer_class(fact.stage, fact.values) for fact in facts
        ]


def test_a_pick_key_needs_a_rank_it_can_hold() -> None:
    with pytest.raises(ValueError, match="rank"):
        p.pick_key(0, p.MAX_RANKS)
