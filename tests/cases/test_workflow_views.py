"""Draft -> submitted -> published, or back to the editor with a comment; every step
is recorded and shown as the case's history."""

from __future__ import annotations

from django.test import Client

from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.cases.models import Case, ContactPerson
from kommuneradar.places.models import Municipality

from .factories import make_case


def test_editor_submits_and_analyst_publishes(
    client: Client, vejle_editor: User, analyst: User, vejle: Municipality
) -> None:
    case = make_case(vejle, title="Skærmbesøg om aftenen", state="draft")
    client.force_login(vejle_editor)
    assert client.post(f"/cases/{case.pk}/indsend/").status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED
    client.force_login(analyst)
    response = client.post(f"/cases/{case.pk}/behandl/", {"decision": "publish"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.PUBLISHED
    assert case.published_at is not None
    client.logout()
    assert client.get("/cases/", {"q": "skærmbesøg"}).content.decode().count(case.title) == 1
    actions = list(
        AuditEntry.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["publish", "submit"]


def test_sending_back_needs_a_comment_which_the_editor_sees(
    client: Client, vejle_editor: User, analyst: User, vejle: Municipality
) -> None:
    case = make_case(vejle, state="submitted")
    client.force_login(analyst)
    response = client.post(f"/cases/{case.pk}/behandl/", {"decision": "return", "comment": ""})
    assert response.status_code == 400
    assert "Skriv, hvad redaktøren skal ændre" in response.content.decode()
    client.post(
        f"/cases/{case.pk}/behandl/", {"decision": "return", "comment": "Tilføj målemetoden."}
    )
    case.refresh_from_db()
    assert case.state == Case.State.RETURNED
    client.force_login(vejle_editor)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Tilføj målemetoden." in page
    assert "Historik" in page


def test_editing_keeps_what_was_typed_and_explains_errors(
    client: Client, vejle_editor: User, vejle: Municipality
) -> None:
    case = make_case(vejle, state="draft")
    client.force_login(vejle_editor)
    response = client.post(
        f"/cases/{case.pk}/rediger/",
        {
            "title": "Ny titel med fejl",
            "summary": "",
            "stage": "pilot",
            "started_on": "2024-05-01",
            "ended_on": "2023-01-01",
            "effects-TOTAL_FORMS": "1",
            "effects-INITIAL_FORMS": "0",
            "effects-0-description": "Sparede timer",
            "effects-0-value": "mange",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="Ny titel med fejl"' in page
    assert "Slutdatoen skal ligge på eller efter startdatoen." in page
    assert "Indtast et tal." in page
    case.refresh_from_db()
    assert case.title == "Et projekt"


def test_editor_saves_effects_and_a_consenting_contact(
    client: Client, vejle_editor: User, vejle: Municipality
) -> None:
    case = make_case(vejle, state="draft")
    client.force_login(vejle_editor)
    response = client.post(
        f"/cases/{case.pk}/rediger/",
        {
            "title": "Skærmbesøg",
            "summary": "Kort.",
            "stage": "in_operation",
            "technologies": [t.pk for t in case.technologies.all()],
            "domains": [d.pk for d in case.domains.all()],
            "effects-TOTAL_FORMS": "1",
            "effects-INITIAL_FORMS": "0",
            "effects-0-description": "Besøg flyttet til skærm",
            "effects-0-dimension": "efficiency",
            "effects-0-value": "223",
            "effects-0-unit": "besøg om ugen",
            "effects-0-measured_on": "2023-09-01",
            "effects-0-method": "Optælling i planlægningssystemet",
            "contacts-TOTAL_FORMS": "2",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Karen Synlig",
            "contacts-0-consent_to_publish": "on",
            "contacts-1-name": "Peter Skjult",
        },
    )
    assert response.status_code == 302
    assert case.effects.get().value == 223
    assert ContactPerson.objects.get(name="Karen Synlig").consent_recorded_on is not None
    edit = AuditEntry.objects.get(action="edit", object_id=str(case.pk))
    assert "effects" in edit.summary


def test_contact_persons_are_shown_only_with_consent(client: Client, vejle: Municipality) -> None:
    case = make_case(vejle, title="Kontaktcase")
    ContactPerson.objects.create(case=case, name="Karen Synlig", consent_to_publish=True)
    ContactPerson.objects.create(case=case, name="Peter Skjult", email="peter@vejle.example")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Karen Synlig" in page
    assert "Peter Skjult" not in page
    assert "peter@vejle.example" not in page


def test_without_consent_only_the_municipality_is_shown(
    client: Client, vejle: Municipality
) -> None:
    case = make_case(vejle)
    ContactPerson.objects.create(case=case, name="Peter Skjult")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Peter Skjult" not in page
    assert "Kontakt Vejle Kommune" in page
