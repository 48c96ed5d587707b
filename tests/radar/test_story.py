"""The highlights of an edition (radar/story.py): by hand and as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.radar import placement as p
from kommuneradar.radar.story import BlipFacts, best_value, highlights, largest_rises

DIMS = ("efficiency", "quality", "wellbeing")


def blip(
    key: str,
    *,
    ring: str = p.KLAR,
    movement: str = p.UNCHANGED,
    diffusion: float = 0.5,
    previous: float | None = None,
    value: dict[str, p.ValueShare] | None = None,
) -> BlipFacts:
    return BlipFacts(key, key.title(), ring, movement, diffusion, 5, 10, previous, value or {})


def test_movements_are_listed_by_ring_then_name() -> None:
    blips = [
        blip("zeta", ring=p.AFPROEV, movement=p.NEW),
        blip("alfa", ring=p.AFVENT, movement=p.NEW),
        blip("beta", ring=p.KLAR, movement=p.NEW),
        blip("gamma", movement=p.MOVED_IN),
        blip("delta", movement=p.MOVED_OUT),
        blip("epsilon"),
    ]
    result = highlights(blips, DIMS)
    assert [b.key for b in result.new] == ["beta", "zeta", "alfa"]
    assert [b.key for b in result.moved_in] == ["gamma"]
    assert [b.key for b in result.moved_out] == ["delta"]
    assert not result.empty


def test_rises_are_the_largest_first_and_leave_out_falls_and_newcomers() -> None:
    blips = [
        blip("a", diffusion=0.6, previous=0.5),
        blip("b", diffusion=0.9, previous=0.2),
        blip("c", diffusion=0.1, previous=0.4),  # fell
        blip("d", diffusion=0.8),  # no previous edition
        blip("e", diffusion=0.5, previous=0.5),  # unchanged
    ]
    rises = largest_rises(blips, top=5)
    assert [r.blip.key for r in rises] == ["b", "a"]
    assert round(rises[0].change, 9) == 0.7
    assert largest_rises(blips, top=1)[0].blip.key == "b"


def test_best_value_needs_enough_answers_and_breaks_ties_by_answers() -> None:
    few = {"efficiency": p.ValueShare(3, 3, 0, 0)}  # 100 % of 3: too few
    many = {"efficiency": p.ValueShare(8, 10, 0, 0)}
    more = {"efficiency": p.ValueShare(16, 20, 0, 0), "quality": p.ValueShare(1, 9, 0, 0)}
    result = best_value(
        [blip("few", value=few), blip("many", value=many), blip("more", value=more)], DIMS
    )
    assert [(b.dimension, b.blip.key) for b in result] == [
        ("efficiency", "more"),
        ("quality", "more"),
    ]
    assert result[0].share == 0.8


def test_nothing_to_tell() -> None:
    assert highlights([], DIMS).empty


shares = st.builds(
    lambda experienced, extra: p.ValueShare(experienced, experienced + extra, 0, 0),
    st.integers(0, 30),
    st.integers(0, 30),
)
facts = st.builds(
    BlipFacts,
    key=st.text("abcdefgh", min_size=1, max_size=6),
    name=st.text("abcdefgh", min_size=1, max_size=6),
    ring=st.sampled_from(p.RINGS),
    movement=st.sampled_from((p.NEW, p.MOVED_IN, p.MOVED_OUT, p.UNCHANGED)),
    diffusion=st.floats(0, 1),
    users=st.integers(0, 98),
    respondents=st.integers(0, 98),
    previous_diffusion=st.none() | st.floats(0, 1),
    value=st.dictionaries(st.sampled_from(DIMS), shares),
)


@given(st.lists(facts, max_size=25), st.integers(0, 8), st.integers(1, 10))
def test_highlights_properties(blips: list[BlipFacts], top: int, min_answers: int) -> None:
    result = highlights(blips, DIMS, top=top, min_answers=min_answers)
    # every technology that moved is listed once under its movement, and no other
    for kind, listed in ((p.NEW, result.new), (p.MOVED_IN, result.moved_in)):
        assert sorted(map(id, listed)) == sorted(id(b) for b in blips if b.movement == kind)
    assert all(b.movement == p.MOVED_OUT for b in result.moved_out)
    # rises: at most `top`, all real rises, largest first, and none larger left out
    assert len(result.rises) <= top
    changes = [r.change for r in result.rises]
    assert all(change > 0 for change in changes)
    assert changes == sorted(changes, reverse=True)
    if len(result.rises) == top and result.rises:
        shown = {id(r.blip) for r in result.rises}
        for b in blips:
            if id(b) not in shown and b.previous_diffusion is not None:
                assert b.diffusion - b.previous_diffusion <= result.rises[-1].change
    # best value: one per dimension at most, enough answers, and none better
    assert len({b.dimension for b in result.best_value}) == len(result.best_value)
    for best in result.best_value:
        assert best.experienced_of >= min_answers
        for b in blips:
            share = b.value.get(best.dimension)
            if share is not None and share.experienced_of >= min_answers:
                assert share.experienced / share.experienced_of <= best.share
