"""Writes through the API take a personal token and follow the same rules as the pages:
the same forms (a 422 names the field), the same services (the audit trail records the
token's user), the same access rules (another municipality's data answers 404 or 403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kommuneradar.accounts.apitokens import create_token, revoke_token
from kommuneradar.accounts.models import ApiToken, AuditEntry, User
from kommuneradar.benefits.models import FollowUp, Project
from kommuneradar.cases.models import Case
from kommuneradar.core.tokens import hash_token
from kommuneradar.network.models import Enrolment
from tests.api.conftest import World, send, token_client

pytestmark = pytest.mark.django_db

NEW_CASE: dict[str, Any] = {
    "title": "Træningsvideoer i Vejle",
    "summary": "Borgerne træner hjemme med video.",
    "technologies": ["skaermbesoeg"],
    "domains": ["sundhed-og-aeldre"],
    "effects": [
        {
            "description": "Sparede køretimer",
            "dimension": "efficiency",
            "value": "120.5",
            "unit": "timer om året",
            "measured_on": "2024-06-01",
            "method": "Optælling i planlægningssystemet",
        }
    ],
}
NEW_BUSINESS_CASE = {
    "one_off_cost": 250000,
    "running_cost": 40000,
    "gain_dkk": 300000,
    "hours_freed": "1924.5",
    "discount_rate_percent": "3.5",
}
NEW_PROJECT: dict[str, Any] = {
    "title": "Skærmbesøg i hjemmeplejen",
    "technology": "skaermbesoeg",
    "domain": "sundhed-og-aeldre",
    "start_date": "2024-01-01",
    "benefit_owner": "Leder af hjemmeplejen",
    "business_case": NEW_BUSINESS_CASE,
}


def test_an_editor_creates_a_draft_case_of_their_own_municipality(
    world: World, vejle_editor: User
) -> None:
    response = send(token_client(vejle_editor), "POST", "/api/v1/cases", NEW_CASE)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "draft"
    assert created["municipality_code"] == "630"
    assert created["effects"][0]["value"] == 120.5
    case = Case.objects.get(pk=created["id"])
    entry = AuditEntry.objects.get(object_type="cases.Case", object_id=str(case.pk))
    assert (entry.user, entry.action) == (vejle_editor, "create")


def test_a_bad_field_answers_422_naming_it_and_saves_nothing(
    world: World, vejle_editor: User
) -> None:
    before = Case.objects.count()
    client = token_client(vejle_editor)
    late_start = {**NEW_CASE, "started_on": "2024-05-01", "ended_on": "2024-01-01"}
    response = send(client, "POST", "/api/v1/cases", late_start)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "payload", "ended_on"],
            "msg": "The end date must be on or after the start date.",
            "type": "invalid",
        }
    ]
    unknown = send(client, "POST", "/api/v1/cases", {**NEW_CASE, "technologies": ["nope"]})
    assert unknown.json()["detail"][0]["loc"] == ["body", "payload", "technologies"]
    bad_effect = {**NEW_CASE, "effects": [{**NEW_CASE["effects"][0], "value": "x"}]}
    response = send(client, "POST", "/api/v1/cases", bad_effect)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:4] == ["body", "payload", "effects", 0]
    assert Case.objects.count() == before


def test_an_editor_changes_their_draft_and_submits_it(world: World, vejle_editor: User) -> None:
    client = token_client(vejle_editor)
    path = f"/api/v1/cases/{world.vejle_draft.pk}"
    changed = send(client, "PATCH", path, {"title": "Ny titel", "budget_dkk": 5000})
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "Ny titel"
    assert changed.json()["technologies"] == ["skaermbesoeg"]  # kept
    submitted = send(client, "POST", f"{path}/submit")
    assert submitted.json()["state"] == "submitted"
    # Under review by KL, the content may not change (as on the page).
    assert send(client, "PATCH", path, {"title": "Igen"}).status_code == 403


def test_a_token_of_one_municipality_cannot_write_another_municipalitys_data(
    world: World, vejle_editor: User
) -> None:
    client = token_client(vejle_editor)
    hidden = send(client, "PATCH", f"/api/v1/cases/{world.aarhus_draft.pk}", {"title": "x"})
    assert hidden.status_code == 404
    visible = send(client, "PATCH", f"/api/v1/cases/{world.aarhus_case.pk}", {"title": "x"})
    assert visible.status_code == 403
    assert visible.json() == {"detail": "You may see this, but not change it."}
    other = send(client, "POST", "/api/v1/cases", {**NEW_CASE, "municipality": "751"})
    assert other.status_code == 403
    project = f"/api/v1/projects/{world.aarhus_draft_project.pk}"
    assert send(client, "PATCH", project, {"title": "x"}).status_code == 404
    published = f"/api/v1/projects/{world.aarhus_project.pk}"
    assert send(client, "PATCH", published, {"title": "x"}).status_code == 403
    follow_up = {"measured_on": "2024-06-01", "hours_freed": "10"}
    assert send(client, "POST", f"{published}/follow-ups", follow_up).status_code == 403
    assert Case.objects.get(pk=world.aarhus_case.pk).title == "Sensorer i Aarhus"
    assert not FollowUp.objects.filter(project=world.aarhus_project).exists()


def test_projects_with_business_case_and_follow_ups(world: World, vejle_editor: User) -> None:
    client = token_client(vejle_editor)
    created = send(client, "POST", "/api/v1/projects", NEW_PROJECT)
    assert created.status_code == 201, created.content
    project = created.json()
    assert (project["municipality_code"], project["published"]) == ("630", False)
    assert project["hours_freed_per_year_expected"] == 1924.5
    assert project["expected_fte"] == pytest.approx(1924.5 / 1924, abs=1e-4)
    path = f"/api/v1/projects/{project['id']}"
    changed = send(client, "PATCH", path, {"status": "in_operation"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["status"] == "in_operation"
    assert changed.json()["gain_dkk_per_year"] == 300000  # the business case is kept
    follow_up = send(
        client, "POST", f"{path}/follow-ups", {"measured_on": "2024-06-01", "hours_freed": "962"}
    )
    assert follow_up.status_code == 201
    assert follow_up.json()["fte_freed"] == pytest.approx(0.5, abs=1e-3)
    early = send(
        client, "POST", f"{path}/follow-ups", {"measured_on": "2023-06-01", "hours_freed": "1"}
    )
    assert early.status_code == 422
    assert early.json()["detail"][0]["loc"] == ["body", "payload", "measured_on"]
    saved = Project.objects.get(pk=project["id"])
    assert float(saved.business_case.discount_rate) == pytest.approx(0.035)  # type: ignore[attr-defined]
    bad = {
        **NEW_PROJECT,
        "business_case": {**NEW_BUSINESS_CASE, "hours_freed_pessimistic": "5000"},
    }
    refused = send(client, "POST", "/api/v1/projects", bad)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == [
        "body",
        "payload",
        "business_case",
        "hours_freed_pessimistic",
    ]


def test_enrolment_and_milestones(world: World, vejle_editor: User, analyst: User) -> None:
    client = token_client(vejle_editor)
    enrolment = {
        "tracks": ["Skærmbesøg"],
        "commitment": "Vi indfører skærmbesøg i hele hjemmeplejen inden 2025.",
        "contact_name": "Vibeke",
        "contact_email": "vibeke@vejle.example",
    }
    path = "/api/v1/programmes/partnerskab/enrolments"
    created = send(client, "POST", path, enrolment)
    assert created.status_code == 201, created.content
    assert created.json()["municipality_code"] == "630"
    again = send(client, "POST", path, enrolment)
    assert again.status_code == 422
    assert "already enrolled" in again.json()["detail"][0]["msg"]
    enrolment_id = created.json()["id"]
    milestone = send(
        client,
        "POST",
        f"/api/v1/enrolments/{enrolment_id}/milestones",
        {"track": "Skærmbesøg", "kind": "decision", "reached_on": "2024-03-01"},
    )
    assert milestone.status_code == 201, milestone.content
    # Editors may not set the status (as on the page); analysts may, e.g. withdraw.
    status = {"status": "withdrawn"}
    assert send(client, "PATCH", f"/api/v1/enrolments/{enrolment_id}", status).status_code == 403
    withdrawn = send(token_client(analyst), "PATCH", f"/api/v1/enrolments/{enrolment_id}", status)
    assert withdrawn.json()["status"] == "withdrawn"
    removed = send(
        client,
        "DELETE",
        f"/api/v1/enrolments/{enrolment_id}/milestones/{milestone.json()['id']}",
    )
    assert removed.status_code == 204
    assert Enrolment.objects.get(pk=enrolment_id).milestones.count() == 0


def test_a_missing_invalid_or_revoked_token_answers_401(world: World, vejle_editor: User) -> None:
    assert send(Client(), "POST", "/api/v1/cases", NEW_CASE).status_code == 401
    wrong = Client(HTTP_AUTHORIZATION="Bearer kr_abc_def")
    response = send(wrong, "POST", "/api/v1/cases", NEW_CASE)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "token" in response.json()["detail"]
    new = create_token(vejle_editor, "til sagssystemet")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    assert send(client, "POST", "/api/v1/cases", NEW_CASE).status_code == 201
    revoke_token(vejle_editor, new.token)
    assert send(client, "POST", "/api/v1/cases", NEW_CASE).status_code == 401
    vejle_editor.is_active = False
    vejle_editor.save()
    fresh = create_token(vejle_editor, "deaktiveret")
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {fresh.secret}")
    assert send(refused, "POST", "/api/v1/cases", NEW_CASE).status_code == 401


def test_a_logged_in_session_without_a_token_cannot_write(world: World, vejle_editor: User) -> None:
    """Writes take only a token, so a page on another site cannot use the browser's
    session cookie for a cross-site write."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(vejle_editor)
    assert send(browser, "POST", "/api/v1/cases", NEW_CASE).status_code == 401


