"""Joint projects: several municipalities test one technology together and share a
description, results and documents; only participants and analysts change them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.catalog.models import Technology
from kommuneradar.network.models import JointDocument, JointProject
from kommuneradar.places.models import Municipality
from tests.spreadsheets import csv_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def ai_project(vejle: Municipality) -> JointProject:
    project = JointProject.objects.create(
        title="AI i sagsbehandlingen",
        slug="ai-sagsbehandling",
        technology=Technology.objects.get(slug="machine-learning"),
        description="Fem kommuner samler deres data, fordi én kommune alene har for få sager.",
        lead_municipality=vejle,
        starts_on=dt.date(2024, 1, 1),
        status=JointProject.Status.RUNNING,
    )
    project.participants.set(Municipality.objects.filter(code__in=["630", "615", "621"]))
    return project


def test_page_shows_participants_results_and_documents(
    client: Client, ai_project: JointProject
) -> None:
    JointDocument.objects.create(
        project=ai_project,
        title="Projektbeskrivelse",
        url="https://example.dk/ai.pdf",
        added_on=dt.date(2024, 2, 1),
    )
    html = client.get("/partnerskaber/projekter/ai-sagsbehandling/").content.decode()
    assert "<h1>AI i sagsbehandlingen</h1>" in html
    assert 'href="/kommuner/615/"' in html
    assert 'href="https://example.dk/ai.pdf"' in html
    assert "Tilføj et dokument" not in html


def test_participant_editor_shares_results_and_a_document(
    client: Client, ai_project: JointProject, vejle_editor: User
) -> None:
    client.force_login(vejle_editor)
    url = "/partnerskaber/projekter/ai-sagsbehandling/"
    saved = client.post(
        f"{url}rediger/",
        {
            "description": ai_project.description,
            "results": "Modellen fandt 30 % af sagerne.",
            "status": "running",
        },
    )
    assert saved.status_code == 302
    assert JointProject.objects.get().results.startswith("Modellen")
    added = client.post(f"{url}dokumenter/", {"title": "Evaluering", "url": "https://example.dk/e"})
    assert added.status_code == 302
    assert JointDocument.objects.get().title == "Evaluering"
    assert AuditEntry.objects.filter(object_type="network.JointDocument").count() == 1
    bad = client.post(f"{url}dokumenter/", {"title": "", "url": "ikke et link"})
    assert bad.status_code == 400
    assert "ikke et link" in bad.content.decode()


def test_outsiders_cannot_change_a_joint_project(
    client: Client, ai_project: JointProject, aarhus_editor: User
) -> None:
    url = "/partnerskaber/projekter/ai-sagsbehandling/"
    assert client.post(f"{url}dokumenter/", {"title": "x"}).status_code == 302  # to login
    client.force_login(aarhus_editor)
    # The refusal policy: the project is public, so changing it is refused with 403.
    assert client.get(f"{url}rediger/").status_code == 403
    assert client.post(f"{url}dokumenter/", {"title": "x"}).status_code == 403
    assert client.get("/partnerskaber/projekter/ny/").status_code == 403
    assert not JointDocument.objects.exists()


def test_analyst_creates_a_project_and_participants_must_be_several(
    client: Client, analyst: User, vejle: Municipality, aarhus: Municipality
) -> None:
    client.force_login(analyst)
    data = {
        "title": "Fælles chatbot",
        "slug": "chatbot",
        "technology": Technology.objects.get(slug="chatbots").pk,
        "description": "To kommuner træner én chatbot.",
        "lead_municipality": vejle.pk,
        "participants": [vejle.pk],
        "starts_on": "2024-05-01",
        "status": "planned",
    }
    alone = client.post("/partnerskaber/projekter/ny/", data)
    assert alone.status_code == 200 and not JointProject.objects.exists()
    data["participants"] = [vejle.pk, aarhus.pk]
    assert client.post("/partnerskaber/projekter/ny/", data).status_code == 302
    assert JointProject.objects.get().participants.count() == 2


def test_exports(client: Client, ai_project: JointProject) -> None:
    rows = csv_rows(client.get("/partnerskaber/projekter/eksport.csv"))
    assert rows[0]["deltagere"] == "615; 621; 630"
    document = client.get("/partnerskaber/projekter/eksport.json").json()
    assert document[0]["technology"] == "machine-learning"
    assert client.get("/api/v1/joint-projects").json()["results"] == document
