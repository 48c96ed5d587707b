"""The whole adoption pipeline: every stage counted per domain and over the survey rounds,
and who is piloting or considering a technology, on the technology page and the radar."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.catalog.models import Domain
from kommuneradar.places.models import Municipality
from kommuneradar.radar import pipeline, presentation
from kommuneradar.radar.editions import compute_round
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer

from .conftest import MakeRound

# -- pure ----------------------------------------------------------------------------------


def test_a_municipality_counts_once_at_its_most_advanced_stage() -> None:
    counts = pipeline.stage_counts(
        [("101", "piloting"), ("101", "scaled"), ("147", "not_relevant"), ("151", "discontinued")]
    )
    assert counts.of(v.SCALED) == 1
    assert counts.of(v.PILOTING) == 0
    assert counts.of(v.NOT_RELEVANT) == 1
    assert counts.of(v.DISCONTINUED) == 1
    assert counts.respondents == 3


def test_the_pipeline_shows_every_stage_of_the_vocabulary() -> None:
    assert sorted(pipeline.PIPELINE_ORDER) == sorted(v.STAGES)


@given(
    st.lists(
        st.tuples(st.sampled_from(["101", "147", "151", "153"]), st.sampled_from(v.STAGES)),
        max_size=30,
    )
)
def test_counts_add_up_to_the_municipalities_that_answered(answers: list[tuple[str, str]]) -> None:
    counts = pipeline.stage_counts(answers)
    assert counts.respondents == len({code for code, _stage in answers})
    assert all(count >= 0 for count in counts.counts)
    users = {code for code, stage in answers if stage in v.USING_STAGES}
    assert counts.of(v.IN_OPERATION) + counts.of(v.SCALED) == len(users)


# -- through the pages ---------------------------------------------------------------------

HEALTH_2024 = [
    "scaled",
    "scaled",
    "in_operation",
    "piloting",
    "considering",
    "considering",
    "not_considering",
    "not_relevant",
]
SOCIAL_2024 = ["piloting", "in_operation", "considering", "considering", "scaled"]


@pytest.fixture
def places(db: Any) -> list[Municipality]:
    return list(Municipality.objects.order_by("code")[:8])


@pytest.fixture
def surveyed(make_round: MakeRound, places: list[Municipality]) -> None:
    """2023 and 2024 published; 2025 computed but not published (not public)."""
    compute_round(
        make_round(
            2023,
            {
                "skaermbesoeg": [
                    "scaled",
                    "discontinued",
                    "piloting",
                    "considering",
                    "not_considering",
                    "considering",
                ]
            },
        ),
        publish=True,
    )
    make_round(2024, {"skaermbesoeg": HEALTH_2024, "sensorer": ["scaled"] * 6})
    compute_round(make_round(2024, {"skaermbesoeg": SOCIAL_2024}, domain="social"), publish=True)
    compute_round(make_round(2025, {"skaermbesoeg": ["piloting"] * 8}), publish=False)


def _cells(html: str, caption: str) -> dict[str, list[str]]:
    """The rows of the table with `caption`: row header -> the other cells' text."""
    start = html.index(caption)
    table = html[start : html.index("</table>", start)]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        header = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if header:
            name = re.sub(r"<[^>]+>", "", header.group(1)).strip()
            rows[name] = [c.strip() for c in re.findall(r'<td class="num">(.*?)</td>', row, re.S)]
    return rows


STAGE_HEADERS = "I drift", "Udbredt i hele organisationen", "Afprøver", "Overvejer"


def test_technology_page_counts_every_stage_per_domain_and_round(
    client: Client, surveyed: None
) -> None:
    html = client.get("/teknologi/skaermbesoeg/").content.decode()
    for header in (*STAGE_HEADERS, "Overvejer ikke", "Ikke relevant", "Udfaset", "Svaret"):
        assert f'<th scope="col" class="num">{header}</th>' in html
    latest = _cells(html, "Kommuner på hvert trin for Skærmbesøg, undersøgelsen 2024")
    # in operation, scaled, piloting, considering, not considering, not relevant,
    # discontinued, answered
    assert latest["Sundhed og ældre"] == ["1", "2", "1", "2", "1", "1", "0", "8"]
    assert latest["Social"] == ["1", "1", "1", "2", "0", "0", "0", "5"]
    # All domains, each municipality by its most advanced answer.
    assert latest["alle fagområder"] == ["1", "3", "1", "1", "1", "1", "0", "8"]
    history = _cells(html, "Kommuner på hvert trin pr. undersøgelsesår og fagområde")
    assert history["2023, alle fagområder"] == ["0", "1", "1", "2", "1", "0", "1", "6"]
    assert "2024, Social" in history
    assert not any(key.startswith("2025") for key in history)  # not published
    assert "Kommuner på hvert trin for Skærmbesøg pr. undersøgelsesår" in html  # the chart


