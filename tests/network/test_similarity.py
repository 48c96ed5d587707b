"""Similarity, mentors, peers and recommendations: the rules behind the peer network."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.network import progress
from kommuneradar.network import similarity as sim

REGIONS = ["1081", "1082", "1083", "1084", "1085"]

places = st.builds(
    sim.Place,
    code=st.text(alphabet="0123456789", min_size=3, max_size=3),
    population=st.integers(min_value=0, max_value=1_000_000),
    region=st.sampled_from(REGIONS),
    portfolio=st.frozensets(st.integers(min_value=1, max_value=30), max_size=12),
)
weights = st.builds(
    sim.Weights,
    size=st.floats(min_value=0, max_value=5),
    region=st.floats(min_value=0, max_value=5),
    portfolio=st.floats(min_value=0, max_value=5),
    size_span=st.floats(min_value=0.1, max_value=3),
)


def unique_codes(found: list[sim.Place]) -> list[sim.Place]:
    seen: dict[str, sim.Place] = {}
    for place in found:
        seen.setdefault(place.code, place)
    return list(seen.values())


@given(places, places, weights)
def test_similarity_is_symmetric_and_a_share(a: sim.Place, b: sim.Place, w: sim.Weights) -> None:
    forward = sim.similarity(a, b, w)
    assert forward == sim.similarity(b, a, w)
    assert 0.0 <= forward <= 1.0


@given(places, weights)
def test_a_municipality_is_fully_similar_to_itself(a: sim.Place, w: sim.Weights) -> None:
    assert sim.similarity(a, a, w) == 1.0


@given(places, st.lists(places, max_size=20))
def test_a_municipality_is_its_own_most_similar(target: sim.Place, others: list[sim.Place]) -> None:
    crowd = unique_codes([target, *[o for o in others if o.code != target.code]])
    ranked = sim.rank_by_similarity(target, reversed(crowd))
    assert ranked[0].code == target.code
    assert all(m.similarity <= ranked[0].similarity for m in ranked)


@given(places, st.lists(places, max_size=20), st.data())
def test_mentors_never_include_municipalities_that_do_not_use_it(
    target: sim.Place, others: list[sim.Place], data: st.DataObject
) -> None:
    codes = [o.code for o in others] + [target.code]
    users = data.draw(st.sets(st.sampled_from(codes)))
    documented = data.draw(st.sets(st.sampled_from(codes)))
    found = sim.mentors(target, unique_codes([target, *others]), users, documented)
    assert all(m.code in users for m in found)
    assert target.code not in {m.code for m in found}
    flags = [m.documented for m in found]
    assert flags == sorted(flags, reverse=True), "documented value comes first"
    assert all((sim.DOCUMENTED_VALUE in m.reasons) == m.documented for m in found)


@given(places, st.lists(places, max_size=20), st.data())
def test_peers_are_all_at_the_same_stage(
    target: sim.Place, others: list[sim.Place], data: st.DataObject
) -> None:
    stage_names = ["considering", "piloting", "in_operation"]
    stages = {o.code: data.draw(st.sampled_from(stage_names)) for o in others}
    found = sim.peers(target, unique_codes([target, *others]), stages, "piloting")
    assert all(stages[m.code] == "piloting" and sim.SAME_STAGE in m.reasons for m in found)
    assert target.code not in {m.code for m in found}
    assert [m.similarity for m in found] == sorted((m.similarity for m in found), reverse=True)


def test_size_counts_on_a_log_scale() -> None:
    assert sim.size_similarity(10_000, 100_000) == 0.0
    assert sim.size_similarity(20_000, 20_000) == 1.0
    assert abs(sim.size_similarity(10_000, 31_623) - 0.5) < 1e-4
    assert sim.size_similarity(50_000, 60_000) == sim.size_similarity(500_000, 600_000)


def test_reasons_read_same_stage_similar_size_same_region() -> None:
    vejle = sim.Place("630", 120_000, "1083", frozenset({1, 2}))
    horsens = sim.Place("615", 95_000, "1083", frozenset({1, 2, 3}))
    assert sim.reasons_for(vejle, horsens, same_stage=True) == (
        sim.SAME_STAGE,
        sim.SIMILAR_SIZE,
        sim.SAME_REGION,
        sim.SHARED_PORTFOLIO,
    )
    far = sim.Place("101", 650_000, "1084", frozenset({9}))
    assert sim.reasons_for(vejle, far) == ()


def test_size_group_picks_the_nearest_populations() -> None:
    target = sim.Place("1", 50_000, "1081")
    others = [
        sim.Place(str(i), p, "1081") for i, p in enumerate([10_000, 45_000, 60_000, 600_000], 2)
    ]
    assert [p.population for p in sim.size_group(target, others, 2)] == [45_000, 60_000]


def test_recommendations_without_gains_rank_by_similar_use_and_say_so() -> None:
    ranked = sim.recommend(
        [
            sim.Candidate(1, "afproev", similar_users=2, similar_count=10),
            sim.Candidate(2, "klar", similar_users=7, similar_count=10),
            sim.Candidate(3, "klar", similar_users=2, similar_count=10),
        ],
        population=50_000,
    )
    assert [r.candidate.technology_id for r in ranked] == [2, 3, 1]
    assert {r.basis for r in ranked} == {sim.BASIS_PEERS_ONLY}
    assert ranked[0].similar_share == 0.7
    assert all(r.expected_fte is None for r in ranked)


def test_recommendations_weigh_expected_gain_for_the_municipalitys_size() -> None:
    ranked = sim.recommend(
        [
            sim.Candidate(1, "klar", 5, 10, gain_per_1000=0.2, gain_projects=3),
            sim.Candidate(2, "klar", 6, 10),
            sim.Candidate(3, "afproev", 1, 10, gain_per_1000=0.05, gain_projects=1),
        ],
        population=60_000,
    )
    assert [r.candidate.technology_id for r in ranked] == [1, 2, 3]
    assert ranked[0].expected_fte is not None and abs(ranked[0].expected_fte - 12.0) < 1e-9
    assert ranked[0].score == 0.75  # half its similar share 0.5, half the best gain 1.0
    assert ranked[0].basis == sim.BASIS_GAIN_AND_PEERS


@given(
    st.lists(
        st.builds(
            sim.Candidate,
            technology_id=st.integers(1, 1000),
            ring=st.sampled_from(["klar", "afproev"]),
            similar_users=st.integers(0, 10),
            similar_count=st.just(10),
            gain_per_1000=st.none() | st.floats(0, 5),
            gain_projects=st.integers(0, 5),
        ),
        max_size=15,
    ),
    st.integers(0, 700_000),
)
def test_recommendation_scores_are_shares_in_descending_order(
    candidates: list[sim.Candidate], population: int
) -> None:
    ranked = sim.recommend(candidates, population)
    assert len(ranked) == len(candidates)
    scores = [r.score for r in ranked]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)


@given(st.lists(st.sampled_from([*progress.MILESTONES, None]), max_size=30))
def test_milestone_counts_never_rise_along_the_milestones(furthest: list[str | None]) -> None:
    counts = progress.milestone_counts(furthest)
    reached = [c.reached for c in counts]
    assert reached == sorted(reached, reverse=True)
    assert all(c.participants == len(furthest) for c in counts)
    assert counts[0].reached == sum(1 for f in furthest if f is not None)


def test_a_later_milestone_counts_as_passing_the_earlier_ones() -> None:
    assert progress.furthest(["pilot", "decision"]) == "pilot"
    assert progress.completion(["scaled"]) == 0.8
    assert progress.completion([]) == 0.0
