"""The outlook from the database: the 2030 gain recomputed by hand, the cache key, the
backtest on the demo data, the page, the scenario form, the downloads and the API."""

from __future__ import annotations

from io import StringIO
from statistics import median
from typing import Any

import pytest
from django.test import Client

from kommuneradar.benefits.models import FollowUp
from kommuneradar.catalog.models import Technology
from kommuneradar.outlook import projection as pj
from kommuneradar.outlook import services
from kommuneradar.places.models import Municipality

from .conftest import MEASURED_HOURS

pytestmark = pytest.mark.django_db


def rpa_outlook(result: services.Result) -> services.TechnologyOutlook:
    rpa = Technology.objects.get(slug="rpa").pk
    return next(row for row in result.technologies if row.technology_id == rpa)


def test_the_2030_gain_of_one_technology_recomputed_by_hand(panel: list[Municipality]) -> None:
    state, result = services.outlook()
    assert state.years == [2022, 2023, 2024] and state.step_years == 1 and state.steps == 6
    row = rpa_outlook(result)
    # Moves from "considering": to piloting twice, stayed once; from piloting: to operation
    # twice; from operation: stayed twice, scaled once. Only RPA has answers, so pooling
    # with its family changes nothing.
    considering_to_piloting = 2 / 3
    # In 2024: 1 and 3 in operation, 5 scaled (users already), 2 piloting, 4 considering.
    # A pilot is in operation one step later; a municipality considering it uses it by the
    # 6th step unless it still considers it after 5 steps.
    by_2030 = {"piloting": 1.0, "considering": 1 - (1 - considering_to_piloting) ** 5}
    people = [m.population for m in panel]
    additional = people[1] * by_2030["piloting"] + people[3] * by_2030["considering"]
    assert row.projection.additional_population.point == pytest.approx(additional)
    gains = [
        hours / 1924 / m.population * 1000 for hours, m in zip(MEASURED_HOURS, panel, strict=False)
    ]
    assert row.gain.measured_projects == 3 and row.in_total
    assert row.gain.fte == pytest.approx(additional * median(gains) / 1000)
    assert result.total.fte == pytest.approx(row.gain.fte)
    # Diffusion today 3 of 5; in 2030 every municipality but the one still considering.
    assert row.projection.today.diffusion.point == pytest.approx(3 / 5)
    assert row.projection.horizon.diffusion.point == pytest.approx((4 + by_2030["considering"]) / 5)
    assert row.projection.horizon.year == 2030


def test_the_backtest_projects_2024_from_2022_and_2023(panel: list[Municipality]) -> None:
    _state, result = services.outlook()
    row = rpa_outlook(result)
    assert row.backtest is not None
    # 2022 -> 2023 moves: considering to piloting 1 of 2, piloting to operation 1 of 1.
    # From 2023 (2 in operation, 1 piloting, 1 considering, 1 not considering) one step.
    projected = (2 + 1 + 0.5 * 0) / 5
    assert row.backtest.projected == pytest.approx(projected)
    assert row.backtest.naive == pytest.approx(2 / 5)
    assert row.backtest.actual == pytest.approx(3 / 5)


def test_the_cache_key_changes_when_answers_or_gains_are_published(
    panel: list[Municipality], make_round: Any
) -> None:
    from kommuneradar.radar.editions import compute_round

    before = services.fingerprint()
    assert services.fingerprint() == before
    for follow_up in FollowUp.objects.filter(project__municipality=panel[0]):
        follow_up.hours_freed = 100
        follow_up.save()  # as every write path does: the published-data version moves
    after_gain = services.fingerprint()
    assert after_gain != before
    compute_round(make_round(2025, {"rpa": ["scaled"] * 5}), publish=True)
    assert services.fingerprint() != after_gain
    state, _result = services.outlook()
    assert state.latest_year == 2025


def test_a_scenario_pushes_the_projection_up(panel: list[Municipality]) -> None:
    _state, baseline = services.outlook()
    faster = services.outlook(pj.Scenario(speed=2.0, pilots_adopt=True))[1]
    assert faster.total.fte >= baseline.total.fte
    # The one considering it reaches use in two steps for certain (baseline: 2 in 3).
    assert rpa_outlook(faster).projection.years[2].diffusion.point == pytest.approx(1.0)
    assert rpa_outlook(baseline).projection.years[2].diffusion.point == pytest.approx(
        (4 + 2 / 3) / 5
    )
    assert faster.domains == []  # a scenario is projected per technology