def test_technology_page_lists_who_is_piloting_and_considering(
    client: Client, surveyed: None, places: list[Municipality]
) -> None:
    html = client.get("/teknologi/skaermbesoeg/").content.decode()
    section = html[html.index("Hvem afprøver eller overvejer den (2024)") :]
    piloting = section[
        section.index("Afprøver: 2 kommuner") : section.index("Overvejer: 4 kommuner")
    ]
    considering = section[section.index("Overvejer: 4 kommuner") :]
    considering = considering[: considering.index("</ul>")]
    for place in (places[3], places[0]):
        assert f'<a href="/kommuner/{place.code}/">{place.name}</a>' in piloting
    for place in (places[4], places[5], places[2], places[3]):
        assert f'<a href="/kommuner/{place.code}/">{place.name}</a>' in considering
    assert places[7].name not in piloting + considering
    # Each link leads to the municipality's profile.
    assert client.get(f"/kommuner/{places[3].code}/").status_code == 200


def test_technology_page_without_a_published_round_says_so(
    client: Client, make_round: MakeRound
) -> None:
    compute_round(make_round(2025, {"skaermbesoeg": ["piloting"] * 6}), publish=False)
    html = client.get("/teknologi/skaermbesoeg/").content.decode()
    assert "Ingen offentliggjort undersøgelsesrunde har endnu svar om denne teknologi." in html
    assert "Afprøver:" not in html


def test_radar_table_shows_the_whole_pipeline(client: Client, surveyed: None) -> None:
    html = client.get("/radar/2024/").content.decode()
    rows = _cells(html, "Kommuner på hvert trin pr. teknologi, undersøgelsen 2024")
    assert rows["Skærmbesøg"] == ["1", "3", "1", "1", "1", "1", "0", "8"]
    assert rows["Sensorer"] == ["0", "6", "0", "0", "0", "0", "0", "6"]
    domain = _cells(
        client.get("/radar/2024/social/").content.decode(),
        "Kommuner på hvert trin pr. teknologi, undersøgelsen 2024",
    )
    assert domain["Skærmbesøg"] == ["1", "1", "1", "2", "0", "0", "0", "5"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rolled_up_tally_counts_each_municipality_once_at_its_most_advanced_answer(
    make_round: MakeRound, seed: int
) -> None:
    """One statement per round and domain and per round over all domains gives what the
    pure rule gives, on varied answers (some municipalities answer in one domain only)."""
    chosen = random.Random(seed)
    domains = ("sundhed-og-aeldre", "social")
    given: dict[tuple[int, str], list[str]] = {}
    for year in (2023, 2024):
        for domain in domains:
            stages = [chosen.choice(v.STAGES) for _ in range(chosen.randint(3, 12))]
            given[(year, domain)] = stages
            make_round(year, {"skaermbesoeg": stages}, domain=domain)
    codes = list(Municipality.objects.order_by("code").values_list("code", flat=True))
    ids = dict(Domain.objects.filter(slug__in=domains).values_list("slug", "id"))
    expected: dict[tuple[int, int | None], pipeline.StageCounts] = {}
    for year in (2023, 2024):
        both: list[tuple[str, str]] = []
        for domain in domains:
            pairs = list(zip(codes, given[(year, domain)], strict=False))
            expected[(year, ids[domain])] = pipeline.stage_counts(pairs)
            both += pairs
        expected[(year, None)] = pipeline.stage_counts(both)
    answers = Answer.objects.filter(technology__slug="skaermbesoeg")
    tallied = presentation.stage_tally(
        answers, "response__round__year", "response__domain_id", rolled_up=True
    )
    assert tallied == expected


def test_technology_page_queries_do_not_grow_with_rounds(
    client: Client, make_round: MakeRound, django_assert_num_queries: Any
) -> None:
    # The technology, its blips, the answers (counted per round and domain and per round in
    # one statement, and who pilots or considers it: 2), the domains, its ring reasons, then
    # the cases, projects, network (5: the users grouped, then the 50 shown) and
    # automation-pipeline tags of the other apps; the outlook tag's data state (4) and, once
    # per data state, counting the places and fitting the outlook (1 + 9).
    queries = 16 + 4 + 1 + 9
    compute_round(make_round(2023, {"skaermbesoeg": HEALTH_2024}), publish=True)
    with django_assert_num_queries(queries):
        client.get("/teknologi/skaermbesoeg/")
    for year in (2024, 2025):
        compute_round(make_round(year, {"skaermbesoeg": SOCIAL_2024 * 2}), publish=True)
    with django_assert_num_queries(queries):
        client.get("/teknologi/skaermbesoeg/")
