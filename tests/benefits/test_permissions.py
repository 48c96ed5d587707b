"""Who may see and change which municipality's projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.benefits.models import FollowUp, Project
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality

from .factories import make_project

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_public_sees_published_projects_only(client: Client, vejle: Municipality) -> None:
    shown = make_project(vejle, title="Offentligt projekt")
    hidden = make_project(vejle, title="Kladdeprojekt", published=False)
    assert client.get(f"/gevinster/projekter/{shown.pk}/").status_code == 200
    assert client.get(f"/gevinster/projekter/{hidden.pk}/").status_code == 404
    listing = client.get("/gevinster/projekter/").content.decode()
    assert "Offentligt projekt" in listing
    assert "Kladdeprojekt" not in listing


def test_an_editor_cannot_see_another_municipalitys_unpublished_project(
    client: Client, vejle: Municipality, aarhus_editor: User
) -> None:
    hidden = make_project(vejle, title="Vejles kladde", published=False)
    _login(client, aarhus_editor)
    assert client.get(f"/gevinster/projekter/{hidden.pk}/").status_code == 404
    assert "Vejles kladde" not in client.get("/gevinster/projekter/").content.decode()
    exported = client.get("/gevinster/projekter/eksport.json").json()
    assert hidden.pk not in [row["id"] for row in exported]
    assert client.get(f"/gevinster/projekter/{hidden.pk}/rediger/").status_code == 404
    assert client.get(f"/gevinster/projekter/{hidden.pk}/opfoelgning/").status_code == 404


def test_an_editor_cannot_edit_another_municipalitys_published_project(
    client: Client, vejle: Municipality, aarhus_editor: User
) -> None:
    project = make_project(vejle, title="Vejles projekt")
    _login(client, aarhus_editor)
    assert client.get(f"/gevinster/projekter/{project.pk}/").status_code == 200
    assert client.get(f"/gevinster/projekter/{project.pk}/rediger/").status_code == 403
    response = client.post(
        f"/gevinster/projekter/{project.pk}/rediger/", {"project-title": "Overtaget"}
    )
    assert response.status_code == 403
    response = client.post(
        f"/gevinster/projekter/{project.pk}/opfoelgning/",
        {"measured_on": "2024-01-01", "hours_freed": "10"},
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title == "Vejles projekt"
    assert not FollowUp.objects.filter(project=project).exists()
    assert not AuditEntry.objects.exists()


def test_an_editor_sees_and_edits_own_unpublished_projects(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    draft = make_project(vejle, title="Egen kladde", published=False)
    _login(client, vejle_editor)
    assert client.get(f"/gevinster/projekter/{draft.pk}/").status_code == 200
    assert "Egen kladde" in client.get("/gevinster/projekter/").content.decode()
    assert client.get(f"/gevinster/projekter/{draft.pk}/rediger/").status_code == 200


def test_the_dashboard_counts_no_unpublished_project_even_for_its_editor(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    make_project(vejle, published=False, follow_ups=((dt.date(2024, 1, 1), 1924),))
    _login(client, vejle_editor)
    data = client.get("/gevinster/tal.json").json()
    overall = next(row for row in data if row["group"] == "all")
    assert overall["projects"] == 0


def test_an_analyst_sees_and_edits_every_project(
    client: Client, vejle: Municipality, analyst: User
) -> None:
    draft = make_project(vejle, published=False)
    _login(client, analyst)
    assert client.get(f"/gevinster/projekter/{draft.pk}/").status_code == 200
    assert client.get(f"/gevinster/projekter/{draft.pk}/rediger/").status_code == 200


def test_forms_need_a_login(client: Client, vejle: Municipality) -> None:
    project = make_project(vejle)
    for url in (
        "/gevinster/projekter/ny/",
        "/gevinster/projekter/import/",
        f"/gevinster/projekter/{project.pk}/rediger/",
        f"/gevinster/projekter/{project.pk}/opfoelgning/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/log-ind/")


def test_a_user_without_municipality_or_analyst_role_cannot_create(
    client: Client, db: object
) -> None:
    nobody = User.objects.create_user("nn", "nn@x.example", "pw", role=User.Role.ANALYST)
    nobody.is_active = False
    nobody.save()
    client.force_login(nobody)
    assert client.get("/gevinster/projekter/ny/").status_code in (302, 403)


def test_the_template_tags_follow_the_same_visibility(
    vejle: Municipality, aarhus_editor: User, vejle_editor: User
) -> None:
    make_project(vejle, title="Synligt")
    make_project(vejle, title="Skjult", published=False)
    template = Template("{% load benefits_tags %}{% municipality_projects municipality %}")
    for user, sees_draft in ((aarhus_editor, False), (vejle_editor, True)):
        request = RequestFactory().get("/")
        request.user = user
        html = template.render(Context({"request": request, "municipality": vejle}))
        assert "Synligt" in html
        assert ("Skjult" in html) is sees_draft


def test_projects_created_through_the_form_belong_to_the_editors_municipality(
    client: Client, vejle_editor: User, aarhus: Municipality
) -> None:
    _login(client, vejle_editor)
    data = {
        "project-municipality": str(aarhus.pk),  # ignored: editors have no such field
        "project-title": "Skærmbesøg i hjemmeplejen",
        "project-technology": str(Technology.objects.get(slug="skaermbesoeg").pk),
        "project-domain": str(Domain.objects.get(slug="sundhed-og-aeldre").pk),
        "project-citizens_affected": "300",
        "project-staff_affected": "40",
        "project-start_date": "2024-01-15",
        "project-status": "in_operation",
        "project-benefit_owner": "Leder af hjemmeplejen",
        "project-follow_up_months": "6",
        "case-one_off_cost": "200000",
        "case-running_cost": "30000",
        "case-gain_dkk": "150000",
        "case-hours_freed": "1924",
        "case-horizon_years": "5",
        "case-discount_rate_percent": "3,5",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
    }
    response = client.post("/gevinster/projekter/ny/", data)
    assert response.status_code == 302, (
        response.context["project_form"].errors,
        response.context["case_form"].errors,
    )
    project = Project.objects.get(title="Skærmbesøg i hjemmeplejen")
    assert project.municipality == vejle_editor.municipality
    assert project.business_case.discount_rate == Decimal("0.0350")
    assert not project.published
    entry = AuditEntry.objects.get()
    assert entry.action == "create"
    assert entry.municipality == vejle_editor.municipality
