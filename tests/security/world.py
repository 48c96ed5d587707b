"""The data the permission matrix tries every route on, built once per test module.

Vejle (630) owns the data: its editor is the *owner*; Aarhus' editor is the *other editor*.
Every value that only some people may see is a distinctive marker (`MARKERS`), planted once,
so a test can search any response body, page, CSV, XLSX or JSON, for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kommuneradar.accounts.apitokens import create_token
from kommuneradar.accounts.models import User
from kommuneradar.accounts.services import invite_editor
from kommuneradar.automation.models import Attachment, Process, ProcessContact, Umbrella
from kommuneradar.cases.models import Case, ContactPerson
from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.core import tokens
from kommuneradar.network.models import (
    Enrolment,
    JointProject,
    Milestone,
    Programme,
    Track,
)
from kommuneradar.places.models import Municipality
from kommuneradar.radar.importing import import_radar
from kommuneradar.radar.models import EditorialRadar
from kommuneradar.radar.services import publish_round
from kommuneradar.surveys import services as survey_services
from kommuneradar.surveys.models import Answer, Contact, Invitation, Job, Response, Round
from tests.automation.factories import make_process
from tests.benefits.factories import make_project
from tests.cases.factories import make_case
from tests.network.conftest import ROBOTS, SCREEN_VISITS

PASSWORD = "pw-matrix-1"

# Private values: unpublished data. Personal values: names and e-mail addresses.
PRIVATE = "private"
PERSONAL = "personal"
MARKERS: dict[str, tuple[str, str]] = {
    # key: (the text planted, its category)
    "draft_case": ("Mxdraftcasetitle", PRIVATE),
    "submitted_case": ("Mxsubmittedcasetitle", PRIVATE),
    "draft_project": ("Mxdraftprojecttitle", PRIVATE),
    "open_answer": ("Mxopenanswercomment", PRIVATE),
    "case_contact": ("Mxcasecontactname", PERSONAL),
    "enrolment_contact": ("Mxenrolmentcontactname", PERSONAL),
    "enrolment_email": ("mxenrolmentcontact@vejle.example", PERSONAL),
    "survey_contact": ("Mxsurveycontactname", PERSONAL),
    "survey_email": ("mxsurveycontact@vejle.example", PERSONAL),
    "editor_name": ("Mxeditorlastname", PERSONAL),
    "editor_email": ("mxbystander@vejle.example", PERSONAL),
    "shared_process": ("Mxsharedprocesstitle", PRIVATE),
    "process_notes": ("Mxprocessinternalnote", PRIVATE),
    "process_contact": ("Mxprocesscontactname", PERSONAL),
    "attachment_text": ("Mxprivateattachmenttext", PRIVATE),
}


def marker(key: str) -> str:
    return MARKERS[key][0]


@dataclass
class World:
    """Primary keys and keys of what the routes need; objects are fetched again in tests
    because each test's changes are rolled back."""

    vejle: Municipality
    aarhus: Municipality
    users: dict[str, User]
    published_case: int
    draft_case: int
    submitted_case: int
    published_project: int
    draft_project: int
    programme: str
    second_programme: str
    second_track: int
    enrolment: int
    milestone: int
    track: int
    joint_project: str
    published_year: int
    open_year: int
    invitation: int
    response: int
    submitted_response: int
    bystander: int
    editorial: int
    editorial_date: str
    job: str
    failed_job: str  # a computation that failed: its starter or an analyst may retry it
    queued_job: str  # an import no worker has started: its starter or an analyst may cancel it
    # each signed-in actor's API token (the bearer value), keyed like `users`
    api_tokens: dict[str, str]
    respondent_token: str
    reset_uid: str
    reset_token: str
    invitation_token: str
    public_process: int
    shared_process: int
    umbrella: int
    attachment: int


def _user(username: str, role: str, municipality: Municipality | None = None) -> User:
    if role == "admin":
        return User.objects.create_superuser(username, f"{username}@kl.example", PASSWORD)
    return User.objects.create_user(
        username,
        f"{username}@example.dk",
        PASSWORD,
        role=role,
        municipality=municipality,
        first_name=username.capitalize(),
    )


