"""Rounds, invitations and helpers for the survey tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core import tokens
from kommuneradar.places.models import Municipality
from kommuneradar.surveys import services
from kommuneradar.surveys.models import Contact, Invitation, Round


@pytest.fixture
def health(db: Any) -> Domain:
    return Domain.objects.get(slug="sundhed-og-aeldre")


@pytest.fixture
def draft_round(db: Any) -> Round:
    return Round.objects.create(
        year=2025, opens_on=dt.date(2025, 2, 1), closes_on=dt.date(2025, 3, 31)
    )


@pytest.fixture
def open_round(
    draft_round: Round, vejle: Municipality, aarhus: Municipality, health: Domain
) -> Round:
    Contact.objects.create(
        municipality=vejle, domain=health, name="Vera Vejle", email="vera@vejle.example"
    )
    Contact.objects.create(
        municipality=aarhus, domain=health, name="Aksel Aarhus", email="aksel@aarhus.example"
    )
    services.move_round(draft_round, Round.Status.OPEN, None)
    return draft_round


def issue_token(invitation: Invitation) -> str:
    """Give an invitation a known live token, as sending would."""
    token = tokens.new_token()
    invitation.token_hash = tokens.hash_token(token)
    invitation.save(update_fields=["token_hash"])
    return token


@pytest.fixture
def vejle_token(open_round: Round, vejle: Municipality, health: Domain) -> str:
    return issue_token(Invitation.objects.get(round=open_round, municipality=vejle, domain=health))


@pytest.fixture
def aarhus_token(open_round: Round, aarhus: Municipality, health: Domain) -> str:
    return issue_token(Invitation.objects.get(round=open_round, municipality=aarhus, domain=health))


def technologies(domain: Domain) -> list[Technology]:
    return services.questionnaire_technologies(domain)


def full_answers(
    domain: Domain, stage: str = "in_operation", value: str = "some"
) -> dict[str, str]:
    """POST data answering every technology of the domain's questionnaire."""
    data: dict[str, str] = {}
    for technology in technologies(domain):
        prefix = f"t{technology.pk}-"
        data[prefix + "stage"] = stage
        for dimension in ("efficiency", "quality", "wellbeing"):
            data[prefix + dimension] = "" if stage == "not_relevant" else value
        data[prefix + "comment"] = ""
    return data
