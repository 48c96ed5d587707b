"""The additional potential of the READY technologies: only municipalities that answered
and do not yet use a technology count, with the spread of the measured gains as a range,
and technologies with fewer than 3 measured projects kept out of the headline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.benefits import finance, gap, services
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.surveys.models import Answer, Response, Round

from .factories import make_project, publish_overall_edition

# -- pure: quartiles -----------------------------------------------------------------

finite = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


def test_quartiles_of_three_values_are_the_midpoints() -> None:
    assert finance.quartiles([0.03, 0.01, 0.02]) == pytest.approx((0.015, 0.02, 0.025))
    assert finance.quartiles([5.0]) == (5.0, 5.0, 5.0)
    assert finance.quartiles([]) is None


@given(st.lists(finite, min_size=1, max_size=30))
def test_quartiles_are_ordered_and_the_middle_is_the_median(values: list[float]) -> None:
    result = finance.quartiles(values)
    assert result is not None
    low, middle, high = result
    assert min(values) <= low <= middle <= high <= max(values)
    assert middle == pytest.approx(finance.median(values))


# -- pure: standing and potential ------------------------------------------------------


def test_standing_reads_every_domain_of_a_municipality() -> None:
    assert gap.standing({"considering", "scaled"}) == gap.USING
    assert gap.standing({"in_operation"}) == gap.USING
    assert gap.standing({"piloting", "not_relevant"}) == gap.NOT_USING
    assert gap.standing({"discontinued"}) == gap.NOT_USING
    assert gap.standing({"not_relevant"}) == gap.NOT_RELEVANT
    assert gap.standing(set()) == gap.UNKNOWN


STAGE_CODES = (
    "not_relevant",
    "not_considering",
    "considering",
    "piloting",
    "in_operation",
    "scaled",
    "discontinued",
)


@st.composite
def worlds(
    draw: st.DrawFn,
) -> tuple[dict[int, list[float]], dict[int, int], dict[tuple[int, int], set[str]]]:
    """Up to 8 municipalities, technologies 1..3, random answers and measured gains."""
    municipalities = draw(st.integers(min_value=1, max_value=8))
    populations = {
        mid: draw(st.integers(min_value=1, max_value=700_000)) for mid in range(municipalities)
    }
    gains = {
        tid: draw(st.lists(st.floats(min_value=0, max_value=5), max_size=6)) for tid in (1, 2, 3)
    }
    stages: dict[tuple[int, int], set[str]] = {}
    for tid in (1, 2, 3):
        for mid in populations:
            answered = draw(st.sets(st.sampled_from(STAGE_CODES), max_size=3))
            if answered:
                stages[(tid, mid)] = answered
    return gains, populations, stages


READY = [(1, "Skærmbesøg"), (2, "RPA"), (3, "Cloud")]


@given(worlds(), st.integers(min_value=0, max_value=7), st.sampled_from([1, 2, 3]))
def test_potential_never_increases_when_a_municipality_adopts(
    world: tuple[dict[int, list[float]], dict[int, int], dict[tuple[int, int], set[str]]],
    municipality: int,
    technology: int,
) -> None:
    gains, populations, stages = world
    municipality %= len(populations)
    before = gap.potential(READY, gains, populations, stages)
    adopted = dict(stages)
    adopted[(technology, municipality)] = set(stages.get((technology, municipality), ())) | {
        "in_operation"
    }
    after = gap.potential(READY, gains, populations, adopted)
    assert after.total_fte <= before.total_fte + 1e-9
    assert after.total_fte_low <= before.total_fte_low + 1e-9
    assert after.total_fte_high <= before.total_fte_high + 1e-9
    row_before = next(r for r in before.all_rows if r.technology_id == technology)
    row_after = next(r for r in after.all_rows if r.technology_id == technology)
    assert row_after.non_user_population <= row_before.non_user_population
    assert row_after.users >= row_before.users


@given(worlds())
def test_headline_holds_only_technologies_with_three_measured_projects(
    world: tuple[dict[int, list[float]], dict[int, int], dict[tuple[int, int], set[str]]],
) -> None:
    gains, populations, stages = world
    result = gap.potential(READY, gains, populations, stages)
    assert all(row.measured_projects >= 3 for row in result.rows)
    assert all(row.measured_projects < 3 for row in result.apart)
    assert len(result.all_rows) == len(READY)
    assert result.total_fte == pytest.approx(sum(row.potential_fte or 0 for row in result.rows))
    assert result.total_fte_low <= result.total_fte + 1e-9 <= result.total_fte_high + 2e-9
    everyone = sum(populations.values())
    for row in result.all_rows:
        assert row.users + row.non_users + row.not_relevant + row.unknown == len(populations)
        if row.potential_fte is not None:
            assert row.median_fte_per_1000 is not None
            assert 0 <= row.potential_fte <= row.median_fte_per_1000 * everyone / 1000 + 1e-9
    # A technology resting on fewer than 3 projects never moves the headline.
    fewer = dict(gains)
    fewer[3] = gains[3][:2]
    assert gap.potential(READY, fewer, populations, stages).total_fte == pytest.approx(
        gap.potential(READY[:2], gains, populations, stages).total_fte
    )


def test_potential_by_hand_in_pure_terms() -> None:
    populations = {1: 100_000, 2: 300_000, 3: 200_000, 4: 600_000, 5: 200_000, 6: 50_000}
    stages = {
        (1, 1): {"in_operation"},
        (1, 2): {"considering", "scaled"},
        (1, 3): {"piloting"},
        (1, 4): {"not_relevant"},
        (1, 5): {"considering"},
        (2, 1): {"considering"},
    }
    gains = {1: [0.01, 0.03, 0.02], 2: [0.01, 0.01]}
    result = gap.potential([(1, "A"), (2, "B")], gains, populations, stages)
    (a,) = result.rows
    assert (a.users, a.non_users, a.not_relevant, a.unknown) == (2, 2, 1, 1)
    assert a.non_user_population == 400_000
    assert (a.potential_fte_low, a.potential_fte, a.potential_fte_high) == pytest.approx(
        (6.0, 8.0, 10.0)
    )
    (b,) = result.apart
    assert b.potential_fte == pytest.approx(1.0)
    assert (result.total_fte_low, result.total_fte, result.total_fte_high) == pytest.approx(
        (6.0, 8.0, 10.0)
    )


# -- through the page --------------------------------------------------------------------

POPULATIONS = {"630": 100_000, "751": 300_000, "461": 200_000, "101": 600_000, "851": 200_000}


def _answer(round_: Round, code: str, domain: str, slug: str, stage: str) -> None:
    response, _created = Response.objects.get_or_create(
        round=round_,
        municipality=Municipality.objects.get(code=code),
        domain=Domain.objects.get(slug=domain),
    )
    Answer.objects.create(
        response=response, technology=Technology.objects.get(slug=slug), stage=stage
    )


@pytest.fixture
def small_world(db: None) -> None:
    """Five municipalities with round populations, screen visits with 3 measured projects
    and RPA with 2, and the 2024 survey's answers."""
    for code, population in POPULATIONS.items():
        Municipality.objects.filter(code=code).update(population=population)
    places = {code: Municipality.objects.get(code=code) for code in POPULATIONS}
    edition = publish_overall_edition(2024, {"skaermbesoeg": "klar", "rpa": "klar"})
    round_ = edition.round
    health, admin, social = "sundhed-og-aeldre", "oekonomi-og-administration", "social"
    _answer(round_, "630", health, "skaermbesoeg", "in_operation")
    _answer(round_, "751", health, "skaermbesoeg", "considering")
    _answer(round_, "751", social, "skaermbesoeg", "scaled")
    _answer(round_, "461", health, "skaermbesoeg", "piloting")
    _answer(round_, "101", health, "skaermbesoeg", "not_relevant")
    _answer(round_, "851", health, "skaermbesoeg", "considering")
    _answer(round_, "630", admin, "rpa", "considering")
    # An older round says nothing about who uses a technology now.
    older = publish_overall_edition(2023, {"skaermbesoeg": "klar"}).round
    _answer(older, "461", health, "skaermbesoeg", "scaled")
    day = dt.date(2024, 6, 1)
    # Realised FTE per 1,000 inhabitants: Vejle 1/100k -> 0.01, Aarhus 9/300k -> 0.03,
    # København 12/600k -> 0.02 (screen visits); RPA: Vejle 0.01, Aalborg 2/200k -> 0.01.
    make_project(places["630"], follow_ups=((day, 1924),))
    make_project(places["751"], follow_ups=((dt.date(2023, 1, 1), 100), (day, 9 * 1924)))
    make_project(places["101"], follow_ups=((day, 12 * 1924),))
    make_project(places["461"], hours_expected=9999)  # never measured: not a gain
    make_project(places["461"], published=False, follow_ups=((day, 99 * 1924),))
    make_project(places["630"], technology="rpa", domain=admin, follow_ups=((day, 1924),))
    make_project(places["851"], technology="rpa", domain=admin, follow_ups=((day, 2 * 1924),))


