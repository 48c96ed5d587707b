"""URL parameters and POST data for the rows of the permission matrix (`matrix.py`): each
function takes the `World` and gives what a user would send; `changed` checks look the
change up in the database."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from kommuneradar.accounts.models import ApiToken, User
from kommuneradar.automation import potential
from kommuneradar.automation.models import Process, SavedSearch, Umbrella
from kommuneradar.benefits.models import Project
from kommuneradar.cases.models import Case
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality
from tests.surveys.conftest import full_answers

from .world import PASSWORD, World

HELD = "<held by the respondent>"
FORGED = "forged" + "0" * 37


def _pk(model: Any, **lookup: Any) -> int:
    pk: int = model.objects.values_list("pk", flat=True).get(**lookup)
    return pk


def _technology(slug: str = "skaermbesoeg") -> int:
    return _pk(Technology, slug=slug)


def _health() -> int:
    return _pk(Domain, slug="sundhed-og-aeldre")


# Core and accounts


def language(world: World) -> dict[str, Any]:
    return {"language": "en", "next": "/"}


def login(world: World) -> dict[str, Any]:
    return {"username": "ejer", "password": "not-" + PASSWORD}


def password_change(world: World) -> dict[str, Any]:
    new = "Matrix-adgangskode-2026"
    return {"old_password": PASSWORD, "new_password1": new, "new_password2": new}


def reset(world: World) -> dict[str, Any]:
    return {"email": "ejer@example.dk"}


def forged_reset(world: World) -> dict[str, Any]:
    return {"uidb64": world.reset_uid, "token": "abc-" + FORGED[:20]}


def forged_token(world: World) -> dict[str, Any]:
    return {"token": FORGED}


def invite(world: World) -> dict[str, Any]:
    return {"name": "Nina Ny", "email": "nina@vejle.example", "municipality": world.vejle.pk}


def invited(world: World) -> bool:
    return User.objects.filter(email="nina@vejle.example").exists()


def bystander(world: World) -> dict[str, Any]:
    return {"pk": world.bystander}


def bystander_deactivated(world: World) -> bool:
    return not User.objects.get(pk=world.bystander).is_active


# Benefits

BUSINESS_CASE = {
    "case-one_off_cost": "200000",
    "case-running_cost": "30000",
    "case-gain_dkk": "150000",
    "case-hours_freed": "1924",
    "case-horizon_years": "5",
    "case-discount_rate_percent": "3,5",
    "indicators-TOTAL_FORMS": "0",
    "indicators-INITIAL_FORMS": "0",
}


def _project_fields(title: str, world: World) -> dict[str, Any]:
    return {
        "project-municipality": world.vejle.pk,
        "project-title": title,
        "project-technology": _technology(),
        "project-domain": _health(),
        "project-description": "",
        "project-citizens_affected": "100",
        "project-staff_affected": "10",
        "project-start_date": "2023-01-01",
        "project-status": Project.Status.IN_OPERATION,
        "project-benefit_owner": "Leder",
        "project-follow_up_months": "12",
        "project-published": "on",
        **BUSINESS_CASE,
    }


def project(world: World) -> dict[str, Any]:
    return _project_fields("Matrixprojekt", world)


def project_created(world: World) -> bool:
    return Project.objects.filter(title="Matrixprojekt").exists()


def project_edit(world: World) -> dict[str, Any]:
    return _project_fields("Omdoebt projekt", world)


PROJECT_CSV = (
    "kommune;titel;teknologi;fagområde;startdato;status;gevinstejer;engangsomkostninger;"
    "driftsomkostninger;gevinst kr;timer frigjort;timer frigjort pessimistisk;"
    "diskonteringsrente;offentliggjort\n"
    "630;Importeret matrixprojekt;Skærmbesøg;Sundhed og ældre;2023-03-01;I drift;Leder;"
    "250.000;20.000;120.000;1924;1500;3,5;ja\n"
)


def project_import(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("projekter.csv", PROJECT_CSV.encode(), "text/csv")}


def project_imported(world: World) -> bool:
    return Project.objects.filter(title="Importeret matrixprojekt").exists()


def draft_project(world: World) -> dict[str, Any]:
    return {"pk": world.draft_project}


def published_project(world: World) -> dict[str, Any]:
    return {"pk": world.published_project}


def follow_up(world: World) -> dict[str, Any]:
    return {"measured_on": "2024-06-01", "hours_freed": "1500"}


# Cases


def vejle_slug(world: World) -> dict[str, Any]:
    return {"municipality": world.vejle.slug}


def case(world: World) -> dict[str, Any]:
    return {
        "title": "Matrixcase",
        "summary": "Natbesoeg over skaerm.",
        "body": "",
        "lessons": "",
        "technologies": [_technology()],
        "domains": [_health()],
        "stage": "pilot",
        "effects-TOTAL_FORMS": "0",
        "effects-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }


def case_created(world: World) -> bool:
    return Case.objects.filter(title="Matrixcase").exists()


def draft_case(world: World) -> dict[str, Any]:
    return {"pk": world.draft_case}


def draft_case_history(world: World) -> dict[str, Any]:
    return {"object_type": "cases.Case", "object_id": str(world.draft_case)}


def published_case(world: World) -> dict[str, Any]:
    return {"pk": world.published_case}


def submitted_case(world: World) -> dict[str, Any]:
    return {"pk": world.submitted_case}


def review(world: World) -> dict[str, Any]:
    return {"decision": "publish", "comment": ""}


def send_back(world: World) -> dict[str, Any]:
    return {"decision": "return", "comment": "Mangler effekter."}


# Network


def vejle_code(world: World) -> dict[str, Any]:
    return {"code": world.vejle.code}


def vejle_table(world: World) -> dict[str, Any]:
    return {"code": world.vejle.code, "table": "stadier"}


def programme(world: World) -> dict[str, Any]:
    return {"slug": world.programme}


def second_programme(world: World) -> dict[str, Any]:
    return {"slug": world.second_programme}


NO_TRACKS = {"tracks-TOTAL_FORMS": "0", "tracks-INITIAL_FORMS": "0"}


def _programme_fields(name: str, slug: str) -> dict[str, Any]:
    return {
        "name": name,
        "slug": slug,
        "summary": "Et nyt program.",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "enrolment_deadline": "2025-12-31",
        "fee_dkk": "0",
        "offer": "",
        "contact_name": "",
        "contact_email": "",
        "source": "",
        **NO_TRACKS,
    }


def programme_data(world: World) -> dict[str, Any]:
    return _programme_fields("Matrixprogram", "matrixprogram")


def programme_edit(world: World) -> dict[str, Any]:
    return _programme_fields("Omdoebt partnerskab", world.programme)


def enrolment_data(world: World) -> dict[str, Any]:
    return {
        "municipality": world.vejle.pk,
        "tracks": [world.second_track],
        "commitment": "Vi goer det.",
        "contact_name": "Kim Kontakt",
        "contact_email": "kim@example.dk",
    }


def enrolment(world: World) -> dict[str, Any]:
    return {"slug": world.programme, "pk": world.enrolment}


def milestone(world: World) -> dict[str, Any]:
    return {
        "action": "milestone",
        "track": world.track,
        "kind": "pilot",
        "reached_on": "2024-01-01",
    }


def enrolment_status(world: World) -> dict[str, Any]:
    return {"action": "status", "status": "active"}


def milestone_delete(world: World) -> dict[str, Any]:
    return {"slug": world.programme, "pk": world.enrolment, "milestone": world.milestone}


def joint(world: World) -> dict[str, Any]:
    return {"slug": world.joint_project}


def _joint_fields(title: str, slug: str) -> dict[str, Any]:
    odense = Municipality.objects.get(code="461")
    vejle = Municipality.objects.get(code="630")
    return {
        "title": title,
        "slug": slug,
        "technology": _technology("machine-learning"),
        "description": "Data fra flere kommuner.",
        "lead_municipality": vejle.pk,
        "participants": [vejle.pk, odense.pk],
        "starts_on": "2024-01-01",
        "ends_on": "",
        "status": "running",
        "results": "Matrixresultat",
        "source": "",
    }


def joint_project(world: World) -> dict[str, Any]:
    return _joint_fields("Nyt faelles projekt", "nyt-faelles")


def joint_results(world: World) -> dict[str, Any]:
    return _joint_fields("Faelles maskinlaering", world.joint_project)


def joint_document(world: World) -> dict[str, Any]:
    return {"title": "Rapport", "url": "https://example.dk/rapport.pdf"}


# Radar


def published_year(world: World) -> dict[str, Any]:
    return {"year": world.published_year}


def published_domain(world: World) -> dict[str, Any]:
    return {"year": world.published_year, "scope": "sundhed-og-aeldre"}


def editorial(world: World) -> dict[str, Any]:
    return {"pk": world.editorial}


def editorial_edition(world: World) -> dict[str, Any]:
    return {"pk": world.editorial, "date": world.editorial_date}


def editorial_export(world: World) -> dict[str, Any]:
    # an editorial radar has no numbers: it exports to the other radar tools' formats only
    return {**editorial_edition(world), "fmt": "byor-json"}


BYOR_CSV = "name,ring,quadrant,isNew,description\nSkaermbesoeg,Adopt,Velfaerd,TRUE,Matrix\n"


def editorial_file(world: World) -> dict[str, Any]:
    return {
        "name": "Matrixradar",
        "source": "byor",
        "file": SimpleUploadedFile("radar.csv", BYOR_CSV.encode(), "text/csv"),
        "date": "2024-06-01",
    }


def technology(world: World) -> dict[str, Any]:
    return {"slug": "skaermbesoeg"}


def job(world: World) -> dict[str, Any]:
    return {"pk": world.job}


def failed_job(world: World) -> dict[str, Any]:
    return {"pk": world.failed_job}


def queued_job(world: World) -> dict[str, Any]:
    return {"pk": world.queued_job}


def open_year(world: World) -> dict[str, Any]:
    return {"year": world.open_year}


def override(world: World) -> dict[str, Any]:
    return {
        "action": "override",
        "scope": "alle",
        "technology": _technology(),
        "ring": "afvent",
        "reason": "Matrixbegrundelse",
    }


def story(world: World) -> dict[str, Any]:
    return {
        "action": "story",
        "scope": "alle",
        "introduction": "Matrixindledning",
        "expert_panel": "",
        "contact_name": "Matrix Kontakt",
        "contact_role": "Konsulent",
        "contact_email": "matrix@kl.example",
    }


def ring_reason(world: World) -> dict[str, Any]:
    return {
        "action": "reason",
        "scope": "alle",
        "technology": _technology(),
        "text": "Matrixbegrundelse for ringen",
    }


def compute(world: World) -> dict[str, Any]:
    return {"action": "compute"}


def publish(world: World) -> dict[str, Any]:
    return {"action": "publish", "change_note": "Matrixrettelse"}


def correction(world: World) -> dict[str, Any]:
    # København answered the published round; the correction moves it from piloting on.
    corrected = ANSWERS_CSV.replace("Odense", "København").replace("Afprøver", "I drift")
    return {
        "change_note": "Matrixrettelse af en offentliggjort runde",
        "file": SimpleUploadedFile("rettelse.csv", corrected.encode(), "text/csv"),
    }


# Surveys


def held_token(world: World) -> dict[str, Any]:
    return {"token": HELD}


def questionnaire(world: World) -> dict[str, Any]:
    return full_answers(Domain.objects.get(slug="sundhed-og-aeldre"))


def new_round(world: World) -> dict[str, Any]:
    return {"year": "2026", "opens_on": "2026-02-01", "closes_on": "2026-03-31"}


def close_round(world: World) -> dict[str, Any]:
    return {"status": "closed"}


def invitation(world: World) -> dict[str, Any]:
    return {"year": world.open_year, "pk": world.invitation}


def recipient(world: World) -> dict[str, Any]:
    return {"name": "Ny Modtager", "email": "modtager@vejle.example", "role": ""}


def revoke(world: World) -> dict[str, Any]:
    return {"action": "revoke"}


def reissue(world: World) -> dict[str, Any]:
    return {"action": "reissue"}


def submitted_response(world: World) -> dict[str, Any]:
    return {"year": world.open_year, "pk": world.submitted_response}


ANSWERS_CSV = (
    "kommune;fagområde;teknologi;stadie;effektivisering;kvalitet;trivsel;kommentar\n"
    "Odense;Sundhed og ældre;Skærmbesøg;Afprøver;Stor;Nogen;Ingen;\n"
)


def answers_file(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("svar.csv", ANSWERS_CSV.encode(), "text/csv")}


def rating(world: World) -> dict[str, Any]:
    pk = _technology()
    return {f"r{pk}-rating": "6", f"r{pk}-rationale": "Matrixvurdering"}


# The API


def api_edition(world: World) -> dict[str, Any]:
    return {"year": world.published_year, "scope": "alle"}


def api_draft_case(world: World) -> dict[str, Any]:
    return {"case_id": world.draft_case}


# The API (v1): path parameters and JSON bodies


def api_case(world: World) -> dict[str, Any]:
    return {"case_id": world.draft_case}


def api_published_case(world: World) -> dict[str, Any]:
    return {"case_id": world.published_case}


def api_project(world: World) -> dict[str, Any]:
    return {"project_id": world.published_project}


def api_programme(world: World) -> dict[str, Any]:
    return {"slug": world.second_programme}


def api_enrolment(world: World) -> dict[str, Any]:
    return {"enrolment_id": world.enrolment}


def api_milestone(world: World) -> dict[str, Any]:
    return {"enrolment_id": world.enrolment, "milestone_id": world.milestone}


def api_technology(world: World) -> dict[str, Any]:
    return {"slug": "skaermbesoeg"}


def api_new_case(world: World) -> dict[str, Any]:
    return {
        "municipality": "630",
        "title": "Matrixcase via API",
        "summary": "Skrevet gennem API'et.",
        "technologies": ["skaermbesoeg"],
        "domains": ["sundhed-og-aeldre"],
        "effects": [],
    }


def api_case_created(world: World) -> bool:
    return Case.objects.filter(title="Matrixcase via API").exists()


def api_title(world: World) -> dict[str, Any]:
    return {"title": "Ny titel via API"}


def api_nothing(world: World) -> dict[str, Any]:
    return {}


def api_new_project(world: World) -> dict[str, Any]:
    return {
        "municipality": "630",
        "title": "Matrixprojekt via API",
        "technology": "skaermbesoeg",
        "domain": "sundhed-og-aeldre",
        "start_date": "2024-01-01",
        "benefit_owner": "Leder",
        "business_case": {
            "one_off_cost": 1000,
            "running_cost": 100,
            "gain_dkk": 2000,
            "hours_freed": "10",
            "discount_rate_percent": "3.5",
        },
    }


def api_project_created(world: World) -> bool:
    return Project.objects.filter(title="Matrixprojekt via API").exists()


def api_follow_up(world: World) -> dict[str, Any]:
    return {"measured_on": "2024-06-01", "hours_freed": "10"}


def api_enrol(world: World) -> dict[str, Any]:
    return {
        "municipality": "630",
        "tracks": ["Robotter"],
        "commitment": "Vi goer det via API.",
        "contact_name": "Kim Kontakt",
        "contact_email": "kim@example.dk",
    }


def api_status(world: World) -> dict[str, Any]:
    return {"status": "withdrawn"}


def api_new_milestone(world: World) -> dict[str, Any]:
    return {"track": "Skaermbesoeg", "kind": "in_operation", "reached_on": "2024-03-01"}


def api_unknown(world: World) -> dict[str, Any]:
    return {"rest": "ingen-saadan"}


def api_unversioned(world: World) -> dict[str, Any]:
    return {"rest": "radar/editions"}


def token_name(world: World) -> dict[str, Any]:
    return {"name": "Sagssystem"}


def own_token(world: World) -> dict[str, Any]:
    return {"pk": ApiToken.objects.get(user=world.users["own"]).pk}


def own_token_revoked(world: World) -> bool:
    return ApiToken.objects.get(user=world.users["own"]).revoked_at is not None


# The automation pipeline


def public_process(world: World) -> dict[str, Any]:
    return {"pk": world.public_process}


def umbrella(world: World) -> dict[str, Any]:
    return {"pk": world.umbrella}


def _process_fields(title: str, world: World) -> dict[str, Any]:
    return {
        "process-municipality": world.vejle.pk,
        "process-title": title,
        "process-summary": "Et resume.",
        "process-phase": "idea",
        "process-status": "in_progress",
        "process-visibility": "public",
        "process-technologies": _technology("rpa"),
        "process-cases_per_year": "100",
        "process-minutes_per_case": "10",
        "process-automation_share": "50",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "10",
    }


def process(world: World) -> dict[str, Any]:
    return _process_fields("Matrixproces", world)


def process_created(world: World) -> bool:
    return Process.objects.filter(title="Matrixproces").exists()


def process_edit(world: World) -> dict[str, Any]:
    return _process_fields("Omdoebt proces", world)


def assessment(world: World) -> dict[str, Any]:
    answers: dict[str, Any] = {name: "4" for name in potential.QUESTIONS}
    return {**answers, "assessed_on": "2024-06-01"}


def measurement(world: World) -> dict[str, Any]:
    return {
        "period_start": "2024-01-01",
        "period_end": "2024-03-31",
        "baseline_hours": "100",
        "actual_hours": "40",
    }


def process_copied(world: World) -> bool:
    return Process.objects.filter(source_id=world.public_process).exists()


def umbrella_data(world: World) -> dict[str, Any]:
    return {"title": "Matrixparaply", "description": "", "municipality": world.vejle.pk}


def umbrella_created(world: World) -> bool:
    return Umbrella.objects.filter(title="Matrixparaply").exists()


def umbrella_edit(world: World) -> dict[str, Any]:
    return {"title": "Omdoebt paraply", "description": "Ny tekst", "municipality": world.vejle.pk}


def api_process(world: World) -> dict[str, Any]:
    return {"process_id": world.public_process}


def attachment(world: World) -> dict[str, Any]:
    return {"pk": world.public_process, "attachment": world.attachment}


def attachment_file(world: World) -> dict[str, Any]:
    upload = SimpleUploadedFile("beskrivelse.txt", b"Procesbeskrivelse", "text/plain")
    return {"title": "Matrixbilag", "file": upload, "shared": "on"}


# Automation: the pipeline's files and saved searches

OS2_CSV = (
    "ID;Titel;Fase;Status;Synlighed;Myndighed;Antal gange processen foretages årligt;"
    "Tidsforbrug pr. proces i minutter;Forventet automatiseringsgrad\n"
    "9001;Importeret matrixproces;Idé;I gang;Myndighed;Vejle Kommune;1000;5;50\n"
)


def os2_import(world: World) -> dict[str, Any]:
    """An OS2autoproces export of one Vejle process; analysts choose Vejle, editors import
    into their own municipality (Aarhus' editor is refused by the file's municipality)."""
    upload = SimpleUploadedFile("eksport.csv", OS2_CSV.encode(), "text/csv")
    return {"file": upload, "municipality": world.vejle.pk}


def os2_imported(world: World) -> bool:
    return Process.objects.filter(title="Importeret matrixproces").exists()


def saved_search(world: World) -> dict[str, Any]:
    return {"name": "Matrixsøgning", "query": "fase=idea"}


def own_saved_search(world: World) -> dict[str, Any]:
    search, _created = SavedSearch.objects.get_or_create(
        user=world.users["own"], name="Ejerens søgning", defaults={"query": "fase=operation"}
    )
    return {"pk": search.pk}


def own_saved_search_deleted(world: World) -> bool:
    return not SavedSearch.objects.filter(name="Ejerens søgning").exists()
