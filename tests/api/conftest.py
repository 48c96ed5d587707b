"""A small published world for the API: a 2024 radar, Vejle's and Aarhus' cases and
projects (published and draft), a programme open for enrolment and a joint project; and
API tokens for Vejle's and Aarhus' editors and an analyst."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kommuneradar.accounts.apitokens import create_token
from kommuneradar.accounts.models import User
from kommuneradar.benefits.models import Project
from kommuneradar.cases.models import Case
from kommuneradar.catalog.models import Technology
from kommuneradar.network.models import JointProject, Programme, Track
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from tests.benefits.factories import make_project
from tests.cases.factories import make_case
from tests.conftest import MakeRound

SLUGS = ["skaermbesoeg", "sensorer", "telemedicin", "rpa"]
PATTERN = ["scaled", "in_operation", "piloting", "considering", "not_considering"]


@dataclass
class World:
    vejle_case: Case
    vejle_draft: Case
    aarhus_case: Case
    aarhus_draft: Case
    vejle_project: Project
    aarhus_project: Project
    aarhus_draft_project: Project
    programme: Programme
    joint: JointProject


@pytest.fixture
def world(make_round: MakeRound, vejle: Municipality, aarhus: Municipality) -> World:
    stages = {
        slug: [PATTERN[(i + j) % len(PATTERN)] for j in range(12)] for i, slug in enumerate(SLUGS)
    }
    compute_round(make_round(2024, stages), publish=True)
    today = timezone.localdate()
    programme = Programme.objects.create(
        name="Partnerskab",
        slug="partnerskab",
        summary="Sammen om skærmbesøg.",
        starts_on=today,
        ends_on=today + dt.timedelta(days=300),
        enrolment_deadline=today + dt.timedelta(days=30),
        fee_dkk=50000,
    )
    Track.objects.create(
        programme=programme,
        theme="Velfærd",
        name="Skærmbesøg",
        technology=Technology.objects.get(slug="skaermbesoeg"),
        order=1,
    )
    joint = JointProject.objects.create(
        title="Fælles AI",
        slug="faelles-ai",
        technology=Technology.objects.get(slug="machine-learning"),
        description="Data fra flere kommuner.",
        lead_municipality=vejle,
        starts_on=today,
        status=JointProject.Status.RUNNING,
    )
    joint.participants.set([vejle, aarhus])
    return World(
        vejle_case=make_case(vejle, title="Skærmbesøg i Vejle", effects=1),
        vejle_draft=make_case(vejle, title="Vejles kladde", state=Case.State.DRAFT),
        aarhus_case=make_case(aarhus, title="Sensorer i Aarhus"),
        aarhus_draft=make_case(aarhus, title="Aarhus' kladde", state=Case.State.DRAFT),
        vejle_project=make_project(vejle, published=True),
        aarhus_project=make_project(aarhus, published=True),
        aarhus_draft_project=make_project(aarhus, published=False, title="Aarhus' udkast"),
        programme=programme,
        joint=joint,
    )


def bearer(user: User, name: str = "test") -> str:
    return create_token(user, name).secret


def token_client(user: User) -> Client:
    """A client that sends `user`'s new API token and no session."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {bearer(user)}")


def send(client: Client, method: str, path: str, body: Any = None) -> Any:
    payload = "" if body is None else json.dumps(body)
    call = getattr(client, method.lower())
    return call(path, payload, content_type="application/json")
