"""An editor of one municipality can never create, edit, submit or review another's case;
every attempt through a form or URL is answered 403 or 404."""

from __future__ import annotations

from typing import Any

from django.test import Client

from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.cases.models import Case
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality

from .factories import make_case


def _form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Skærmbesøg om natten",
        "summary": "Natbesøg over skærm.",
        "body": "",
        "lessons": "",
        "technologies": [Technology.objects.get(slug="skaermbesoeg").pk],
        "domains": [Domain.objects.get(slug="sundhed-og-aeldre").pk],
        "stage": "pilot",
        "effects-TOTAL_FORMS": "0",
        "effects-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_editor_cannot_open_the_form_for_another_municipality(
    client: Client, vejle_editor: User, aarhus: Municipality
) -> None:
    client.force_login(vejle_editor)
    assert client.get(f"/cases/ny/{aarhus.slug}/").status_code == 403


def test_editor_cannot_create_a_case_for_another_municipality(
    client: Client, vejle_editor: User, aarhus: Municipality
) -> None:
    client.force_login(vejle_editor)
    response = client.post(f"/cases/ny/{aarhus.slug}/", _form_data())
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_editor_creates_a_draft_for_own_municipality_and_it_is_audited(
    client: Client, vejle_editor: User, vejle: Municipality
) -> None:
    client.force_login(vejle_editor)
    assert client.get("/cases/ny/")["Location"] == f"/cases/ny/{vejle.slug}/"
    response = client.post(f"/cases/ny/{vejle.slug}/", _form_data())
    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.lead_municipality, case.state) == (vejle, Case.State.DRAFT)
    assert AuditEntry.objects.filter(action="create", object_id=str(case.pk)).exists()


def test_a_lead_municipality_smuggled_into_the_form_is_ignored(
    client: Client, vejle_editor: User, vejle: Municipality, aarhus: Municipality
) -> None:
    client.force_login(vejle_editor)
    client.post(f"/cases/ny/{vejle.slug}/", _form_data(lead_municipality=aarhus.pk))
    assert Case.objects.get().lead_municipality == vejle


def test_editor_cannot_see_edit_or_post_another_municipalitys_case(
    client: Client, vejle_editor: User, aarhus: Municipality
) -> None:
    case = make_case(aarhus, title="Aarhus' kladde", state="draft")
    client.force_login(vejle_editor)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/rediger/").status_code == 404
    response = client.post(f"/cases/{case.pk}/rediger/", _form_data(title="Overtaget"))
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.title == "Aarhus' kladde"


def test_editor_cannot_edit_another_municipalitys_published_case(
    client: Client, vejle_editor: User, aarhus: Municipality
) -> None:
    case = make_case(aarhus, title="Offentlig case")
    client.force_login(vejle_editor)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert (
        client.post(f"/cases/{case.pk}/rediger/", _form_data()).status_code == 403
    )  # published: visible, not theirs


def test_editor_cannot_submit_another_municipalitys_case(
    client: Client, vejle_editor: User, aarhus: Municipality
) -> None:
    case = make_case(aarhus, state="draft")
    client.force_login(vejle_editor)
    assert client.post(f"/cases/{case.pk}/indsend/").status_code == 404
    case.refresh_from_db()
    assert case.state == Case.State.DRAFT


def test_editor_cannot_publish_even_their_own_case(
    client: Client, vejle_editor: User, vejle: Municipality
) -> None:
    case = make_case(vejle, state="submitted")
    client.force_login(vejle_editor)
    assert client.get(f"/cases/{case.pk}/behandl/").status_code == 403
    response = client.post(f"/cases/{case.pk}/behandl/", {"decision": "publish"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED


def test_editor_cannot_change_a_case_while_it_is_under_review(
    client: Client, vejle_editor: User, vejle: Municipality
) -> None:
    case = make_case(vejle, state="submitted")
    client.force_login(vejle_editor)
    assert client.post(f"/cases/{case.pk}/rediger/", _form_data()).status_code == 403


def test_the_public_sees_only_published_cases(client: Client, vejle: Municipality) -> None:
    draft = make_case(vejle, state="draft")
    published = make_case(vejle, title="Udgivet")
    assert client.get(f"/cases/{draft.pk}/").status_code == 404
    assert client.get(f"/cases/{published.pk}/").status_code == 200
    assert client.get(f"/cases/{draft.pk}/rediger/").status_code == 302  # to the login page


def test_submit_needs_post_and_csrf(
    csrf_client: Client, vejle_editor: User, vejle: Municipality
) -> None:
    case = make_case(vejle, state="draft")
    csrf_client.force_login(vejle_editor)
    assert csrf_client.get(f"/cases/{case.pk}/indsend/").status_code == 405
    assert csrf_client.post(f"/cases/{case.pk}/indsend/").status_code == 403
