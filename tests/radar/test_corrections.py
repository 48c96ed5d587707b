"""A published round is closed: answers change only through a correction, which records a
required note and gives every affected radar a new published revision carrying it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from kommuneradar.accounts import audit
from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.radar import services
from kommuneradar.radar.models import ALL_DOMAINS, Edition
from kommuneradar.surveys import services as survey_services
from kommuneradar.surveys.models import Answer, Response, Round

STAGES = ["in_operation", "scaled", "in_operation", "piloting", "considering"] * 2
HEADER = "kommune;fagområde;teknologi;stadie;effektivisering;kvalitet;trivsel;kommentar\n"


@pytest.fixture
def published(make_round: Any) -> Round:
    round_: Round = make_round(2024, {"skaermbesoeg": STAGES})
    services.publish_round(round_, None)
    round_.refresh_from_db()
    return round_


def _first_municipality_answer() -> Answer:
    return Answer.objects.select_related("response__municipality").order_by(
        "response__municipality__code"
    )[0]


def _correction_csv() -> bytes:
    code = _first_municipality_answer().response.municipality.code
    return (HEADER + f"{code};Sundhed og ældre;Skærmbesøg;Overvejer;;;;\n").encode()


def _sign_in(client: Client, username: str, next_url: str) -> None:
    answer = client.post(
        f"/log-ind/?next={next_url}", {"username": username, "password": "pw", "next": next_url}
    )
    assert answer.status_code == 302, answer.content


def test_importing_into_a_published_round_is_refused_on_the_page(
    client: Client, published: Round, analyst: User
) -> None:
    _sign_in(client, "anna", "/runder/2024/import/")
    page = client.get("/runder/2024/import/")
    assert "Offentliggør en rettelse" in page.content.decode()
    upload = io.BytesIO(_correction_csv())
    upload.name = "svar.csv"
    answer = client.post("/runder/2024/import/", {"file": upload})
    assert answer.status_code == 409
    assert "/runder/2024/rettelse/" in answer.content.decode()
    assert _first_municipality_answer().stage == "in_operation"
    assert not AuditEntry.objects.filter(action="answers_imported").exists()


def test_the_import_command_refuses_a_published_round(published: Round, tmp_path: Path) -> None:
    path = tmp_path / "svar.csv"
    path.write_bytes(_correction_csv())
    with pytest.raises(CommandError, match=r"offentliggjort.*correct_round"):
        call_command("import_answers", str(path), "--round", "2024")
    assert _first_municipality_answer().stage == "in_operation"


def test_the_service_refuses_an_import_and_a_reopen_in_a_published_round(
    published: Round,
) -> None:
    with pytest.raises(survey_services.RoundError, match="offentliggjort"):
        survey_services.import_file(published, io.BytesIO(_correction_csv()), None)
    response = Response.objects.filter(round=published).first()
    assert response is not None
    response.submitted_at = timezone.now()
    response.save()
    with pytest.raises(survey_services.RoundError, match="offentliggjort"):
        survey_services.reopen_response(response, None)


def test_reopening_a_response_of_a_published_round_is_refused_on_the_page(
    client: Client, published: Round, analyst: User
) -> None:
    response = Response.objects.filter(round=published).first()
    assert response is not None
    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now())
    _sign_in(client, "anna", "/runder/2024/")
    answer = client.post(f"/runder/2024/svar/{response.pk}/genaabn/", follow=True)
    assert "kan ikke ændres her" in answer.content.decode()
    response.refresh_from_db()
    assert response.submitted_at is not None


def test_the_radar_command_publishes_no_change_to_a_published_round(
    published: Round,
) -> None:
    out = io.StringIO()
    call_command("compute_radar", "--round", "2024", "--publish", stdout=out)
    assert "unchanged" in out.getvalue()
    Answer.objects.filter(pk=_first_municipality_answer().pk).update(stage="considering")
    with pytest.raises(CommandError, match="correct_round"):
        call_command("compute_radar", "--round", "2024", "--publish")
    assert not Edition.objects.filter(revision=2, status=Edition.Status.PUBLISHED).exists()
    assert Edition.objects.filter(revision=2, status=Edition.Status.DRAFT).exists()


def test_a_correction_through_the_page_publishes_a_new_revision_with_its_note(
    client: Client, published: Round, analyst: User
) -> None:
    before = set(Edition.objects.values_list("scope", "revision"))
    _sign_in(client, "anna", "/runder/2024/rettelse/")
    upload = io.BytesIO(_correction_csv())
    upload.name = "rettelse.csv"
    refused = client.post("/runder/2024/rettelse/", {"change_note": "  ", "file": upload})
    assert refused.status_code == 400
    assert _first_municipality_answer().stage == "in_operation"
    upload.seek(0)
    answer = client.post(
        "/runder/2024/rettelse/",
        {"change_note": "Vejle svarede forkert på skærmbesøg.", "file": upload},
    )
    assert answer.status_code == 302
    assert _first_municipality_answer().stage == "considering"
    new = Edition.objects.exclude(
        pk__in=[e.pk for e in Edition.objects.all() if (e.scope, e.revision) in before]
    )
    assert {e.scope for e in new} == {"sundhed-og-aeldre", ALL_DOMAINS}
    assert all(e.revision == 2 and e.status == Edition.Status.PUBLISHED for e in new)
    assert all(e.change_note == "Vejle svarede forkert på skærmbesøg." for e in new)
    old = Edition.objects.get(scope=ALL_DOMAINS, revision=1)
    assert old.change_note == "" and old.status == Edition.Status.PUBLISHED
    entry = AuditEntry.objects.get(action="round_corrected")
    assert entry.user == analyst and "Vejle svarede forkert" in entry.summary
    page = client.get("/radar/2024/")
    assert "Vejle svarede forkert på skærmbesøg." in page.content.decode()
    code = _first_municipality_answer().response.municipality.code
    profile = client.get(f"/kommuner/{code}/").content.decode()
    assert "Vejle svarede forkert på skærmbesøg." in profile
    assert "rettet (revision 2" in profile


def test_a_correction_file_with_a_bad_row_changes_nothing(
    client: Client, published: Round, analyst: User
) -> None:
    _sign_in(client, "anna", "/runder/2024/rettelse/")
    upload = io.BytesIO((HEADER + "999;Sundhed og ældre;Skærmbesøg;Overvejer;;;;\n").encode())
    upload.name = "rettelse.csv"
    answer = client.post(
        "/runder/2024/rettelse/", {"change_note": "Ret.", "file": upload}, follow=True
    )
    assert answer.redirect_chain[0][0].startswith("/opgaver/")  # the correction job's page
    html = answer.content.decode()
    assert "Intet blev ændret" in html and "Ukendt kommune “999”" in html
    assert Edition.objects.filter(revision=2).count() == 0
    assert not AuditEntry.objects.filter(action="round_corrected").exists()


def test_the_correction_command_needs_a_note_and_revises_only_the_affected_radars(
    published: Round, tmp_path: Path
) -> None:
    path = tmp_path / "rettelse.csv"
    path.write_bytes(_correction_csv())
    with pytest.raises(CommandError, match="ændret"):
        call_command("correct_round", str(path), "--round", "2024", "--note", " ")
    out = io.StringIO()
    call_command("correct_round", str(path), "--round", "2024", "--note", "Rettet.", stdout=out)
    assert "2 new revisions" in out.getvalue()
    revised = Edition.objects.filter(revision=2)
    assert {e.scope for e in revised} == {"sundhed-og-aeldre", ALL_DOMAINS}
    out = io.StringIO()
    call_command("correct_round", str(path), "--round", "2024", "--note", "Igen.", stdout=out)
    assert "0 new revisions" in out.getvalue()


def test_an_editor_may_not_correct_a_round(
    client: Client, published: Round, vejle_editor: User
) -> None:
    _sign_in(client, "victor", "/runder/2024/rettelse/")
    assert client.get("/runder/2024/rettelse/").status_code == 403
    assert client.post("/runder/2024/rettelse/", {"change_note": "x"}).status_code == 403


def test_the_admin_shows_a_published_rounds_answers_read_only(
    client: Client, published: Round, admin_user: User
) -> None:
    response = Response.objects.filter(round=published).first()
    assert response is not None
    _sign_in(client, "root", "/admin/")
    page = client.get(f"/admin/surveys/response/{response.pk}/change/")
    assert page.status_code == 200
    assert 'name="answers-0-stage"' not in page.content.decode()
    refused = client.post(f"/admin/surveys/response/{response.pk}/change/", {})
    assert refused.status_code == 403
    assert (
        client.post(f"/admin/surveys/response/{response.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    edition = Edition.objects.filter(round=published).first()
    assert edition is not None
    assert (
        client.post(f"/admin/radar/edition/{edition.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    round_page = client.get(f"/admin/surveys/round/{published.pk}/change/").content.decode()
    assert 'name="status"' not in round_page


def test_an_answer_changed_one_by_one_is_recorded_on_the_audit_trail(
    make_round: Any, analyst: User
) -> None:
    make_round(2025, {"skaermbesoeg": STAGES})
    answer = _first_municipality_answer()
    with audit.acting_as(analyst):
        answer.stage = "piloting"
        answer.save()
    entry = AuditEntry.objects.get(object_type="surveys.Answer")
    assert "stage: in_operation → piloting" in entry.summary
    assert entry.municipality_id == answer.response.municipality_id
