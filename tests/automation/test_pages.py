"""The pipeline's pages: who sees which processes, the filters, a fixed number of queries,
the process page, the forms, copying, measurements flowing into the benefits dashboard,
umbrellas, and the pipeline on the technology page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kommuneradar.accounts.models import User
from kommuneradar.automation.models import Measurement, Process, ProcessContact, Umbrella
from kommuneradar.benefits import finance
from kommuneradar.benefits import services as benefit_services
from kommuneradar.benefits.models import FollowUp
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

from .factories import make_kle, make_process

pytestmark = pytest.mark.django_db

PUBLIC = Process.Visibility.PUBLIC
MUNICIPALITY = Process.Visibility.MUNICIPALITY
PERSONAL = Process.Visibility.PERSONAL


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def processes(vejle: Municipality, vejle_editor: User) -> dict[str, Process]:
    return {
        "public": make_process(vejle, title="Offentlig journalisering"),
        "shared": make_process(vejle, title="Vejles interne fakturaflow", visibility=MUNICIPALITY),
        "personal": make_process(
            vejle, title="Victors egen ide", visibility=PERSONAL, owner=vejle_editor
        ),
    }


def titles(client: Client, query: str = "") -> set[str]:
    response = client.get("/automatisering/" + query)
    assert response.status_code == 200
    return {process.title for process in response.context["processes"]}


def test_the_public_sees_public_processes_only(processes: dict[str, Process]) -> None:
    assert titles(Client()) == {"Offentlig journalisering"}


def test_a_municipality_shares_with_its_editors_and_a_personal_process_stays_its_owners(
    processes: dict[str, Process],
    vejle: Municipality,
    vejle_editor: User,
    aarhus_editor: User,
    analyst: User,
) -> None:
    colleague = User.objects.create_user(
        "vera", "vera@vejle.example", "pw", role=User.Role.EDITOR, municipality=vejle
    )
    everything = {"Offentlig journalisering", "Vejles interne fakturaflow", "Victors egen ide"}
    assert titles(signed_in(vejle_editor)) == everything
    assert titles(signed_in(colleague)) == everything - {"Victors egen ide"}
    assert titles(signed_in(analyst)) == everything - {"Victors egen ide"}
    assert titles(signed_in(aarhus_editor)) == {"Offentlig journalisering"}
    for user, status in ((aarhus_editor, 404), (colleague, 404), (None, 404)):
        client = signed_in(user) if user else Client()
        assert client.get(processes["personal"].get_absolute_url()).status_code == status
    assert Client().get(processes["shared"].get_absolute_url()).status_code == 404
    assert signed_in(aarhus_editor).get(processes["shared"].get_absolute_url()).status_code == 404


def test_another_municipality_may_see_a_public_process_but_not_edit_it(
    processes: dict[str, Process], aarhus_editor: User
) -> None:
    client = signed_in(aarhus_editor)
    public = processes["public"]
    assert client.get(f"/automatisering/{public.pk}/rediger/").status_code == 403
    assert client.post(f"/automatisering/{public.pk}/maaling/", {}).status_code == 403
    assert client.get(f"/automatisering/{public.pk}/vurdering/").status_code == 403


def test_internal_notes_and_people_never_reach_another_municipality(
    vejle: Municipality, vejle_editor: User, aarhus_editor: User, analyst: User
) -> None:
    process = make_process(
        vejle, title="Attester", internal_notes="Qqinternalnote", owner=vejle_editor
    )
    ProcessContact.objects.create(
        process=process, name="Qqcontactname", email="qqcontact@vejle.example", phone="12345678"
    )
    url = process.get_absolute_url()
    own = signed_in(vejle_editor).get(url).content.decode()
    assert "Qqinternalnote" in own and "Qqcontactname" in own
    for client in (Client(), signed_in(aarhus_editor)):
        body = client.get(url).content.decode()
        assert "Attester" in body
        for secret in ("Qqinternalnote", "Qqcontactname", "qqcontact@vejle.example", "12345678"):
            assert secret not in body
        api = client.get(f"/api/v1/automation/processes/{process.pk}").content.decode()
        listing = client.get("/api/v1/automation/processes").content.decode()
        for body in (api, listing):
            assert "Attester" in body
            for secret in ("Qqinternalnote", "Qqcontactname", "qqcontact", "victor"):
                assert secret not in body


def test_the_filters_narrow_the_list(vejle: Municipality, aarhus: Municipality) -> None:
    housing = make_kle("27.12.08", "Opfølgning på boligstøtte")
    attests = make_kle("81.02.04", "Børneattester")
    make_process(
        vejle,
        title="Boligstøtte",
        kle=housing,
        phase=Process.Phase.IDEA,
        cases_per_year=100,
    )
    make_process(
        aarhus,
        title="Attester",
        kle=attests,
        technologies=("chatbots",),
        cases_per_year=100_000,
    )
    client = Client()
    assert titles(client, "?kle=27") == {"Boligstøtte"}
    assert titles(client, "?kle=81.02") == {"Attester"}
    assert titles(client, "?fase=idea&fase=operation") == {"Boligstøtte", "Attester"}
    assert titles(client, "?fase=idea") == {"Boligstøtte"}
    assert titles(client, "?teknologi=chatbots") == {"Attester"}
    assert titles(client, "?kommune=Vejle") == {"Boligstøtte"}
    assert titles(client, "?kommune=751") == {"Attester"}
    # 100 × 15 min × 80 % = 20 hours (small); 100,000 cases = 20,000 hours (large)
    assert titles(client, "?stoerrelse=small") == {"Boligstøtte"}
    assert titles(client, "?stoerrelse=large") == {"Attester"}
    assert titles(client, "?q=bolig") == {"Boligstøtte"}
    response = client.get("/automatisering/?kommune=Atlantis")
    assert response.context["processes"] == []
    assert "Atlantis" in response.content.decode()
    # unknown choices are ignored, not a 500
    assert client.get("/automatisering/?fase=nonsense&stoerrelse=huge&system=x").status_code == 200


def test_the_list_takes_the_same_number_of_queries_however_many_processes(
    vejle: Municipality, aarhus: Municipality, django_assert_num_queries: Any
) -> None:
    source = make_process(vejle, title="Kilde")
    make_process(aarhus, title="Kopi", source=source)
    client = Client()
    client.get("/automatisering/")  # warm the session and caches
    with django_assert_num_queries(7) as few:
        client.get("/automatisering/")
    for number in range(20):
        make_process(vejle, title=f"Proces {number}", technologies=("rpa", "chatbots"))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/automatisering/")
    assert len(response.context["processes"]) == 22


def test_a_copy_links_to_its_source_and_the_source_counts_and_lists_it(
    vejle: Municipality, aarhus_editor: User, vejle_editor: User
) -> None:
    source = make_process(
        vejle, title="Journalisering af e-mails", internal_notes="Kun for Vejle", umbrella=None
    )
    client = signed_in(aarhus_editor)
    response = client.post(f"/automatisering/{source.pk}/kopier/")
    copy = Process.objects.get(source=source)
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    assert copy.municipality.code == "751"
    assert copy.owner == aarhus_editor
    assert copy.internal_notes == ""
    assert copy.phase == Process.Phase.IDEA
    assert list(copy.technologies.values_list("slug", flat=True)) == ["rpa"]
    copy_page = client.get(copy.get_absolute_url()).content.decode()
    assert source.get_absolute_url() in copy_page
    # The copy is shared within Aarhus: Vejle's editor sees it counted on the source page
    # only once Aarhus makes it public.
    Process.objects.filter(pk=copy.pk).update(visibility=PUBLIC)
    source_page = Client().get(source.get_absolute_url())
    assert source_page.context["reuses"] == [copy]
    assert "Genbrugt af 1 proces" in source_page.content.decode()
    listing = Client().get("/automatisering/?q=Journalisering")
    counts = {p.pk: p.reuse_count for p in listing.context["processes"]}
    assert counts == {source.pk: 1, copy.pk: 0}


def test_a_municipality_cannot_copy_its_own_process_and_the_public_must_log_in(
    vejle: Municipality, vejle_editor: User
) -> None:
    source = make_process(vejle)
    assert signed_in(vejle_editor).post(f"/automatisering/{source.pk}/kopier/").status_code == 403
    response = Client().post(f"/automatisering/{source.pk}/kopier/")
    assert response.status_code == 302 and "/log-ind/" in response["Location"]
    assert Process.objects.count() == 1


def _form(**changes: str) -> dict[str, str]:
    data = {
        "process-title": "Udbetaling af tilskud",
        "process-summary": "Robotten udbetaler.",
        "process-description": "",
        "process-kle": "",
        "process-form_code": "",
        "process-phase": "idea",
        "process-status": "in_progress",
        "process-visibility": "municipality",
        "process-technologies": "",
        "process-new_systems": "Tilskudssystem, ESDH",
        "process-run_frequency": "weekly",
        "process-cases_per_year": "1000",
        "process-minutes_per_case": "7,5",
        "process-automation_share": "60",
        "process-legal_basis": "",
        "process-legal_basis_checked_on": "",
        "process-internal_notes": "Tal med økonomi",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "10",
        "contacts-0-name": "Karin Kontakt",
        "contacts-0-role": "Procesejer",
        "contacts-0-email": "karin@vejle.example",
        "contacts-0-phone": "",
    }
    data.update(changes)
    return data


def test_an_editor_creates_a_process_in_their_own_municipality(
    vejle_editor: User, aarhus: Municipality
) -> None:
    rpa = Technology.objects.get(slug="rpa")
    data = _form(**{"process-technologies": str(rpa.pk), "process-municipality": str(aarhus.pk)})
    response = signed_in(vejle_editor).post("/automatisering/ny/", data)
    process = Process.objects.get()
    assert response.status_code == 302
    assert process.municipality.code == "630"  # not the municipality the form was sent
    assert process.owner == vejle_editor
    # 1,000 × 7.5 minutes × 60 % = 75 hours a year
    assert process.expected_hours == Decimal(75)
    assert sorted(process.systems.values_list("name", flat=True)) == ["ESDH", "Tilskudssystem"]
    assert process.contacts.get().name == "Karin Kontakt"


def test_a_refused_form_keeps_what_was_typed_and_saves_nothing(vejle_editor: User) -> None:
    data = _form(
        **{
            "process-title": "",
            "process-automation_share": "150",
            "process-kle": "99.99.99",
            "process-summary": "Mit resumé",
        }
    )
    response = signed_in(vejle_editor).post("/automatisering/ny/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert Process.objects.count() == 0
    assert "Mit resumé" in body and "Karin Kontakt" in body and "99.99.99" in body
    assert "ikke et KLE-nummer" in body


def test_realised_hours_of_a_process_appear_in_the_benefits_dashboard_totals(
    vejle: Municipality, vejle_editor: User
) -> None:
    process = make_process(vejle, title="Fakturabetaling")  # 240 hours a year expected
    before = benefit_services.dashboard().overall
    end = timezone.localdate() - dt.timedelta(days=1)
    start = end - dt.timedelta(days=364)  # a year of 365 days: the rate equals the hours
    response = signed_in(vejle_editor).post(
        f"/automatisering/{process.pk}/maaling/",
        {
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "baseline_hours": "300",
            "actual_hours": "108,5",
            "note": "",
        },
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.realised_hours == Decimal("191.5")
    process.refresh_from_db()
    project = process.benefit_project
    assert project is not None and project.published
    assert project.municipality == vejle and project.technology.slug == "rpa"
    assert measurement.follow_up == FollowUp.objects.get(project=project)
    after = benefit_services.dashboard().overall
    assert after.measured_projects == before.measured_projects + 1
    assert after.realised_fte - before.realised_fte == pytest.approx(191.5 / 1924)
    assert after.expected_fte - before.expected_fte == pytest.approx(240 / finance.HOURS_PER_FTE)
    page = Client().get("/gevinster/projekter/?teknologi=rpa").content.decode()
    assert "Fakturabetaling" in page
    # The process page shows the measurement by date, beside the chart.
    detail = Client().get(process.get_absolute_url()).content.decode()
    assert "191,5" in detail and "<svg" in detail


def test_a_process_shared_only_in_its_municipality_stays_out_of_the_public_dashboard(
    vejle: Municipality, vejle_editor: User
) -> None:
    process = make_process(vejle, visibility=MUNICIPALITY)
    before = benefit_services.dashboard().overall
    end = timezone.localdate() - dt.timedelta(days=1)
    signed_in(vejle_editor).post(
        f"/automatisering/{process.pk}/maaling/",
        {
            "period_start": (end - dt.timedelta(days=89)).isoformat(),
            "period_end": end.isoformat(),
            "baseline_hours": "50",
            "actual_hours": "10",
        },
    )
    process.refresh_from_db()
    assert process.benefit_project is not None and not process.benefit_project.published
    assert benefit_services.dashboard().overall == before


def test_a_measurement_needs_a_technology_and_a_sane_period(
    vejle: Municipality, vejle_editor: User
) -> None:
    process = make_process(vejle, technologies=())
    response = signed_in(vejle_editor).post(
        f"/automatisering/{process.pk}/maaling/",
        {
            "period_start": "2025-05-02",
            "period_end": "2025-05-01",
            "baseline_hours": "-3",
            "actual_hours": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "teknologier" in body and "slutte før" in body
    assert Measurement.objects.count() == 0 and FollowUp.objects.count() == 0


def test_the_assessment_shows_its_score_and_reasons(
    vejle: Municipality, vejle_editor: User
) -> None:
    process = make_process(vejle)
    answers = {
        "structured_input": "5",
        "rule_based": "5",
        "uniform": "4",
        "stable": "3",
        "volume": "5",
        "quality_gain": "2",
        "speed_gain": "4",
        "routine_relief": "5",
        "assessed_on": "2025-03-01",
    }
    client = signed_in(vejle_editor)
    assert client.post(f"/automatisering/{process.pk}/vurdering/", answers).status_code == 302
    body = Client().get(process.get_absolute_url()).content.decode()
    assert "Egnet" in body and "78 %" in body
    assert "Automatisering giver bedre kvalitet" in body  # the one reason against


def test_umbrellas_group_processes_across_municipalities(
    vejle: Municipality, aarhus: Municipality, vejle_editor: User
) -> None:
    client = signed_in(vejle_editor)
    response = client.post(
        "/automatisering/paraplyer/ny/", {"title": "Fælles attestrobot", "description": "Sammen"}
    )
    umbrella = Umbrella.objects.get()
    assert response.status_code == 302 and umbrella.municipality == vejle
    make_process(vejle, title="Attester i Vejle", umbrella=umbrella)
    make_process(aarhus, title="Attester i Aarhus", umbrella=umbrella)
    make_process(aarhus, title="Skjult i Aarhus", umbrella=umbrella, visibility=MUNICIPALITY)
    page = Client().get(umbrella.get_absolute_url())
    assert [p.title for p in page.context["processes"]] == ["Attester i Aarhus", "Attester i Vejle"]
    # 2 × 240 hours
    assert page.context["expected_hours"] == Decimal(480)
    assert "Fælles attestrobot" in Client().get("/automatisering/paraplyer/").content.decode()


def test_the_rpa_page_shows_the_pipeline_per_phase_and_its_hours_with_sources(
    vejle: Municipality, aarhus: Municipality
) -> None:
    operating = make_process(vejle, title="Robot i drift")
    make_process(aarhus, title="Robot som ide", phase=Process.Phase.IDEA)
    make_process(aarhus, title="Skjult robot", visibility=MUNICIPALITY)
    Measurement.objects.create(
        process=operating,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 3, 31),
        baseline_hours=Decimal(60),
        actual_hours=Decimal(15),
    )
    body = Client().get("/teknologi/rpa/").content.decode()
    assert "2 offentlige processer bruger Robotic Process Automation" in body
    # 2 × 240 expected; 45 hours in 90 days = 182.5 hours a year
    assert "480,0 timer om året" in body and "182,5 timer om året" in body
    assert operating.get_absolute_url() in body and "Skjult robot" not in body
    assert "/automatisering/?teknologi=rpa&amp;fase=idea" in body


def test_a_file_not_shared_stays_in_its_municipality_even_on_a_public_process(
    vejle: Municipality, vejle_editor: User, aarhus_editor: User
) -> None:
    process = make_process(vejle)
    client = signed_in(vejle_editor)
    for title, shared in (("Delt beskrivelse", "on"), ("Intern tjekliste", "")):
        upload = SimpleUploadedFile(f"{title}.txt", title.encode(), "text/plain")
        response = client.post(
            f"/automatisering/{process.pk}/bilag/",
            {"title": title, "file": upload, "shared": shared},
        )
        assert response.status_code == 302
    shared_file, own_file = process.attachments.order_by("title")
    assert shared_file.title == "Delt beskrivelse" and shared_file.shared
    other = signed_in(aarhus_editor)
    page = other.get(process.get_absolute_url()).content.decode()
    assert "Delt beskrivelse" in page and "Intern tjekliste" not in page
    download = other.get(f"/automatisering/{process.pk}/bilag/{shared_file.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Delt beskrivelse"  # type: ignore[attr-defined]
    assert other.get(f"/automatisering/{process.pk}/bilag/{own_file.pk}/").status_code == 404
    assert client.get(f"/automatisering/{process.pk}/bilag/{own_file.pk}/").status_code == 200
    refused = client.post(
        f"/automatisering/{process.pk}/bilag/",
        {"title": "Program", "file": SimpleUploadedFile("robot.exe", b"MZ"), "shared": "on"},
    )
    assert refused.status_code == 400 and process.attachments.count() == 2
