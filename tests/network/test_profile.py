"""The municipality list and profile: stages over the rounds, comparison, peers,
mentors and recommendations, exports, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from kommuneradar.benefits.models import FollowUp, Project
from kommuneradar.cases.models import Case
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.network.models import Enrolment, Milestone, Programme, Track
from kommuneradar.network.services import municipality_profile, technology_network
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from kommuneradar.surveys.models import Round
from tests.spreadsheets import csv_rows, xlsx_rows

from .conftest import ROBOTS, SCREEN_VISITS

pytestmark = pytest.mark.django_db

# The profile page's queries: demo banner, municipality, year, domains, technologies,
# blips, own answers, evidence (2), realised gains, the shortlist of similar municipalities,
# mentors and peers (1), the shortlisted and size-neighbouring municipalities (1), their
# stages (1), the size group's tallies per domain (1), enrolments (+ tracks, milestones),
# joint projects, the cases tag (2) and the projects tag (2); the correction note of a
# revised round (1); the outlook tag: the data state (4) and the catalogue (1), and, once per
# data state, counting the places and fitting the outlook (1 + 9).
PROFILE_QUERIES = 23 + 5 + 1 + 9


def test_profile_shows_population_source_region_and_stages(
    client: Client, published_survey: Round
) -> None:
    page = client.get("/kommuner/101/")
    assert page.status_code == 200
    html = page.content.decode()
    copenhagen = Municipality.objects.get(code="101")
    assert "<h1>København</h1>" in html
    assert copenhagen.region_name in html
    profile = page.context["profile"]
    assert profile.years == [2023]
    rows = {row.technology.slug: row.stages for h in profile.histories for row in h.rows}
    assert rows == {"skaermbesoeg": ["considering"], "rpa": ["scaled"]}


def test_recommendation_is_ready_unused_and_names_only_users_as_mentors(
    published_survey: Round,
) -> None:
    profile = municipality_profile(Municipality.objects.get(code="101"))
    assert [r.technology.slug for r in profile.recommendations] == ["skaermbesoeg"]
    recommendation = profile.recommendations[0]
    assert recommendation.ring == "klar"
    users = {
        m.code
        for m, stage in zip(_first_ten(), SCREEN_VISITS, strict=True)
        if stage
        in (
            "in_operation",
            "scaled",
        )
    }
    assert recommendation.mentors
    assert {row.municipality.code for row in recommendation.mentors} <= users
    # The nine others that answered are the similar group; seven of them use it.
    assert recommendation.recommendation.candidate.similar_users == 7
    assert recommendation.recommendation.candidate.similar_count == 9
    assert recommendation.recommendation.basis == "peers_only"


def test_peers_are_at_the_same_stage_with_the_reason_shown(
    client: Client, published_survey: Round
) -> None:
    profile = municipality_profile(Municipality.objects.get(code="101"))
    work = {w.technology.slug: w for w in profile.in_progress}
    screen = work["skaermbesoeg"]
    considering = [
        m.code for m, s in zip(_first_ten(), SCREEN_VISITS, strict=True) if s == "considering"
    ]
    assert [p.municipality.code for p in screen.peers] == [c for c in considering if c != "101"]
    assert "same_stage" in screen.peers[0].reasons
    assert "same_region" in screen.peers[0].reasons
    html = client.get("/kommuner/101/").content.decode()
    assert screen.peers[0].reasons_text in html


def test_comparison_has_a_chart_and_a_table(client: Client, published_survey: Round) -> None:
    page = client.get("/kommuner/101/")
    html = page.content.decode()
    assert 'role="img"' in html
    comparison = page.context["profile"].comparison
    assert comparison[0].own == 1  # København has only RPA in use
    assert len(page.context["profile"].size_group) == 10


def test_profile_issues_a_fixed_number_of_queries(
    client: Client,
    published_survey: Round,
    make_round: Any,
    django_assert_num_queries: Any,
) -> None:
    copenhagen = Municipality.objects.get(code="101")
    enrol_in_a_programme(copenhagen)
    Case.objects.create(
        title="Robotter i lønkontoret",
        summary="Kort resumé.",
        lead_municipality=copenhagen,
        state=Case.State.PUBLISHED,
    )
    measured_project(copenhagen, "rpa", hours=1924)
    with django_assert_num_queries(PROFILE_QUERIES):
        assert client.get("/kommuner/101/").status_code == 200
    more = ["sensorer", "telemedicin", "traeningsvideoer", "apps"]
    stages = {slug: ROBOTS for slug in more} | {"skaermbesoeg": SCREEN_VISITS}
    for year in (2024, 2025):
        compute_round(make_round(year, stages, rating=7), publish=True)
    compute_round(make_round(2024, {"rpa": ROBOTS}, domain="social"), publish=True)
    with django_assert_num_queries(PROFILE_QUERIES):
        page = client.get("/kommuner/101/")
    assert page.context["profile"].years == [2023, 2024, 2025]


def test_municipality_list_issues_a_fixed_number_of_queries(
    client: Client, published_survey: Round, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(4):
        page = client.get("/kommuner/")
    html = page.content.decode()
    assert 'href="/kommuner/630/"' in html
    assert html.count("<tr>") == 98 + 1


def test_unknown_municipality_is_a_404(client: Client) -> None:
    assert client.get("/kommuner/999/").status_code == 404
    assert client.get("/kommuner/101/hemmelig.csv").status_code == 404
    assert client.get("/kommuner/eksport.xml", follow=True).status_code == 404


def test_exports_carry_the_same_recommendations_in_csv_and_json(
    client: Client, published_survey: Round
) -> None:
    document = json.loads(client.get("/kommuner/101/eksport.json").content)
    assert document["municipality"]["code"] == "101"
    assert [r["technology"] for r in document["recommendations"]] == ["skaermbesoeg"]
    rows = csv_rows(client.get("/kommuner/101/anbefalinger.csv"))
    assert [r["teknologi"] for r in rows] == ["skaermbesoeg"]
    assert rows[0]["mentorer"] == "; ".join(document["recommendations"][0]["mentors"])
    stages = csv_rows(client.get("/kommuner/101/stadier.csv"))
    assert {(r["teknologi"], r["stadie"]) for r in stages} == {
        ("skaermbesoeg", "considering"),
        ("rpa", "scaled"),
    }
    assert len(csv_rows(client.get("/kommuner/eksport.csv"))) == 98
    assert len(xlsx_rows(client.get("/kommuner/eksport.xlsx"))) == 98
    api = client.get("/api/v1/municipalities/101").json()
    assert api["recommendations"] == document["recommendations"]


def test_technology_network_tag_lists_users_with_documented_value_first(
    published_survey: Round,
) -> None:
    screen = Technology.objects.get(slug="skaermbesoeg")
    users = [
        m
        for m, s in zip(_first_ten(), SCREEN_VISITS, strict=True)
        if s in ("in_operation", "scaled")
    ]
    documented = users[-1]
    case = Case.objects.create(
        title="Skærmbesøg i hjemmeplejen",
        summary="Kort resumé.",
        lead_municipality=documented,
        state=Case.State.PUBLISHED,
    )
    case.technologies.set([screen])
    network = technology_network(screen)
    year, rows = network.year, network.rows
    assert year == 2023
    assert (network.total, network.documented) == (len(rows), 1)
    assert technology_network(screen, limit=2).rows == rows[:2]
    assert {r.municipality.code for r in rows} == {m.code for m in users}
    assert rows[0].municipality == documented and rows[0].documented
    assert not any(r.documented for r in rows[1:])


def measured_project(municipality: Municipality, technology: str, hours: float) -> Project:
    project = Project.objects.create(
        municipality=municipality,
        technology=Technology.objects.get(slug=technology),
        domain=Domain.objects.get(slug="sundhed-og-aeldre"),
        title=f"Projekt i {municipality.name}",
        start_date=dt.date(2022, 1, 1),
        status=Project.Status.IN_OPERATION,
        benefit_owner="Leder af hjemmeplejen",
        published=True,
    )
    FollowUp.objects.create(
        project=project, measured_on=dt.date(2023, 6, 1), hours_freed=Decimal(str(hours))
    )
    return project


def test_measured_gains_join_the_ranking_and_are_explained(
    client: Client, published_survey: Round
) -> None:
    ten = _first_ten()
    # Ballerup (index 2) does not use RPA; København measured a gain with it.
    measured_project(ten[0], "rpa", hours=1924 * 3)
    profile = municipality_profile(ten[2])
    assert profile.recommendation_basis == "gain_and_peers"
    by_slug = {r.technology.slug: r for r in profile.recommendations}
    rpa = by_slug["rpa"].recommendation
    assert rpa.candidate.gain_projects == 1
    per_1000 = 3 / (ten[0].population / 1000)
    assert rpa.expected_fte is not None
    assert abs(rpa.expected_fte - per_1000 * ten[2].population / 1000) < 0.01
    mentors = by_slug["rpa"].mentors
    assert mentors[0].municipality == ten[0] and mentors[0].documented
    html = client.get(f"/kommuner/{ten[2].code}/").content.decode()
    assert "målte projekter" in html


def enrol_in_a_programme(municipality: Municipality) -> None:
    programme = Programme.objects.create(
        name="Teknologipartnerskab",
        slug="tp",
        summary="Fælles implementering.",
        starts_on=dt.date(2023, 3, 28),
        ends_on=dt.date(2024, 9, 30),
        enrolment_deadline=dt.date(2023, 3, 6),
        fee_dkk=50_000,
    )
    track = Track.objects.create(programme=programme, theme="Velfærdsteknologi", name="Skærmbesøg")
    enrolment = Enrolment.objects.create(
        programme=programme,
        municipality=municipality,
        commitment="Skærmbesøg i hjemmeplejen inden udgangen af 2023.",
        contact_name="Karen Holm",
        contact_email="kh@example.dk",
        enrolled_on=dt.date(2023, 3, 1),
    )
    enrolment.tracks.set([track])
    Milestone.objects.create(
        enrolment=enrolment, track=track, kind="decision", reached_on=dt.date(2023, 4, 1)
    )


def _first_ten() -> list[Municipality]:
    return list(Municipality.objects.order_by("code")[:10])


def test_technology_network_tag_renders_a_table_in_a_fixed_number_of_queries(
    published_survey: Round, django_assert_num_queries: Any
) -> None:
    template = Template("{% load network_tags %}{% technology_network technology %}")
    screen = Technology.objects.get(slug="skaermbesoeg")
    with django_assert_num_queries(5):
        html = template.render(Context({"technology": screen}))
    assert "<caption>" in html
    assert html.count('<th scope="row">') == 7
    assert 'href="/kommuner/147/"' in html


def test_the_technology_page_lists_the_first_users_and_says_how_many_there_are(
    published_survey: Round, monkeypatch: Any
) -> None:
    """At scale thousands of organisations use a technology: the page lists the first ones
    (documented value first, then the largest) and counts them all."""
    from kommuneradar.network.templatetags import network_tags

    monkeypatch.setattr(network_tags, "MENTORS_SHOWN", 3)
    template = Template("{% load network_tags %}{% technology_network technology %}")
    with translation.override("da"):
        html = template.render(Context({"technology": Technology.objects.get(slug="skaermbesoeg")}))
    assert html.count('<th scope="row">') == 3
    assert "7 kommuner havde den i drift" in html
    assert "(de første 3: dokumenteret værdi først, derefter de største)" in html
