"""The municipality workspace (/min-kommune/): the editor's own municipality only, every
section filled from the apps' own querysets, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain
from kommuneradar.network.models import Enrolment, Programme
from kommuneradar.places.models import Municipality
from kommuneradar.surveys.models import Invitation, Response, Round
from tests.benefits.factories import make_project
from tests.cases.factories import make_case


def fill_workspaces(vejle: Municipality, aarhus: Municipality) -> None:
    today = timezone.localdate()
    make_case(vejle, title="Vejles udkast", state="draft")
    make_case(aarhus, title="Aarhus' udkast", state="draft")
    make_project(
        vejle,
        title="Vejles forsinkede opfølgning",
        published=False,
        start_date=today - dt.timedelta(days=400),
        follow_up_months=6,
    )
    make_project(aarhus, title="Aarhus' projekt", published=False)
    programme = Programme.objects.create(
        name="Velfærdsteknologisk partnerskab",
        slug="vt-partnerskab",
        summary="Et forløb",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=300),
        enrolment_deadline=today + dt.timedelta(days=10),
    )
    Programme.objects.create(
        name="Åbent program",
        slug="aabent",
        summary="Et forløb",
        starts_on=today,
        ends_on=today + dt.timedelta(days=300),
        enrolment_deadline=today + dt.timedelta(days=20),
    )
    Enrolment.objects.create(
        programme=programme,
        municipality=vejle,
        commitment="Skærmbesøg i hele plejen",
        contact_name="Karen",
        contact_email="karen@vejle.example",
        enrolled_on=today,
    )
    round_ = Round.objects.create(
        year=today.year + 1,
        opens_on=today,
        closes_on=today + dt.timedelta(days=40),
        status=Round.Status.OPEN,
    )
    health, social = Domain.objects.get(slug="sundhed-og-aeldre"), Domain.objects.get(slug="social")
    for domain in (health, social):
        Invitation.objects.create(
            round=round_,
            municipality=vejle,
            domain=domain,
            recipient_name="Karen",
            recipient_email="karen@vejle.example",
            sent_at=timezone.now(),
        )
    Response.objects.create(
        round=round_, municipality=vejle, domain=health, submitted_at=timezone.now()
    )


def test_the_workspace_shows_the_editors_own_municipality_only(
    client: Client,
    vejle_editor: User,
    vejle: Municipality,
    aarhus: Municipality,
    django_assert_max_num_queries: Any,
) -> None:
    fill_workspaces(vejle, aarhus)
    client.force_login(vejle_editor)
    with django_assert_max_num_queries(30):
        html = client.get("/min-kommune/").content.decode()
    assert "Vejles udkast" in html and "Aarhus' udkast" not in html
    assert "Vejles forsinkede opfølgning" in html and "Aarhus' projekt" not in html
    assert "overskredet" in html
    assert "Velfærdsteknologisk partnerskab" in html
    assert 'href="/partnerskaber/aabent/tilmeld/"' in html
    assert "1 af 2 fagområder indsendt" in html
    # An editor cannot look at another municipality's workspace.
    assert "Aarhus' udkast" not in client.get("/min-kommune/?kommune=751").content.decode()


def test_the_workspace_queries_do_not_grow_with_the_data(
    client: Client,
    vejle_editor: User,
    vejle: Municipality,
    aarhus: Municipality,
    django_assert_num_queries: Any,
) -> None:
    fill_workspaces(vejle, aarhus)
    client.force_login(vejle_editor)
    client.get("/min-kommune/")
    with CaptureQueriesContext(connection) as few:
        client.get("/min-kommune/")
    for number in range(5):
        make_case(vejle, title=f"Flere {number}", state="draft")
        make_project(vejle, title=f"Flere {number}", published=False)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/min-kommune/")