def test_the_page_shows_the_total_the_backtest_and_the_method(
    client: Client, panel: list[Municipality], django_assert_num_queries: Any
) -> None:
    page = client.get("/fremskrivning/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "44.000" in html
    assert "backtest-heading" in html and "method-heading" in html
    # The backtest's error stands beside "no change" on the page.
    row = rpa_outlook(page.context["baseline"])
    assert row.backtest is not None
    assert f"{row.backtest.error * 100:.1f}".replace(".", ",") in html


# The catalogue's technologies and domains (2), the demo marker (1).
PAGE_QUERIES = 3
# Once per published-data version: the data state (4). Fitting: how many places there are
# (few: fitted in the request), placement rules, published rounds, populations,
# technologies, answers, blips, measured gains, programme tracks (2).
FIT_QUERIES = 4 + 10


def test_the_page_issues_a_fixed_number_of_queries(
    client: Client, panel: list[Municipality], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(PAGE_QUERIES + FIT_QUERIES):
        assert client.get("/fremskrivning/").status_code == 200
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get("/fremskrivning/").status_code == 200
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get("/fremskrivning/?fart=1,5&piloter=on&program=rpa").status_code == 200


def test_a_scenario_has_a_shareable_url_and_shows_beside_the_baseline(
    client: Client, panel: list[Municipality]
) -> None:
    page = client.get("/fremskrivning/?fart=1,5&piloter=on&program=rpa")
    assert page.status_code == 200
    assert page.context["alternative"] is not None
    html = page.content.decode()
    assert 'value="1,5"' in html or 'value="1.5"' in html
    assert "fart=1%2C5" in html  # the downloads carry the scenario
    assert page.context["alternative"].programme_technologies == {
        Technology.objects.get(slug="rpa").pk
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("fart=hurtigt", "Type the speed as a number"),
        ("fart=99", "The speed can be at most 4"),
        ("fart=0,1", "The speed must be at least 0.25"),
        ("fart=1,12345", "at most two decimals"),
        ("program=no-such-thing", "is not a technology in the outlook"),
        ("fart=%00abc", "Type the speed as a number"),
    ],
)
def test_a_bad_scenario_says_why_keeps_the_input_and_shows_the_baseline(
    client: Client, panel: list[Municipality], query: str, message: str
) -> None:
    client.cookies["django_language"] = "en"
    page = client.get(f"/fremskrivning/?{query}")
    assert page.status_code == 200
    assert message in page.content.decode()
    assert page.context["alternative"] is None


def test_a_very_long_query_string_is_bounded(client: Client, panel: list[Municipality]) -> None:
    query = "&".join(["program=" + "x" * 500] * 200 + ["fart=" + "9" * 5000])
    assert client.get(f"/fremskrivning/?{query}").status_code == 200


def test_the_page_without_any_published_round_says_so(client: Client, db: Any) -> None:
    page = client.get("/fremskrivning/")
    assert page.status_code == 200
    assert page.context["state"].years == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_figures_download_in_every_format(
    client: Client, panel: list[Municipality], fmt: str
) -> None:
    for path in ("/fremskrivning/tal.", "/fremskrivning/fagomraader."):
        answer = client.get(f"{path}{fmt}?fart=2")
        assert answer.status_code == 200
        assert "attachment" in answer["Content-Disposition"]
    csv = client.get("/fremskrivning/tal.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("teknologi;navn;ring i dag")
    assert "rpa;" in csv


def test_the_technology_page_shows_a_fan_chart_with_its_table(
    client: Client, panel: list[Municipality]
) -> None:
    html = client.get("/teknologi/rpa/").content.decode()
    assert 'id="outlook-heading"' in html
    assert 'id="outlook-table-caption"' in html
    assert html.count('role="img"') >= 2


def test_the_municipality_profile_shows_its_own_outlook(
    client: Client, panel: list[Municipality]
) -> None:
    considering = panel[3]
    page = client.get(f"/kommuner/{considering.code}/")
    html = page.content.decode()
    assert 'id="outlook-caption"' in html
    assert "/teknologi/rpa/" in html


def test_the_api_gives_the_same_figures(client: Client, panel: list[Municipality]) -> None:
    data = client.get("/api/v1/outlook/").json()
    _state, result = services.outlook()
    rpa = next(row for row in data["technologies"] if row["technology"] == "rpa")
    assert rpa["gain"]["fte"] == pytest.approx(rpa_outlook(result).gain.fte)
    assert data["horizon_year"] == 2030 and len(rpa["years"]) == 7
    assert client.get("/api/v1/outlook/?speed=2&pilots_adopt=true&programme=rpa").status_code == 200
    assert client.get("/api/v1/outlook/?speed=99").status_code == 422
    assert client.get("/api/v1/outlook/?programme=nothing").status_code == 422
    assert client.get("/api/v1/outlook/technologies/rpa").json()["technology"] == "rpa"
    assert client.get("/api/v1/outlook/technologies/nothing").status_code == 404


def test_the_backtest_runs_on_the_demo_data_and_the_page_shows_it(client: Client, db: Any) -> None:
    from kommuneradar.demo import benefits_data, network_data, survey_data

    survey_data.load(7, StringIO())
    benefits_data.load(7, StringIO())
    network_data.load(7, StringIO())
    state, result = services.outlook()
    assert state.years == [2021, 2022, 2023, 2024] and state.backtest_years == (2023, 2024)
    assert result.backtest_error is not None and result.backtest_naive_error is not None
    assert len([row for row in result.technologies if row.backtest]) >= 20
    html = client.get("/fremskrivning/").content.decode()
    shown = f"{result.backtest_error * 100:.1f}".replace(".", ",")
    naive = f"{result.backtest_naive_error * 100:.1f}".replace(".", ",")
    assert shown in html and naive in html
    assert result.total.technologies >= 3
    for row in result.technologies:
        for year in row.projection.years:
            assert sum(band.point for band in year.stages) == pytest.approx(1.0)
