"""Round life cycle, link tokens, answer validation and response rates (pure rules)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.core import tokens
from kommuneradar.surveys import rules
from kommuneradar.surveys import vocabulary as v

STATUSES = [rules.DRAFT, rules.OPEN, rules.CLOSED, rules.PUBLISHED]


def test_a_round_moves_draft_open_closed_published() -> None:
    assert rules.may_move(rules.DRAFT, rules.OPEN)
    assert rules.may_move(rules.OPEN, rules.CLOSED)
    assert rules.may_move(rules.CLOSED, rules.PUBLISHED)


def test_a_round_cannot_skip_steps_or_leave_publication() -> None:
    assert not rules.may_move(rules.DRAFT, rules.PUBLISHED)
    assert not rules.may_move(rules.OPEN, rules.PUBLISHED)
    assert not any(rules.may_move(rules.PUBLISHED, status) for status in STATUSES)


@given(st.sampled_from(STATUSES), st.text(max_size=10))
def test_only_known_statuses_are_reachable(current: str, wanted: str) -> None:
    if rules.may_move(current, wanted):
        assert wanted in STATUSES and wanted != current


def test_tokens_are_random_and_stored_as_a_64_character_hash() -> None:
    made = {tokens.new_token() for _ in range(100)}
    assert len(made) == 100
    token = made.pop()
    assert len(token) >= 40
    digest = tokens.hash_token(token)
    assert len(digest) == 64 and token not in digest
    assert tokens.hash_token(token) == digest


stage_st = st.sampled_from([*v.STAGES, "", "bogus"])
value_st = st.sampled_from([*v.VALUES, "", "bogus"])


@given(stage_st, st.fixed_dictionaries({d: value_st for d in v.DIMENSIONS}), st.booleans())
def test_validation_flags_exactly_the_bad_fields(
    stage: str, values: dict[str, str], require_values: bool
) -> None:
    errors = rules.validate_answer(stage, values, require_values=require_values)
    assert ("stage" in errors) == (stage not in v.STAGES)
    for dimension in v.DIMENSIONS:
        value = values[dimension]
        bad = (
            value == "bogus"
            or (stage == v.NOT_RELEVANT and value != "")
            or (require_values and value == "" and stage in v.STAGES and stage != v.NOT_RELEVANT)
        )
        assert (dimension in errors) == bad


def test_a_submitted_answer_needs_every_value_unless_not_relevant() -> None:
    empty = dict.fromkeys(v.DIMENSIONS, "")
    assert rules.validate_answer(v.NOT_RELEVANT, empty, require_values=True) == {}
    assert set(rules.validate_answer(v.PILOTING, empty, require_values=True)) == set(v.DIMENSIONS)
    assert rules.validate_answer(v.PILOTING, empty, require_values=False) == {}


def test_value_is_experienced_when_tried_and_expected_otherwise() -> None:
    assert rules.value_kind(v.IN_OPERATION) == "experienced"
    assert rules.value_kind(v.DISCONTINUED) == "experienced"
    assert rules.value_kind(v.CONSIDERING) == "expected"
    assert rules.value_kind(v.NOT_RELEVANT) == ""


@given(st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from(["submitted", "draft", "none"]))))
def test_response_rates_count_every_invitation_once(rows: list[tuple[str, str]]) -> None:
    rates = rules.response_rates(rows)
    assert sum(rate.invited for rate in rates) == len(rows)
    assert sum(rate.submitted for rate in rates) == sum(1 for _, s in rows if s == "submitted")
    for rate in rates:
        assert rate.share is not None and 0 <= rate.share <= 1
        assert rate.submitted + rate.drafts <= rate.invited


@given(
    st.dictionaries(
        st.sampled_from("ABC"),
        st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50)),
    )
)
def test_rates_from_database_counts_add_up_to_the_total(
    groups: dict[str, tuple[int, int, int]],
) -> None:
    rates = rules.rates_from_counts(
        [
            (key, key, submitted + drafts + missing)
            for key, (submitted, drafts, missing) in groups.items()
        ],
        {key: (submitted, drafts) for key, (submitted, drafts, _missing) in groups.items()},
    )
    total = rules.total_rate(rates)
    assert total.invited == sum(sum(counts) for counts in groups.values())
    assert total.submitted == sum(counts[0] for counts in groups.values())
    assert [rate.label for rate in rates] == list(groups)


def test_counts_per_domain_and_region_sum_to_each_key() -> None:
    rows = [("health", 1, 5, 2), ("health", 2, 3, 0), ("social", 1, 1, 1)]
    by_domain = rules.counts_by((domain, done, drafts) for domain, _r, done, drafts in rows)
    by_region = rules.counts_by((region, done, drafts) for _d, region, done, drafts in rows)
    assert by_domain == {"health": (8, 2), "social": (1, 1)}
    assert by_region == {1: (6, 3), 2: (3, 0)}


def test_a_group_without_counts_has_answered_nothing() -> None:
    [rate] = rules.rates_from_counts([("x", "Region X", 16)], {})
    assert (rate.invited, rate.submitted, rate.drafts, rate.share) == (16, 0, 0, 0)


def test_an_empty_group_has_no_rate() -> None:
    assert rules.Rate("x", 0, 0, 0).share is None


def test_changes_compare_with_the_previous_round() -> None:
    [vejle, aarhus] = rules.changes([(1, "Vejle"), (2, "Aarhus")], {1: 3}, {1: 1, 2: 2}, {}, {2: 4})
    assert (vejle.domains_change, vejle.in_use_change) == (2, 0)
    assert (aarhus.domains_change, aarhus.in_use_change) == (-2, -4)


@given(st.lists(st.sampled_from(v.STAGES), min_size=1))
def test_the_most_advanced_answer_wins_and_the_first_wins_a_tie(stages: list[str]) -> None:
    held: int | None = None
    for index, stage in enumerate(stages):
        if v.is_more_advanced(stage, None if held is None else stages[held]):
            held = index
    assert held is not None
    furthest = max(v.ADVANCEMENT[stage] for stage in stages)
    assert v.ADVANCEMENT[stages[held]] == furthest
    assert held == min(i for i, stage in enumerate(stages) if v.ADVANCEMENT[stage] == furthest)


def test_scaled_is_further_than_in_operation_and_discontinued_is_behind_considering() -> None:
    assert v.is_more_advanced(v.SCALED, v.IN_OPERATION)
    assert not v.is_more_advanced(v.IN_OPERATION, v.SCALED)
    assert v.is_more_advanced(v.CONSIDERING, v.DISCONTINUED)
    assert not v.is_more_advanced(v.PILOTING, v.PILOTING)
    assert v.is_more_advanced(v.NOT_RELEVANT, None)


def test_every_dimension_has_its_value_field() -> None:
    assert v.VALUE_FIELDS == ("value_efficiency", "value_quality", "value_wellbeing")
    assert [v.value_field(dimension) for dimension in v.DIMENSIONS] == list(v.VALUE_FIELDS)
