""" "Enrolled municipalities" means one thing everywhere: every enrolment but the withdrawn."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from kommuneradar.network.models import Enrolment, Programme
from kommuneradar.places.models import Municipality

from .test_programmes import make_programme

pytestmark = pytest.mark.django_db


def _enrol(programme: Programme, code: str, status: str) -> None:
    Enrolment.objects.create(
        programme=programme,
        municipality=Municipality.objects.get(code=code),
        commitment="Skærmbesøg i hjemmeplejen.",
        contact_name="Kim",
        contact_email="kim@example.dk",
        enrolled_on=dt.date(2023, 3, 1),
        status=status,
    )


def test_the_list_and_the_programme_page_count_the_same_municipalities(client: Client) -> None:
    programme = make_programme(dt.date(2023, 3, 6))
    for code, status in (
        ("101", "enrolled"),
        ("147", "active"),
        ("151", "completed"),
        ("153", "withdrawn"),
        ("155", "withdrawn"),
    ):
        _enrol(programme, code, status)
    listing = client.get("/partnerskaber/").content.decode()
    row = re.search(r"<tr>.*?Teknologipartnerskabet partnerskab.*?</tr>", listing, re.S)
    assert row is not None
    assert re.findall(r'<td class="num">([^<]*)</td>', row.group(0))[-1] == "3"
    page = client.get(f"/partnerskaber/{programme.slug}/").content.decode()
    assert re.search(r"<dt>Tilmeldte kommuner</dt><dd>3</dd>", page)
    assert programme.enrolments.enrolled().count() == 3
