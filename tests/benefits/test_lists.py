"""List pages, exports and template tags run a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client, RequestFactory
from openpyxl import load_workbook

from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

from .factories import make_project, publish_overall_edition

pytestmark = pytest.mark.django_db


def _projects(count: int) -> None:
    municipalities = list(Municipality.objects.order_by("code")[:count])
    for number, municipality in enumerate(municipalities):
        make_project(
            municipality,
            technology="skaermbesoeg" if number % 2 else "rpa",
            follow_ups=((dt.date(2023, 6, 1), 900 + number), (dt.date(2024, 1, 1), 1000 + number)),
        )


@pytest.mark.parametrize(
    "path",
    [
        "/gevinster/projekter/",
        "/gevinster/projekter/eksport.csv",
        "/gevinster/projekter/eksport.json",
    ],
)
def test_project_lists_issue_a_fixed_number_of_queries(client: Client, path: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _projects(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    _projects(12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


def test_project_list_query_count_is_pinned(client: Client, django_assert_num_queries: Any) -> None:
    _projects(8)
    # Public request: count, page, follow-ups, the demo banner, technologies, domains,
    # municipality names for the filter.
    with django_assert_num_queries(7):
        client.get("/gevinster/projekter/")
    # Filtering by a typed name adds one query to find its code.
    with django_assert_num_queries(8):
        client.get("/gevinster/projekter/", {"kommune": "Københavns Kommune"})


def test_dashboard_query_count_is_pinned(client: Client, django_assert_num_queries: Any) -> None:
    _projects(8)
    # Projects, follow-ups, latest edition year: no edition, no potential.
    with django_assert_num_queries(3):
        client.get("/gevinster/tal.json")
    publish_overall_edition(2024, {"skaermbesoeg": "klar", "rpa": "klar"})
    # ... then the edition, its blips, the survey answers, populations, realised gains.
    with django_assert_num_queries(8):
        client.get("/gevinster/tal.json")


@pytest.mark.parametrize(
    "tag", ["municipality_projects municipality", "technology_projects technology"]
)
def test_template_tags_issue_two_queries(django_assert_num_queries: Any, tag: str) -> None:
    _projects(6)
    vejle = Municipality.objects.get(code="630")
    make_project(vejle, technology="skaermbesoeg")
    template = Template("{% load benefits_tags %}{% " + tag + " %}")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    context = Context(
        {
            "request": request,
            "municipality": vejle,
            "technology": Technology.objects.get(slug="skaermbesoeg"),
        }
    )
    with django_assert_num_queries(2):
        html = template.render(context)
    assert "Projekt i Vejle" in html
    assert "årsværk" in html


def test_project_exports_in_three_formats(client: Client) -> None:
    _projects(3)
    rows = json.loads(client.get("/gevinster/projekter/eksport.json").content)
    assert len(rows) == 3
    assert rows[0]["expected_fte"] == pytest.approx(1.0)
    assert rows[0]["realised_fte"] is not None
    csv_text = client.get("/gevinster/projekter/eksport.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id;titel;kommunekode")
    assert len(csv_text.splitlines()) == 4
    workbook = load_workbook(io.BytesIO(client.get("/gevinster/projekter/eksport.xlsx").content))
    sheet = workbook.active
    assert sheet is not None
    assert sheet.max_row == 4
    assert client.get("/gevinster/projekter/eksport.exe").status_code == 404


def test_filters_narrow_the_list(client: Client) -> None:
    _projects(4)
    body = client.get("/gevinster/projekter/?teknologi=rpa").content.decode()
    assert "2 projekter" in body


def test_spreadsheet_exports_defuse_formulas(client: Client) -> None:
    vejle = Municipality.objects.get(code="630")
    make_project(vejle, title='=HYPERLINK("http://evil.example","klik")', benefit_owner="@chef")
    csv_text = client.get("/gevinster/projekter/eksport.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert "'@chef" in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/gevinster/projekter/eksport.xlsx").content))
    sheet = workbook.active
    assert sheet is not None
    assert str(sheet.cell(row=2, column=2).value).startswith("'=")
    rows = json.loads(client.get("/gevinster/projekter/eksport.json").content)
    assert rows[0]["title"].startswith("=HYPERLINK")