def build() -> World:
    vejle = Municipality.objects.get(code="630")
    aarhus = Municipality.objects.get(code="751")
    odense = Municipality.objects.get(code="461")
    health = Domain.objects.get(slug="sundhed-og-aeldre")
    users = {
        "own": _user("ejer", User.Role.EDITOR, vejle),
        "other": _user("fremmed", User.Role.EDITOR, aarhus),
        "analyst": _user("analytiker", User.Role.ANALYST),
        "admin": _user("rod", "admin"),
    }
    bystander = User.objects.create_user(
        "tilskuer",
        marker("editor_email"),
        PASSWORD,
        role=User.Role.EDITOR,
        municipality=vejle,
        first_name="Tilskuer",
        last_name=marker("editor_name"),
    )
    invited = invite_editor(
        users["analyst"], "Ny Redaktoer", "ny@vejle.example", vejle, "http://testserver/"
    )

    # A published survey (2023) for the radar, technology and municipality pages.
    published = _published_round(2023, health)

    # An open round (2025) with standing contacts, invitations and a draft answer.
    open_round = Round.objects.create(
        year=2025, opens_on=dt.date(2025, 2, 1), closes_on=dt.date(2025, 3, 31)
    )
    Contact.objects.create(
        municipality=vejle,
        domain=health,
        name=marker("survey_contact"),
        email=marker("survey_email"),
    )
    Contact.objects.create(
        municipality=aarhus, domain=health, name="Aksel Aarhus", email="aksel@aarhus.example"
    )
    survey_services.move_round(open_round, Round.Status.OPEN, None)
    invitation = Invitation.objects.get(round=open_round, municipality=vejle, domain=health)
    token = tokens.new_token()
    invitation.token_hash = tokens.hash_token(token)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["token_hash", "sent_at"])
    response = Response.objects.create(round=open_round, municipality=vejle, domain=health)
    Answer.objects.create(
        response=response,
        technology=Technology.objects.get(slug="skaermbesoeg"),
        stage="piloting",
        comment=marker("open_answer"),
    )

    submitted = Response.objects.create(
        round=open_round, municipality=aarhus, domain=health, submitted_at=timezone.now()
    )

    published_case = make_case(vejle, title="Offentlig case om skaermbesoeg", effects=1)
    ContactPerson.objects.create(
        case=published_case, name="Synlig Kontakt", consent_to_publish=True
    )
    ContactPerson.objects.create(
        case=published_case, name=marker("case_contact"), consent_to_publish=False
    )
    draft_case = make_case(vejle, title=marker("draft_case"), state=Case.State.DRAFT)
    submitted_case = make_case(vejle, title=marker("submitted_case"), state=Case.State.SUBMITTED)
    published_project = make_project(vejle, title="Offentligt projekt i Vejle")
    draft_project = make_project(vejle, title=marker("draft_project"), published=False)

    programme, enrolment, milestone, track = _programme(vejle, aarhus)
    second = Programme.objects.create(
        name="Det andet partnerskab",
        slug="partnerskab-2",
        summary="Endnu et program.",
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        enrolment_deadline=programme.enrolment_deadline,
    )
    second_track = Track.objects.create(programme=second, theme="Drift", name="Robotter")
    joint = JointProject.objects.create(
        title="Faelles maskinlaering",
        slug="faelles-ai",
        technology=Technology.objects.get(slug="machine-learning"),
        description="Data fra flere kommuner.",
        lead_municipality=vejle,
        starts_on=dt.date(2024, 1, 1),
        status=JointProject.Status.RUNNING,
    )
    joint.participants.set([vejle, odense])

    # An editorial radar imported from a BYOR file (public once imported).
    editorial = import_radar(
        b"name,ring,quadrant,isNew,description\nKunstig intelligens,Adopt,Teknikker,TRUE,Godt\n",
        "radar.csv",
        EditorialRadar.Source.BYOR,
        "Importeret radar",
        users["analyst"],
        date=dt.date(2024, 5, 1),
    ).radar
    assert editorial is not None, "the matrix's BYOR file must import"

    # An analyst's import job about the open round, refused for a value from the file (a
    # job's problems quote the file, so only who may start such a job sees them).
    job = Job.objects.create(
        kind=Job.Kind.IMPORT_ANSWERS,
        round=open_round,
        started_by=users["analyst"],
        status=Job.Status.FAILED,
        stage="done",
        share_done=1.0,
        rows_done=1,
        problems=[
            {
                "sheet": "",
                "line": 2,
                "column": "stadie",
                "code": "unknown_stage",
                "value": marker("open_answer"),
                "message": f"Ukendt stadie “{marker('open_answer')}”.",
            }
        ],
    )

    failed_job = Job.objects.create(
        kind=Job.Kind.COMPUTE_DRAFTS,
        round=open_round,
        started_by=users["analyst"],
        status=Job.Status.FAILED,
        stage="done",
        error="The job stopped because of an unexpected error; nothing was changed.",
    )
    queued_job = Job.objects.create(
        kind=Job.Kind.IMPORT_ANSWERS,
        round=open_round,
        started_by=users["analyst"],
        file_name="svar.csv",
        upload=b"kommunekode;fagomraade\n",
    )

    api_tokens = {key: create_token(user, "Matrix").secret for key, user in users.items()}
    public_process, shared_process, umbrella, attachment = _pipeline(vejle)

    own = users["own"]
    return World(
        vejle=vejle,
        aarhus=aarhus,
        users=users,
        published_case=published_case.pk,
        draft_case=draft_case.pk,
        submitted_case=submitted_case.pk,
        published_project=published_project.pk,
        draft_project=draft_project.pk,
        programme=programme.slug,
        second_programme=second.slug,
        second_track=second_track.pk,
        enrolment=enrolment.pk,
        milestone=milestone.pk,
        track=track.pk,
        joint_project=joint.slug,
        published_year=published.year,
        open_year=open_round.year,
        invitation=invitation.pk,
        response=response.pk,
        submitted_response=submitted.pk,
        bystander=bystander.pk,
        editorial=editorial.pk,
        editorial_date="2024-05-01",
        job=str(job.pk),
        failed_job=str(failed_job.pk),
        queued_job=str(queued_job.pk),
        api_tokens=api_tokens,
        respondent_token=token,
        reset_uid=urlsafe_base64_encode(force_bytes(own.pk)),
        reset_token=default_token_generator.make_token(own),
        invitation_token=invited.link.rstrip("/").rsplit("/", 1)[-1],
        public_process=public_process.pk,
        shared_process=shared_process.pk,
        umbrella=umbrella.pk,
        attachment=attachment.pk,
    )


