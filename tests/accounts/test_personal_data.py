"""Personal data: one person, found by e-mail address, is exported from every table and
erased from every table, the audit trail included; the check searches every text column of
every model, so a new place that copies a name or address is caught. Respondents' names and
addresses leave a round a set time after it is published."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.db.models import Q
from django.test import Client, override_settings
from django.utils import timezone

from kommuneradar.accounts import audit, personal, services
from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.cases.models import ContactPerson
from kommuneradar.catalog.models import Domain
from kommuneradar.network.models import Enrolment, Programme
from kommuneradar.places.models import Municipality
from kommuneradar.radar import services as radar_services
from kommuneradar.radar.models import Edition
from kommuneradar.surveys import services as survey_services
from kommuneradar.surveys.models import Contact, Invitation, Round
from tests.accounts.project_models import project_models
from tests.benefits.factories import make_project
from tests.cases.factories import make_case

NAME = "Xenia Quistorff"
EMAIL = "xenia.quistorff@eksempel.dk"
OTHER_NAME = "Yrsa Ravnholt"
OTHER_EMAIL = "yrsa.ravnholt@eksempel.dk"
SEARCHED = [EMAIL, NAME, "Xenia", "Quistorff"]


def places_holding(terms: list[str]) -> list[str]:
    """Every text column of every row of every table that contains one of `terms`."""
    found = []
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for f in fields:
            query = Q()
            for term in terms:
                query |= Q(**{f"{f.attname}__icontains": term})
            for pk in model._base_manager.filter(query).values_list("pk", flat=True):
                found.append(f"{model._meta.label}.{f.attname} #{pk}")
    return found


def plant(person_name: str, email: str, analyst: User, municipality: Municipality) -> User:
    """The person in every place the application keeps a person: an editor account with
    its invitation, a survey recipient and contact, a case contact, a programme contact,
    an enrolment contact, a benefit owner, the admin's log, and the audit trail."""
    invited = services.invite_editor(
        analyst, person_name, email, municipality, "http://testserver/"
    )
    health = Domain.objects.get(slug="sundhed-og-aeldre")
    round_ = Round.objects.get_or_create(
        year=2025,
        defaults={"opens_on": dt.date(2025, 2, 1), "closes_on": dt.date(2025, 3, 31)},
    )[0]
    invitation = Invitation.objects.create(round=round_, municipality=municipality, domain=health)
    survey_services.set_recipient(
        invitation, person_name, email, "Digitaliseringskonsulent", analyst
    )
    with audit.acting_as(invited.user):
        case = make_case(municipality, title=f"Skærmbesøg i {municipality.name}")
        ContactPerson.objects.create(
            case=case, name=person_name, email=email, phone="+45 12 34 56 78", job_title="Leder"
        )
        make_project(municipality, benefit_owner=person_name, title=f"Projekt {person_name[:1]}")
    with audit.acting_as(analyst):
        programme = Programme.objects.create(
            name=f"Forløb {municipality.code}",
            slug=f"forloeb-{municipality.code}",
            summary="Sammen om skærmbesøg.",
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2025, 12, 31),
            enrolment_deadline=dt.date(2025, 1, 31),
            contact_name=person_name,
            contact_email=email,
        )
        Enrolment.objects.create(
            programme=programme,
            municipality=municipality,
            commitment="Vi indfører skærmbesøg.",
            contact_name=person_name,
            contact_email=email,
            enrolled_on=dt.date(2025, 1, 10),
        )
    LogEntry.objects.create(
        user=analyst,
        content_type=ContentType.objects.get_for_model(ContactPerson),
        object_id="1",
        object_repr=person_name,
        action_flag=ADDITION,
        change_message=f"Tilføjede {email}",
    )
    return invited.user


@pytest.fixture
def planted(analyst: User, vejle: Municipality, aarhus: Municipality) -> User:
    user = plant(NAME, EMAIL, analyst, vejle)
    plant(OTHER_NAME, OTHER_EMAIL, analyst, aarhus)
    return user