def _potential_cell(body: str) -> str:
    match = re.search(
        r"<dt>Yderligere potentiale for KLAR-teknologierne</dt>\s*<dd>(.*?)</dd>", body, re.S
    )
    assert match, "the headline is on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def test_the_page_shows_the_additional_gain_computed_by_hand(
    client: Client, small_world: None
) -> None:
    # Screen visits: not yet using and answered = Odense + Aalborg = 400,000 inhabitants
    # (Vejle and Aarhus use it, København calls it not relevant, 93 did not answer).
    # Gains 0.01, 0.02, 0.03 per 1,000: median 0.02, quartiles 0.015 and 0.025.
    # 0.02 x 400 = 8 FTE, range 0.015 x 400 = 6 to 0.025 x 400 = 10.
    # RPA (2 measured projects, Vejle not yet using: 0.01 x 100 = 1 FTE) is shown apart.
    body = client.get("/gevinster/").content.decode()
    headline = _potential_cell(body)
    assert "8 årsværk (spænd 6–10" in headline
    assert "bygger på 3 projekter med måling" in headline
    assert "med indbyggertallet i de kommuner, der svarede i undersøgelsen 2024" in body
    apart = body[body.index("Vist for sig: færre end 3 målte projekter") :]
    assert "Robotic Process Automation" in apart
    assert "ikke i totalen" in apart
    board = services.dashboard()
    (screen,) = board.potential.rows
    assert (screen.users, screen.non_users, screen.not_relevant, screen.unknown) == (2, 2, 1, 93)
    assert screen.potential_fte == pytest.approx(8.0)
    (rpa,) = board.potential.apart
    assert rpa.potential_fte == pytest.approx(1.0)
    assert board.potential.total_fte == pytest.approx(8.0)


def test_adoption_lowers_the_potential_on_the_page(client: Client, small_world: None) -> None:
    Answer.objects.filter(
        response__round__year=2024,
        response__municipality__code="461",
        technology__slug="skaermbesoeg",
    ).update(stage="in_operation")
    headline = _potential_cell(client.get("/gevinster/").content.decode())
    assert "4 årsværk (spænd 3–5" in headline  # only Aalborg's 200,000 inhabitants left


def test_exports_carry_the_range_and_the_figures_shown_apart(
    client: Client, small_world: None
) -> None:
    rows = client.get("/gevinster/tal.json").json()
    potential = {row["label"]: row for row in rows if row["group"] == "potential_ready_technology"}
    assert potential["Skærmbesøg"]["potential_fte"] == pytest.approx(8.0)
    assert potential["Skærmbesøg"]["potential_fte_low"] == pytest.approx(6.0)
    assert potential["Skærmbesøg"]["potential_fte_high"] == pytest.approx(10.0)
    assert potential["Robotic Process Automation"]["realised_uncertain"] is True


def test_the_dashboard_runs_in_a_fixed_number_of_queries(
    client: Client, small_world: None, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        assert client.get("/gevinster/").status_code == 200
