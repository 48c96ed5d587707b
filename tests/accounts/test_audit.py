"""The audit trail is written by one mechanism: any save or delete of an audited model inside
an audit context (a request, a service's operation, a command acting as someone) leaves an
entry, so a new write path cannot forget it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kommuneradar.accounts import audit
from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.catalog.models import Technology
from kommuneradar.network.models import Programme
from kommuneradar.places.models import Municipality
from tests.accounts.project_models import project_models
from tests.benefits.factories import make_project
from tests.cases.factories import make_case


def test_every_model_of_the_project_is_audited_or_exempt_with_a_reason() -> None:
    undecided = [
        model._meta.label
        for model in project_models()
        if model not in audit.TRACKED and model not in audit.EXEMPT
    ]
    assert undecided == []
    assert all(reason.strip() for reason in audit.EXEMPT.values())
    assert not set(audit.TRACKED) & set(audit.EXEMPT)


@pytest.mark.django_db
def test_any_orm_write_of_every_audited_model_with_a_user_leaves_an_entry(
    vejle: Municipality, vejle_editor: User
) -> None:
    """A write path nobody wrote audit code for: plain ORM calls inside a user context."""
    with audit.acting_as(vejle_editor):
        case = make_case(vejle, title="Ny vej")
        case.title = "Ny vej ind"
        case.save()
        project = make_project(vejle, published=False)
        project.delete()
    entries = list(AuditEntry.objects.order_by("id"))
    created = next(e for e in entries if e.object_type == "cases.Case" and e.action == "create")
    assert created.user == vejle_editor
    assert created.municipality == vejle
    updated = next(e for e in entries if e.object_type == "cases.Case" and e.action == "update")
    assert "title: Ny vej → Ny vej ind" in updated.summary
    deleted = [e for e in entries if e.object_type == "benefits.Project"]
    assert [e.action for e in deleted] == ["create", "delete"]
    assert all(e.user == vejle_editor for e in entries)


@pytest.mark.django_db
def test_nothing_is_recorded_outside_any_context_and_an_unchanged_save_records_nothing(
    vejle: Municipality, analyst: User
) -> None:
    make_case(vejle)
    assert not AuditEntry.objects.exists()
    technology = Technology.objects.get(slug="machine-learning")
    with audit.acting_as(analyst):
        technology.save()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_an_operation_names_the_change_and_folds_it_into_one_entry_about_its_subject(
    analyst: User,
) -> None:
    today = dt.date(2025, 1, 1)
    programme = Programme(
        name="Forløb",
        slug="forloeb",
        summary="Sammen.",
        starts_on=today,
        ends_on=today + dt.timedelta(days=100),
        enrolment_deadline=today,
        fee_dkk=0,
    )
    with audit.operation(analyst, "create", subject=programme) as op:
        programme.save()
        programme.tracks.create(name="Spor", technology=Technology.objects.get(slug="rpa"))
        op.note("Forløb with one track")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "create",
        "network.Programme",
        str(programme.pk),
    )
    assert entry.summary == "Forløb with one track"


@pytest.mark.django_db
def test_a_failed_operation_leaves_neither_the_change_nor_an_entry(analyst: User) -> None:
    technology = Technology.objects.get(slug="rpa")
    with pytest.raises(RuntimeError), audit.operation(analyst, "rename", subject=technology):
        technology.name_da = "Noget andet"
        technology.save()
        raise RuntimeError
    technology.refresh_from_db()
    assert technology.name_da != "Noget andet"
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_change_in_the_admin_is_recorded_with_the_analyst_who_made_it(
    client: Client, analyst: User
) -> None:
    """The admin has no audit code of its own: the request's context records it."""
    page = client.post(
        "/admin/login/?next=/admin/", {"username": "anna", "password": "pw", "next": "/admin/"}
    )
    assert page.status_code == 302
    region = Municipality.objects.get(code="630").region
    assert region is not None
    url = f"/admin/places/region/{region.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    assert client.post(url, {"code": region.code, "name": region.name + " X"}).status_code == 302
    entry = AuditEntry.objects.get(object_type="places.Region")
    assert entry.user == analyst
    assert entry.action == "update"
    assert "name:" in entry.summary
