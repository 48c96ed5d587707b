"""The labour-gap dashboard: its totals are the sums of the published projects."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client

from kommuneradar.benefits import gap, services
from kommuneradar.benefits.models import FollowUp, Project
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality
from tests.spreadsheets import csv_rows

from .factories import make_project, publish_overall_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(vejle: Municipality, aarhus: Municipality) -> list[Project]:
    odense = Municipality.objects.get(code="461")
    return [
        make_project(
            vejle,
            hours_expected=1924,
            follow_ups=((dt.date(2023, 6, 1), 962), (dt.date(2024, 1, 1), 1443)),
        ),
        make_project(aarhus, hours_expected=3848, follow_ups=((dt.date(2024, 2, 1), 4000),)),
        make_project(odense, hours_expected=962, follow_ups=((dt.date(2024, 3, 1), 500),)),
        make_project(
            odense, technology="rpa", domain="oekonomi-og-administration", hours_expected=5000
        ),
        make_project(
            vejle,
            technology="rpa",
            domain="oekonomi-og-administration",
            hours_expected=None,
            follow_ups=((dt.date(2024, 1, 1), 192.4),),
        ),
        # Not published: counts nowhere on the public dashboard.
        make_project(
            aarhus,
            published=False,
            hours_expected=100_000,
            follow_ups=((dt.date(2024, 1, 1), 100_000),),
        ),
    ]


def _independent_totals() -> tuple[float, float, int, int]:
    """Expected and realised FTE recomputed straight from the tables, without the app's code."""
    published = Project.objects.filter(published=True)
    expected_hours = published.filter(business_case__isnull=False).aggregate(
        total=Sum("business_case__hours_freed")
    )["total"] or Decimal(0)
    realised_hours = Decimal(0)
    measured = 0
    for project in published:
        latest = FollowUp.objects.filter(project=project).order_by("-measured_on", "-id").first()
        if latest is not None:
            realised_hours += latest.hours_freed
            measured += 1
    expected_count = published.filter(business_case__isnull=False).count()
    return float(expected_hours) / 1924, float(realised_hours) / 1924, expected_count, measured


def test_dashboard_totals_equal_the_sum_of_the_published_projects(projects: list[Project]) -> None:
    expected, realised, expected_count, measured = _independent_totals()
    board = services.dashboard()
    assert board.overall.expected_fte == pytest.approx(expected)
    assert board.overall.realised_fte == pytest.approx(realised)
    assert board.overall.expected_projects == expected_count == 4
    assert board.overall.measured_projects == measured == 4
    assert board.overall.projects == 5
    # By hand: expected (1924 + 3848 + 962 + 5000) / 1924 = 6.0582; realised
    # (1443 + 4000 + 500 + 192.4) / 1924 = 3.1889 (latest follow-up of each project).
    assert board.overall.expected_fte == pytest.approx(11734 / 1924)
    assert board.overall.realised_fte == pytest.approx(6135.4 / 1924)


def test_every_breakdown_adds_up_to_the_total(projects: list[Project]) -> None:
    board = services.dashboard()
    for rows in (board.by_technology, board.by_domain, board.by_region):
        assert sum(row.expected_fte for row in rows) == pytest.approx(board.overall.expected_fte)
        assert sum(row.realised_fte for row in rows) == pytest.approx(board.overall.realised_fte)
        assert sum(row.projects for row in rows) == board.overall.projects


def test_groups_of_fewer_than_three_projects_are_uncertain(projects: list[Project]) -> None:
    board = services.dashboard()
    by_label = {row.label: row for row in board.by_technology}
    assert not by_label["Skærmbesøg"].realised_uncertain  # three measured
    assert by_label["Robotic Process Automation"].realised_uncertain  # one measured
    assert by_label["Robotic Process Automation"].expected_uncertain  # one business case