def test_the_secret_is_stored_only_as_a_hash_and_last_use_is_noted(
    world: World, vejle_editor: User
) -> None:
    new = create_token(vejle_editor, "script")
    stored = ApiToken.objects.get(pk=new.token.pk)
    _start, prefix, secret = new.secret.split("_", 2)
    assert stored.prefix == prefix
    assert stored.secret_hash == hash_token(secret)
    for value in ApiToken.objects.filter(pk=stored.pk).values().get().values():
        assert secret not in str(value)
    assert stored.last_used_at is None
    client = Client(HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    send(client, "PATCH", f"/api/v1/cases/{world.vejle_draft.pk}", {"title": "Brugt"})
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    assert timezone.now() - stored.last_used_at < dt.timedelta(minutes=5)


def test_analysts_name_the_municipality(world: World, analyst: User) -> None:
    client = token_client(analyst)
    missing = send(client, "POST", "/api/v1/cases", NEW_CASE)
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "payload", "municipality"]
    created = send(client, "POST", "/api/v1/cases", {**NEW_CASE, "municipality": "751"})
    assert created.json()["municipality_code"] == "751"


def test_every_write_operation_has_a_name_and_needs_a_token() -> None:
    from kommuneradar.api.api import api

    document: dict[str, Any] = api.get_openapi_schema()
    writes = [
        operation
        for operations in document["paths"].values()
        for method, operation in operations.items()
        if method != "get"
    ]
    assert len(writes) >= 9
    for operation in writes:
        assert operation["operationId"]
        assert operation["security"] == [{"TokenAuth": []}]
