"""Partnership programmes: analysts run them, editors enrol their own municipality
before the deadline, milestones move participants along, the page counts progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.catalog.models import Technology
from kommuneradar.network.models import Enrolment, Milestone, Programme, Track
from kommuneradar.places.models import Municipality
from tests.spreadsheets import csv_rows

pytestmark = pytest.mark.django_db


def make_programme(deadline: dt.date, slug: str = "partnerskab") -> Programme:
    today = timezone.localdate()
    programme = Programme.objects.create(
        name=f"Teknologipartnerskabet {slug}",
        slug=slug,
        summary="Kommuner implementerer modne løsninger sammen.",
        starts_on=today - dt.timedelta(days=400),
        ends_on=today + dt.timedelta(days=200),
        enrolment_deadline=deadline,
        fee_dkk=50_000,
    )
    Track.objects.create(
        programme=programme,
        theme="Velfærdsteknologi",
        name="Skærmbesøg",
        technology=Technology.objects.get(slug="skaermbesoeg"),
        order=1,
    )
    Track.objects.create(programme=programme, theme="Velfærdsteknologi", name="Træning", order=2)
    return programme


def enrol(client: Client, programme: Programme, **extra: Any) -> Any:
    screen = programme.tracks.get(name="Skærmbesøg")
    data = {
        "tracks": [str(screen.pk)],
        "commitment": "Vi indfører skærmbesøg i hele hjemmeplejen inden udgangen af året.",
        "contact_name": "Mette Lund",
        "contact_email": "ml@vejle.example",
        **extra,
    }
    return client.post(f"/partnerskaber/{programme.slug}/tilmeld/", data)


def test_editor_enrols_own_municipality_moves_through_milestones_and_page_counts_progress(
    client: Client, vejle_editor: User, vejle: Municipality, aarhus: Municipality
) -> None:
    programme = make_programme(timezone.localdate() + dt.timedelta(days=5))
    client.force_login(vejle_editor)
    # The municipality field is not offered to editors: a posted one is ignored.
    response = enrol(client, programme, municipality=str(aarhus.pk))
    enrolment = Enrolment.objects.get(programme=programme)
    assert response.status_code == 302
    assert enrolment.municipality == vejle
    assert AuditEntry.objects.filter(action="enrol", municipality=vejle).count() == 1

    screen = programme.tracks.get(name="Skærmbesøg")
    dates = {
        "decision": "2023-04-01",
        "pilot": "2023-06-01",
        "in_operation": "2023-11-01",
    }
    for kind, date in dates.items():
        answer = client.post(
            f"/partnerskaber/{programme.slug}/tilmeldinger/{enrolment.pk}/",
            {"action": "milestone", "track": screen.pk, "kind": kind, "reached_on": date},
        )
        assert answer.status_code == 302, answer.content.decode()
    assert Milestone.objects.filter(enrolment=enrolment).count() == 3
    assert AuditEntry.objects.filter(action="milestone").count() == 3

    page = Client().get(f"/partnerskaber/{programme.slug}/")
    overview = page.context["overview"]
    counts = {c.milestone: (c.reached, c.participants) for c in overview.summaries[0].counts}
    assert counts == {
        "decision": (1, 1),
        "pilot": (1, 1),
        "in_operation": (1, 1),
        "scaled": (0, 1),
        "gains_measured": (0, 1),
    }
    assert overview.summaries[1].counts[0].participants == 0
    assert overview.participants[0].completion == 0.6
    html = page.content.decode()
    assert "60 %" in html
    assert "2023" in html and "I drift" in html
    assert "ml@vejle.example" not in html, "contacts are for logged-in users only"

    rows = csv_rows(client.get(f"/partnerskaber/{programme.slug}/eksport.csv"))
    assert rows[0]["i drift"] == "2023-11-01" and rows[0]["udbredt"] == ""
    document = client.get(f"/partnerskaber/{programme.slug}/eksport.json").json()
    assert document["tracks"][0]["reached"]["pilot"] == 1


def test_enrolment_after_the_deadline_is_refused_with_a_clear_message(
    client: Client, vejle_editor: User
) -> None:
    programme = make_programme(timezone.localdate() - dt.timedelta(days=1))
    client.force_login(vejle_editor)
    response = enrol(client, programme)
    assert response.status_code == 200
    assert not Enrolment.objects.exists()
    form = response.context["form"]
    assert form.has_error("__all__", code="deadline")
    message = form.non_field_errors()[0]
    assert programme.name in message
    assert str(programme.enrolment_deadline.year) in message
    assert escape(message) in response.content.decode()


def test_deadline_day_itself_is_still_open(client: Client, vejle_editor: User) -> None:
    programme = make_programme(timezone.localdate())
    client.force_login(vejle_editor)
    assert enrol(client, programme).status_code == 302


def test_a_municipality_enrols_once(client: Client, vejle_editor: User) -> None:
    programme = make_programme(timezone.localdate() + dt.timedelta(days=5))
    client.force_login(vejle_editor)
    enrol(client, programme)
    again = enrol(client, programme)
    assert again.status_code == 200
    assert Enrolment.objects.count() == 1
    assert "allerede tilmeldt" in again.content.decode()


def test_analyst_enrols_any_municipality(
    client: Client, analyst: User, aarhus: Municipality
) -> None:
    programme = make_programme(timezone.localdate() + dt.timedelta(days=5))
    client.force_login(analyst)
    assert enrol(client, programme, municipality=str(aarhus.pk)).status_code == 302
    assert Enrolment.objects.get().municipality == aarhus


def test_forbidden_paths(
    client: Client, vejle_editor: User, aarhus_editor: User, vejle: Municipality
) -> None:
    programme = make_programme(timezone.localdate() + dt.timedelta(days=5))
    anonymous = enrol(client, programme)
    assert anonymous.status_code == 302 and "/log-ind/" in anonymous["Location"]
    client.force_login(vejle_editor)
    enrol(client, programme)
    enrolment = Enrolment.objects.get()
    url = f"/partnerskaber/{programme.slug}/tilmeldinger/{enrolment.pk}/"
    # The editor may not change the status or run programmes.
    # The refusal policy: they see the enrolment and the programme, so changing is a 403.
    assert client.post(url, {"action": "status", "status": "completed"}).status_code == 403
    assert client.get("/partnerskaber/ny/").status_code == 403
    assert client.get(f"/partnerskaber/{programme.slug}/rediger/").status_code == 403
    # Another municipality's editor sees nothing of Vejle's enrolment.
    client.force_login(aarhus_editor)
    assert client.get(url).status_code == 404
    screen = programme.tracks.get(name="Skærmbesøg")
    posted = client.post(
        url,
        {"action": "milestone", "track": screen.pk, "kind": "pilot", "reached_on": "2023-05-01"},
    )
    assert posted.status_code == 404
    milestone = Milestone.objects.create(
        enrolment=enrolment, track=screen, kind="decision", reached_on=dt.date(2023, 4, 1)
    )
    assert client.post(f"{url}milepaele/{milestone.pk}/slet/").status_code == 404
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    assert Enrolment.objects.get().status == "enrolled"


def test_bad_milestone_input_keeps_what_was_typed(client: Client, vejle_editor: User) -> None:
    programme = make_programme(timezone.localdate() + dt.timedelta(days=5))
    client.force_login(vejle_editor)
    enrol(client, programme)
    enrolment = Enrolment.objects.get()
    other = programme.tracks.get(name="Træning")  # not chosen by Vejle
    response = client.post(
        f"/partnerskaber/{programme.slug}/tilmeldinger/{enrolment.pk}/",
        {
            "action": "milestone",
            "track": other.pk,
            "kind": "pilot",
            "reached_on": "ikke en dato",
            "note": "min note",
        },
    )
    assert response.status_code == 200
    assert not Milestone.objects.exists()
    html = response.content.decode()
    assert "min note" in html
    assert 'class="errorlist"' in html


def test_analyst_creates_a_programme_with_tracks_and_changes_a_status(
    client: Client, analyst: User, vejle: Municipality
) -> None:
    client.force_login(analyst)
    data = {
        "name": "Nyt partnerskab",
        "slug": "nyt",
        "summary": "Et nyt forløb.",
        "starts_on": "2025-01-01",
        "ends_on": "2026-06-30",
        "enrolment_deadline": "2024-12-01",
        "fee_dkk": "40000",
        "tracks-TOTAL_FORMS": "2",
        "tracks-INITIAL_FORMS": "0",
        "tracks-MIN_NUM_FORMS": "0",
        "tracks-MAX_NUM_FORMS": "1000",
        "tracks-0-theme": "Administration",
        "tracks-0-name": "Robotter",
        "tracks-0-order": "1",
        "tracks-1-theme": "",
        "tracks-1-name": "",
        "tracks-1-order": "0",
    }
    bad = client.post("/partnerskaber/ny/", {**data, "ends_on": "2024-01-01"})
    assert bad.status_code == 200 and not Programme.objects.exists()
    assert client.post("/partnerskaber/ny/", data).status_code == 302
    programme = Programme.objects.get()
    assert [t.name for t in programme.tracks.all()] == ["Robotter"]
    assert AuditEntry.objects.filter(action="create", object_type="network.Programme").exists()
    enrolment = Enrolment.objects.create(
        programme=programme,
        municipality=vejle,
        commitment="x",
        contact_name="y",
        contact_email="y@example.dk",
        enrolled_on=dt.date(2024, 11, 1),
    )
    url = f"/partnerskaber/nyt/tilmeldinger/{enrolment.pk}/"
    assert client.post(url, {"action": "status", "status": "active"}).status_code == 302
    assert Enrolment.objects.get().status == "active"


def test_programme_list_has_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    make_programme(timezone.localdate(), slug="a")
    with django_assert_num_queries(3):
        client.get("/partnerskaber/")
    make_programme(timezone.localdate(), slug="b")
    with django_assert_num_queries(3):
        assert client.get("/partnerskaber/").status_code == 200


def test_csv_export_defuses_spreadsheet_formulas(client: Client, vejle_editor: User) -> None:
    programme = make_programme(timezone.localdate() + dt.timedelta(days=5))
    client.force_login(vejle_editor)
    enrol(client, programme, commitment='=HYPERLINK("https://evil.example")')
    rows = csv_rows(client.get(f"/partnerskaber/{programme.slug}/eksport.csv"))
    assert rows[0]["tilsagn"].startswith("'=")


def test_programme_page_has_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    programme = make_programme(timezone.localdate())
    screen = programme.tracks.get(name="Skærmbesøg")

    def enrol_directly(code: str) -> None:
        enrolment = Enrolment.objects.create(
            programme=programme,
            municipality=Municipality.objects.get(code=code),
            commitment="Skærmbesøg i hjemmeplejen.",
            contact_name="Kim",
            contact_email="kim@example.dk",
            enrolled_on=timezone.localdate(),
        )
        enrolment.tracks.set([screen])
        Milestone.objects.create(
            enrolment=enrolment, track=screen, kind="decision", reached_on=dt.date(2023, 5, 1)
        )

    enrol_directly("101")
    with django_assert_num_queries(6):
        client.get(f"/partnerskaber/{programme.slug}/")
    for code in ("147", "151", "153", "155"):
        enrol_directly(code)
    with django_assert_num_queries(6):
        page = client.get(f"/partnerskaber/{programme.slug}/")
    assert page.context["overview"].summaries[0].counts[0].reached == 5