def test_every_field_that_names_a_person_is_registered_as_personal_data() -> None:
    """A new field called name, e-mail, phone or owner must be declared personal (where
    erase finds it) or listed here as not about a person."""
    not_personal = {
        "places.Region.name": "a region",
        "places.Municipality.name": "a municipality",
        "catalog.Domain.name_da": "a domain",
        "catalog.Domain.name_en": "a domain",
        "catalog.Quadrant.name_da": "a technology family",
        "catalog.Quadrant.name_en": "a technology family",
        "catalog.Technology.name_da": "a technology",
        "catalog.Technology.name_en": "a technology",
        "network.Programme.name": "a programme",
        "network.Track.name": "a solution",
        "network.JointProject.name": "a joint project",
        "network.JointDocument.name": "a document's title",
        "benefits.Indicator.name": "an indicator",
        "accounts.User.username": "erased with the account (personal.erase anonymises it)",
        "accounts.ApiToken.name": "names what uses a token; an erased user is deactivated",
        "radar.EditorialRadar.name": "an imported radar",
        "radar.EditorialEntry.name": "a technology on an imported radar",
        "surveys.Job.file_name": "the name of an uploaded import file",
        "automation.System.name": "an IT system",
        "automation.SavedSearch.name": "a saved search's name, given by its owner",
    }
    pattern = re.compile(r"(^|_)(name|email|e_mail|phone|owner|contact)(_|$)")
    undecided = []
    for model in project_models():
        declared = personal.personal_fields(model)
        for f in model._meta.concrete_fields:
            label = f"{model._meta.label}.{f.name}"
            if not isinstance(f, models.CharField | models.TextField):
                continue
            names_someone = pattern.search(f.name) or isinstance(f, models.EmailField)
            if names_someone and f.name not in declared and label not in not_personal:
                undecided.append(label)
    assert undecided == []


@pytest.mark.django_db
def test_erasing_a_person_removes_their_name_and_address_from_every_table(
    planted: User,
) -> None:
    assert len(places_holding(SEARCHED)) > 10
    assert AuditEntry.objects.filter(summary__icontains=EMAIL).exists()
    out = io.StringIO()
    call_command("personal_data", "erase", "--email", EMAIL.upper(), stdout=out)
    assert places_holding(SEARCHED) == []
    planted.refresh_from_db()
    assert not planted.is_active and not planted.has_usable_password()
    assert not AuditEntry.objects.filter(user=planted).exists()
    assert AuditEntry.objects.filter(action="personal_data_erased").count() == 1
    # the other person is untouched
    assert places_holding([OTHER_EMAIL]) != []
    assert Enrolment.objects.filter(contact_name=OTHER_NAME).count() == 1
    assert "anonymise" in out.getvalue()
    again = io.StringIO()
    call_command("personal_data", "erase", "--email", EMAIL, stdout=again)
    assert "Nothing is stored" in again.getvalue()