def test_potential_takes_the_latest_ready_ring_and_counts_no_unknown_municipality(
    projects: list[Project],
) -> None:
    publish_overall_edition(2023, {"rpa": "klar"})
    publish_overall_edition(2024, {"skaermbesoeg": "klar", "rpa": "afproev", "cloud": "klar"})
    board = services.dashboard()
    assert board.edition is not None and board.edition.round.year == 2024
    rows = {row.technology: row for row in board.potential.all_rows}
    assert set(rows) == {"Skærmbesøg", "Cloud"}
    gains = sorted(
        (hours / 1924) * 1000 / Municipality.objects.get(code=code).population
        for code, hours in (("630", 1443), ("751", 4000), ("461", 500))
    )
    assert rows["Skærmbesøg"].median_fte_per_1000 == pytest.approx(gains[1])
    assert rows["Skærmbesøg"].measured_projects == 3
    # Nobody answered the 2024 survey here: no municipality is known not to use it.
    assert rows["Skærmbesøg"].unknown == 98
    assert rows["Skærmbesøg"].potential_fte == 0
    assert rows["Cloud"].potential_fte is None
    assert [row.technology for row in board.potential.apart] == ["Cloud"]
    assert board.potential.technologies_without_measurement == 1
    page = Client().get("/gevinster/").content.decode()
    assert "Vist for sig: færre end 3 målte projekter" in page


def test_dashboard_page_states_the_gap_its_source_and_the_counts(
    client: Client, projects: list[Project]
) -> None:
    publish_overall_edition(2024, {"skaermbesoeg": "klar"})
    body = client.get("/gevinster/").content.decode()
    assert "44.000" in body
    assert "Kilde: KL" in body
    assert "bygger på 4 projekter med måling" in body
    assert "usikker" in body


def test_dashboard_exports_hold_the_same_totals(client: Client, projects: list[Project]) -> None:
    board = services.dashboard()
    data = json.loads(client.get("/gevinster/tal.json").content)
    overall = next(row for row in data if row["group"] == "all")
    assert overall["realised_fte"] == pytest.approx(board.overall.realised_fte, abs=1e-3)
    assert overall["measured_projects"] == 4
    csv_response = client.get("/gevinster/tal.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "realiserede årsværk" in csv_rows(csv_response)[0]
    xlsx = client.get("/gevinster/tal.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert client.get("/gevinster/tal.pdf").status_code == 404


def test_api_dashboard_and_projects_show_only_published(
    client: Client, projects: list[Project]
) -> None:
    figures = client.get("/api/v1/benefits/summary").json()["figures"]
    assert any(row["group"] == "technology" for row in figures)
    page = client.get("/api/v1/projects?limit=2").json()
    assert page["count"] == 5
    assert len(page["results"]) == 2
    assert all(row["published"] for row in page["results"])


def test_totals_by_is_pure_and_sorted() -> None:
    facts = [
        gap.ProjectFact(1, "A", "d", "r", True, 1.0, 0.5, 2.0, 0.5),
        gap.ProjectFact(2, "B", "d", "r", True, 2.0, 1.0, 3.0, None),
        gap.ProjectFact(3, "A", "d", "r", False, 0.0, 0.0, 0.0, 1.0),
    ]
    rows = gap.totals_by(facts, lambda fact: fact.technology)
    assert [row.label for row in rows] == ["A", "B"]
    a = rows[0]
    assert (a.projects, a.expected_projects, a.measured_projects) == (2, 1, 2)
    assert a.realised_fte == 1.5
    assert a.expected_fte_pessimistic == 0.5
    assert a.realisation_share == pytest.approx(1.5 / 1.0)
    assert gap.total([]).realisation_share is None


def test_technology_names_in_the_tests_exist() -> None:
    assert Technology.objects.filter(slug__in=["skaermbesoeg", "rpa", "cloud"]).count() == 3


def test_dashboard_counts_overdue_follow_ups(client: Client, vejle: Municipality) -> None:
    make_project(vejle, follow_ups=((dt.date.today(), 1000),))  # just followed up
    make_project(vejle, start_date=dt.date(2022, 1, 1))  # never followed up: overdue
    make_project(vejle, status=Project.Status.PLANNED)  # not yet due
    board = services.dashboard()
    assert (board.overdue_projects, board.tracked_projects) == (1, 2)
    assert (
        "1 af 2 projekter under implementering eller i drift"
        in client.get("/gevinster/").content.decode()
    )
