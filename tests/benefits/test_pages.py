"""The public pages and who may see which project."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kommuneradar.places.models import Municipality

from .factories import make_project

pytestmark = pytest.mark.django_db


def test_dashboard_renders_with_no_projects(client: Client) -> None:
    response = client.get("/gevinster/")
    assert response.status_code == 200
    assert "44.000" in response.content.decode()


def test_dashboard_renders_with_projects(client: Client, vejle: Municipality) -> None:
    make_project(vejle, follow_ups=((dt.date(2023, 6, 1), 962),))
    response = client.get("/gevinster/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    assert "usikker" in body  # one project: uncertain


def test_project_page_shows_chart_table_and_overdue_flag(
    client: Client, vejle: Municipality
) -> None:
    project = make_project(
        vejle,
        start_date=dt.date(2022, 1, 1),
        follow_ups=((dt.date(2022, 7, 1), 962), (dt.date(2023, 1, 1), 2000)),
    )
    response = client.get(f"/gevinster/projekter/{project.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    assert "Opfølgning forsinket" in body
    assert "under det forventede" in body