@pytest.mark.django_db
def test_a_dry_run_says_what_would_change_and_changes_nothing(planted: User) -> None:
    before = places_holding(SEARCHED)
    entries = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("personal_data", "erase", "--email", EMAIL, "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Dry run" in text
    assert "delete 1 rows of surveys.Contact" in text
    assert "delete 1 rows of cases.ContactPerson" in text
    assert "anonymise 1 rows of network.Enrolment" in text
    assert "accounts.AuditEntry" in text
    assert places_holding(SEARCHED) == before
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_the_export_holds_every_record_and_every_mention(planted: User, tmp_path: Path) -> None:
    target = tmp_path / "xenia.json"
    call_command("personal_data", "export", "--email", EMAIL, "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    tables = {record["table"] for record in data["records"]}
    assert {
        "accounts.User",
        "accounts.Invitation",
        "surveys.Contact",
        "surveys.Invitation",
        "cases.ContactPerson",
        "network.Programme",
        "network.Enrolment",
        "benefits.Project",
    } <= tables
    mentioned = {mention["table"] for mention in data["mentions"]}
    assert {"accounts.AuditEntry", "admin.LogEntry"} <= mentioned
    assert data["names"] == [NAME]
    assert OTHER_EMAIL not in target.read_text(encoding="utf-8")
    assert "password" not in json.dumps(data["records"])
    out = io.StringIO()
    call_command("personal_data", "export", "--email", EMAIL, stdout=out)
    assert json.loads(out.getvalue())["email"] == EMAIL


@pytest.mark.django_db
def test_ambiguous_input_is_refused_clearly(
    planted: User, analyst: User, aarhus: Municipality
) -> None:
    with pytest.raises(CommandError, match="not one e-mail address"):
        call_command("personal_data", "export", "--email", "Xenia")
    with audit.acting_as(analyst):
        Contact.objects.filter(municipality=aarhus).update(name=NAME)
    with pytest.raises(CommandError, match=r"also held by yrsa\.ravnholt"):
        call_command("personal_data", "erase", "--email", EMAIL)
    assert places_holding([EMAIL]) != []
    User.objects.create_user("xenia2", EMAIL.upper(), "pw", role=User.Role.ANALYST)
    with pytest.raises(CommandError, match="2 user accounts"):
        call_command("personal_data", "erase", "--email", EMAIL, "--only-email")


@pytest.mark.django_db
def test_the_retention_command_purges_only_rounds_published_longer_ago(
    make_round: Any, analyst: User, vejle: Municipality
) -> None:
    stages = ["in_operation", "scaled", "in_operation", "piloting", "considering"] * 2
    health = Domain.objects.get(slug="sundhed-og-aeldre")
    emails = {}
    for year in (2022, 2023, 2024):
        round_ = make_round(year, {"skaermbesoeg": stages})
        invitation = Invitation.objects.create(round=round_, municipality=vejle, domain=health)
        emails[year] = f"svar{year}@vejle.example"
        survey_services.set_recipient(invitation, f"Svarer {year}", emails[year], "", analyst)
        radar_services.publish_round(round_, analyst)
    now = timezone.now()
    Edition.objects.filter(round__year=2022).update(published_at=now - dt.timedelta(days=800))
    Edition.objects.filter(round__year=2023).update(published_at=now - dt.timedelta(days=400))
    Edition.objects.filter(round__year=2024).update(published_at=now - dt.timedelta(days=30))
    out = io.StringIO()
    with override_settings(RESPONDENT_RETENTION_DAYS=365):
        call_command("purge_personal_data", stdout=out)
    assert "Round 2022" in out.getvalue() and "Round 2023" in out.getvalue()
    assert "Round 2024" not in out.getvalue()
    for year in (2022, 2023):
        invitation = Invitation.objects.get(round__year=year)
        assert (invitation.recipient_name, invitation.recipient_email) == ("", "")
        assert not AuditEntry.objects.filter(
            object_type="surveys.Invitation", summary__icontains=emails[year]
        ).exists()
    assert Invitation.objects.get(round__year=2024).recipient_email == emails[2024]
    # the standing contact (for the next round) stays
    assert Contact.objects.get(municipality=vejle, domain=health).email == emails[2024]
    again = io.StringIO()
    with override_settings(RESPONDENT_RETENTION_DAYS=365):
        call_command("purge_personal_data", stdout=again)
    assert "Nothing to purge" in again.getvalue()


def test_the_privacy_page_says_whom_to_ask_and_is_linked_from_every_page(
    client: Client, db: Any
) -> None:
    with override_settings(PRIVACY_CONTACT_EMAIL="dpo@kl.example", RESPONDENT_RETENTION_DAYS=200):
        home = client.get("/log-ind/").content.decode()
        assert 'href="/privatliv/"' in home
        page = client.get("/privatliv/")
        text = page.content.decode()
    assert page.status_code == 200
    assert "mailto:dpo@kl.example" in text
    assert "200" in text
    assert "Datatilsynet" in text
    english = client.get("/privatliv/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
