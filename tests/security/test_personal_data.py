"""Personal data inside objects others may see: the access module's `may_see_personal`.

An enrolment in a partnership programme is public (everyone sees that the municipality is
enrolled), but its contact person's name and e-mail are shown only to the enrolled
municipality's editors, analysts and admins (docs/security.md). The pages, exports and API
are tried by the permission matrix (`matrix.py`, the enrolment_contact markers)."""

from __future__ import annotations

import datetime as dt

import pytest

from kommuneradar.accounts import access
from kommuneradar.accounts.models import User
from kommuneradar.cases.models import Case
from kommuneradar.network.models import Enrolment, Programme
from kommuneradar.places.models import Municipality
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment(vejle: Municipality) -> Enrolment:
    programme = Programme.objects.create(
        name="Partnerskab",
        slug="partnerskab",
        summary="Sammen.",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        enrolment_deadline=dt.date(2025, 3, 1),
    )
    return Enrolment.objects.create(
        programme=programme,
        municipality=vejle,
        commitment="Skærmbesøg.",
        contact_name="Vera Vejle",
        contact_email="vera@vejle.example",
        enrolled_on=dt.date(2025, 2, 1),
    )


def test_enrolment_contacts_are_for_the_municipality_analysts_and_admins(
    enrolment: Enrolment,
    vejle_editor: User,
    aarhus_editor: User,
    analyst: User,
    admin_user: User,
) -> None:
    seen = {
        "anonymous": access.may_see_personal(None, enrolment),
        "vejle": access.may_see_personal(vejle_editor, enrolment),
        "aarhus": access.may_see_personal(aarhus_editor, enrolment),
        "analyst": access.may_see_personal(analyst, enrolment),
        "admin": access.may_see_personal(admin_user, enrolment),
    }
    assert seen == {
        "anonymous": False,
        "vejle": True,
        "aarhus": False,
        "analyst": True,
        "admin": True,
    }


def test_a_deactivated_editor_sees_no_contact(enrolment: Enrolment, vejle_editor: User) -> None:
    vejle_editor.is_active = False
    assert not access.may_see_personal(vejle_editor, enrolment)


def test_the_enrolment_declares_its_personal_fields() -> None:
    personal = access.personal_data()[Enrolment]
    assert personal.fields == ("contact_name", "contact_email")
    for name in personal.fields:
        Enrolment._meta.get_field(name)  # raises for a field that does not exist


def test_without_a_personal_rule_whoever_sees_the_object_sees_its_people(
    vejle: Municipality, aarhus_editor: User, vejle_editor: User
) -> None:
    draft = make_case(vejle, state=Case.State.DRAFT)
    assert access.may_see_personal(vejle_editor, draft)
    assert not access.may_see_personal(aarhus_editor, draft)