def _pipeline(vejle: Municipality) -> tuple[Process, Process, Umbrella, Attachment]:
    """Vejle's automation pipeline: a public process with internal notes, a contact
    person and a file not shared (all Vejle's own), one process shared only within Vejle,
    and an umbrella."""
    umbrella = Umbrella.objects.create(title="Faelles attestrobot", municipality=vejle)
    public = make_process(
        vejle,
        title="Offentlig attestrobot i Vejle",
        internal_notes=marker("process_notes"),
        umbrella=umbrella,
    )
    ProcessContact.objects.create(process=public, name=marker("process_contact"))
    shared = make_process(
        vejle, title=marker("shared_process"), visibility=Process.Visibility.MUNICIPALITY
    )
    attachment = Attachment.objects.create(
        process=public,
        title="Intern specifikation",
        file=SimpleUploadedFile("specifikation.txt", marker("attachment_text").encode()),
        shared=False,
    )
    return public, shared, umbrella, attachment


def _published_round(year: int, health: Domain) -> Round:
    round_ = Round.objects.create(
        year=year,
        opens_on=dt.date(year, 2, 1),
        closes_on=dt.date(year, 3, 31),
        status=Round.Status.CLOSED,
    )
    municipalities = list(Municipality.objects.order_by("code")[: len(SCREEN_VISITS)])
    for slug, stages in (("skaermbesoeg", SCREEN_VISITS), ("rpa", ROBOTS)):
        technology = Technology.objects.get(slug=slug)
        technology.domains.add(health)
        MaturityRating.objects.update_or_create(
            technology=technology, year=year, defaults={"rating": 8}
        )
        for municipality, stage in zip(municipalities, stages, strict=True):
            response, _created = Response.objects.get_or_create(
                round=round_, municipality=municipality, domain=health
            )
            Answer.objects.create(
                response=response,
                technology=technology,
                stage=stage,
                value_efficiency="some" if stage in ("in_operation", "scaled") else "",
            )
    publish_round(round_, None)
    return round_


def _programme(
    vejle: Municipality, aarhus: Municipality
) -> tuple[Programme, Enrolment, Milestone, Track]:
    today = timezone.localdate()
    programme = Programme.objects.create(
        name="Teknologipartnerskabet",
        slug="partnerskab",
        summary="Fire modne loesninger.",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=300),
        enrolment_deadline=today + dt.timedelta(days=30),
        fee_dkk=50_000,
        contact_name="Karla KL",
        contact_email="karla@kl.example",
    )
    track = Track.objects.create(
        programme=programme,
        theme="Sundhed",
        name="Skaermbesoeg",
        technology=Technology.objects.get(slug="skaermbesoeg"),
        order=1,
    )
    enrolment = Enrolment.objects.create(
        programme=programme,
        municipality=vejle,
        commitment="Skaermbesoeg i hjemmeplejen inden 2025.",
        contact_name=marker("enrolment_contact"),
        contact_email=marker("enrolment_email"),
        enrolled_on=today - dt.timedelta(days=10),
    )
    enrolment.tracks.set([track])
    milestone = Milestone.objects.create(
        enrolment=enrolment, track=track, kind="decision", reached_on=today - dt.timedelta(days=5)
    )
    other = Enrolment.objects.create(
        programme=programme,
        municipality=aarhus,
        commitment="Aarhus afproever.",
        contact_name="Aase Aarhus",
        contact_email="aase@aarhus.example",
        enrolled_on=today - dt.timedelta(days=9),
    )
    other.tracks.set([track])
    return programme, enrolment, milestone, track
