"""The peer network: municipalities with their profiles, peers and recommendations,
partnership programmes and joint projects for everyone; enrolments for the editors who
enrol their municipality, through the same forms, services and access rules as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema, Status
from ninja.params.functions import Path

from kommuneradar.accounts.access import (
    ADD,
    CHANGE,
    DELETE,
    VIEW,
    get_or_refuse,
    refuse_unless,
    restrict,
)
from kommuneradar.accounts.apitokens import token_auth
from kommuneradar.accounts.models import User
from kommuneradar.core.api import MAX_ID, PageMeta, Paging, form_data, page_of, refuse_invalid
from kommuneradar.places.models import Municipality

from . import exports, services
from .forms import EnrolmentForm, EnrolmentStatusForm, MilestoneForm
from .models import Enrolment, JointProject, Milestone, Programme

router = Router(tags=["network"])

CODE = Path(
    ...,
    pattern=r"^([0-9]{3}|[a-z]{2}:[0-9A-Za-z-]{1,10})$",
    description=gettext_noop(
        "The municipality's 3-digit code; another country's local government as its "
        "country and code, such as xs:S00001."
    ),
    example="630",
)
SLUG = Path(
    ...,
    pattern=r"^[a-z0-9-]{1,100}$",
    description=gettext_noop("The programme's slug."),
    example="kommunernes-teknologipartnerskab",
)


class MunicipalityOut(Schema):
    country: str = Field(
        description=gettext_noop("The country (ISO 3166-1 alpha-2): DK for Denmark.")
    )
    code: str = Field(
        description=gettext_noop("The official 3-digit municipality code (101 København …).")
    )
    name: str = Field(description=gettext_noop("Name."))
    region: str = Field(description=gettext_noop("The region's name."))
    population: int = Field(description=gettext_noop("Inhabitants."))
    population_source: str = Field(
        description=gettext_noop("Where the population figure comes from.")
    )
    survey_year: int | None = Field(
        description=gettext_noop("The latest survey year with a published radar; null when none.")
    )
    technologies_in_use: int | None = Field(
        description=gettext_noop("Technologies in operation or scaled in that year (any domain).")
    )


class MunicipalityPage(PageMeta):
    results: list[MunicipalityOut] = Field(description=gettext_noop("This page of municipalities."))


class MunicipalityFilters(Paging):
    region: str = Field(
        "",
        max_length=100,
        pattern=r"^[0-9a-z-]{0,100}$",
        description=gettext_noop("A region code."),
    )


@router.get("/municipalities", response=MunicipalityPage, operation_id="list_municipalities")
def list_municipalities(
    request: HttpRequest, filters: Query[MunicipalityFilters]
) -> dict[str, Any]:
    """The municipalities by name, with how many technologies each uses."""
    found = Municipality.objects.select_related("region").order_by("name", "code")
    if filters.region:
        found = found.filter(region__code=filters.region)
    chosen = list(found[filters.offset : filters.offset + filters.limit])
    year, rows = services.municipality_rows(chosen)
    return {
        "count": found.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "results": [
            {
                "country": municipality.country,
                "code": municipality.code,
                "name": municipality.name,
                "region": municipality.region_name,
                "population": municipality.population,
                "population_source": municipality.population_source,
                "survey_year": year,
                "technologies_in_use": in_use,
            }
            for municipality, in_use in rows
        ],
    }


class StageOut(Schema):
    municipality_code: str = Field(description=gettext_noop("The municipality's code."))
    domain: str = Field(description=gettext_noop("The domain's slug."))
    technology: str = Field(description=gettext_noop("The technology's slug."))
    year: int = Field(description=gettext_noop("The survey year."))
    stage: str = Field(
        description=gettext_noop(
            "Its answer: not_relevant, not_considering, considering, "
            "piloting, in_operation, scaled or discontinued."
        )
    )
    stage_label: str = Field(
        description=gettext_noop("The stage in words (in the request's language).")
    )


class ComparisonOut(Schema):
    municipality_code: str = Field(description=gettext_noop("The municipality's code."))
    survey_year: int | None = Field(description=gettext_noop("The survey year."))
    domain: str = Field(description=gettext_noop("The domain (its name)."))
    technologies_in_use: int | None = Field(
        description=gettext_noop("Technologies it uses in the domain.")
    )
    size_group_mean: float | None = Field(
        description=gettext_noop("The mean of the municipalities nearest in population.")
    )
    size_group_answered: int = Field(description=gettext_noop("How many of those answered."))


class RecommendationOut(Schema):
    municipality_code: str = Field(description=gettext_noop("The municipality's code."))
    survey_year: int | None = Field(description=gettext_noop("The survey year."))
    rank: int = Field(description=gettext_noop("1 for the strongest recommendation."))
    technology: str = Field(description=gettext_noop("The technology's slug."))
    ring: str = Field(description=gettext_noop("Its ring on the latest radar."))
    domains: list[str] = Field(description=gettext_noop("Domains where it applies (slugs)."))
    similar_municipalities_using: int = Field(
        description=gettext_noop("Similar municipalities (size, region) that use it.")
    )
    similar_municipalities: int = Field(
        description=gettext_noop("Similar municipalities considered.")
    )
    expected_fte_per_year: float | None = Field(
        description=gettext_noop(
            "FTE per year similar projects realised, scaled to this municipality."
        )
    )
    gain_projects: int = Field(
        description=gettext_noop("Projects with a measured gain behind that figure.")
    )
    score: float = Field(description=gettext_noop("The ranking score (higher is stronger)."))
    basis: str = Field(description=gettext_noop("What the recommendation rests on."))
    mentors: list[str] = Field(
        description=gettext_noop("Codes of municipalities using it with documented realised value.")
    )


class PeerOut(Schema):
    municipality_code: str = Field(description=gettext_noop("The municipality's code."))
    survey_year: int | None = Field(description=gettext_noop("The survey year."))
    technology: str = Field(description=gettext_noop("The technology it is working on (slug)."))
    own_stage: str = Field(description=gettext_noop("Its own stage with the technology."))
    relation: str = Field(
        description=gettext_noop(
            "`peer` (at the same stage) or `mentor` (uses it, with realised value)."
        )
    )
    other_code: str = Field(description=gettext_noop("The peer's or mentor's code."))
    other_name: str = Field(description=gettext_noop("The peer's or mentor's name."))
    other_stage: str = Field(description=gettext_noop("The peer's or mentor's stage."))
    similarity: float = Field(
        description=gettext_noop("Similarity 0..1 (population on a log scale, region).")
    )
    reasons: list[str] = Field(description=gettext_noop("Why they are similar."))


class MunicipalityInfo(Schema):
    code: str = Field(description=gettext_noop("The 3-digit code."))
    name: str = Field(description=gettext_noop("Name."))
    region: str = Field(description=gettext_noop("Region."))
    population: int = Field(description=gettext_noop("Inhabitants."))
    population_source: str = Field(description=gettext_noop("Source of the population figure."))


class ProfileOut(Schema):
    municipality: MunicipalityInfo = Field(description=gettext_noop("Who the profile is about."))
    survey_year: int | None = Field(
        description=gettext_noop("The latest survey year with a published radar.")
    )
    size_group: list[str] = Field(
        description=gettext_noop("Codes of the municipalities nearest in size.")
    )
    stages: list[StageOut] = Field(
        description=gettext_noop("Its answers over the published rounds.")
    )
    comparison: list[ComparisonOut] = Field(
        description=gettext_noop("Per domain, against its size group.")
    )
    recommendations: list[RecommendationOut] = Field(
        description=gettext_noop("Technologies it does not use yet, strongest first.")
    )
    network: list[PeerOut] = Field(
        description=gettext_noop("Peers and mentors for what it is working on.")
    )
    programmes: list[str] = Field(
        description=gettext_noop("Slugs of programmes it is enrolled in.")
    )
    joint_projects: list[str] = Field(
        description=gettext_noop("Slugs of joint projects it takes part in.")
    )


@router.get("/municipalities/{code}", response=ProfileOut, operation_id="get_municipality")
def municipality_profile(request: HttpRequest, code: str = CODE) -> dict[str, Any]:
    """A municipality's profile: stages over the rounds, comparison with municipalities of
    similar size, recommendations with mentors, and peers and mentors."""
    municipality = get_object_or_404(
        Municipality.objects.by_url_code(code.replace(":", "/", 1)).select_related("region")
    )
    return exports.profile_document(services.municipality_profile(municipality))


class TrackOut(Schema):
    theme: str = Field(description=gettext_noop("The track's theme."))
    name: str = Field(description=gettext_noop("The solution (track) name."))
    technology: str | None = Field(description=gettext_noop("Its technology's slug."))
    participants: list[str] = Field(
        description=gettext_noop("Codes of the municipalities on the track.")
    )
    reached: dict[str, int] = Field(
        description=gettext_noop(
            "How many participants reached each milestone: decision, pilot, "
            "in_operation, scaled, gains_measured."
        )
    )


class EnrolmentRowOut(Schema):
    programme: str = Field(description=gettext_noop("The programme's slug."))
    municipality_code: str = Field(description=gettext_noop("The municipality's code."))
    municipality: str = Field(description=gettext_noop("The municipality's name."))
    status: str = Field(
        description=gettext_noop("`enrolled`, `active`, `completed` or `withdrawn`.")
    )
    enrolled_on: str | None = Field(description=gettext_noop("When it enrolled (ISO date)."))
    theme: str = Field(description=gettext_noop("The track's theme."))
    track: str = Field(description=gettext_noop("The track (solution) committed to."))
    commitment: str = Field(
        description=gettext_noop("What the municipality commits to, and by when.")
    )
    decision: str | None = Field(
        description=gettext_noop("Date the decision milestone was reached.")
    )
    pilot: str | None = Field(description=gettext_noop("Date the pilot started."))
    in_operation: str | None = Field(description=gettext_noop("Date it went into operation."))
    scaled: str | None = Field(description=gettext_noop("Date it was scaled."))
    gains_measured: str | None = Field(description=gettext_noop("Date the gains were measured."))


class ProgrammeOut(Schema):
    name: str = Field(description=gettext_noop("Name."))
    slug: str = Field(description=gettext_noop("Identifier in URLs."))
    summary: str = Field(description=gettext_noop("What the programme is."))
    starts_on: str | None = Field(description=gettext_noop("Start (ISO date)."))
    ends_on: str | None = Field(description=gettext_noop("End (ISO date)."))
    enrolment_deadline: str | None = Field(
        description=gettext_noop("Last day to enrol (ISO date).")
    )
    fee_dkk: int = Field(description=gettext_noop("The fee per municipality, DKK."))
    source: str = Field(description=gettext_noop("Where the facts come from."))
    tracks: list[TrackOut] = Field(
        description=gettext_noop("The solutions municipalities commit to.")
    )
    enrolments: list[EnrolmentRowOut] = Field(
        description=gettext_noop(
            "One row per enrolled municipality and track, with milestone dates."
        )
    )


class ProgrammePage(PageMeta):
    results: list[ProgrammeOut] = Field(description=gettext_noop("This page of programmes."))


@router.get("/programmes", response=ProgrammePage, operation_id="list_programmes")
def programmes(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    """Partnership programmes, newest first, with tracks, enrolments and milestones."""
    found = restrict(Programme.objects, None, VIEW).order_by("-starts_on", "id")
    return page_of(
        found,
        paging,
        lambda programme: exports.programme_document(services.programme_overview(programme)),
    )


@router.get("/programmes/{slug}", response=ProgrammeOut, operation_id="get_programme")
def programme(request: HttpRequest, slug: str = SLUG) -> dict[str, Any]:
    """One partnership programme."""
    found = get_or_refuse(Programme.objects, None, VIEW, slug=slug)
    return exports.programme_document(services.programme_overview(found))


class JointProjectOut(Schema):
    title: str = Field(description=gettext_noop("Title."))
    technology: str = Field(description=gettext_noop("The technology's slug."))
    status: str = Field(description=gettext_noop("The project's status."))
    lead_municipality: str = Field(description=gettext_noop("The lead municipality's code."))
    participants: list[str] = Field(
        description=gettext_noop("Codes of the participating municipalities.")
    )
    starts_on: str | None = Field(description=gettext_noop("Start (ISO date)."))
    ends_on: str | None = Field(description=gettext_noop("End (ISO date)."))
    description: str = Field(description=gettext_noop("What they test together."))
    results: str = Field(description=gettext_noop("Shared results so far."))
    documents: list[str] = Field(description=gettext_noop("Shared documents: title <link>."))
    source: str = Field(description=gettext_noop("Where the facts come from."))


class JointProjectPage(PageMeta):
    results: list[JointProjectOut] = Field(description=gettext_noop("This page of joint projects."))


@router.get("/joint-projects", response=JointProjectPage, operation_id="list_joint_projects")
def joint_projects(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    """Joint projects where several municipalities test one technology together."""
    projects = (
        restrict(JointProject.objects, None, VIEW)
        .select_related("technology", "lead_municipality")
        .prefetch_related("participants", "documents")
        .order_by("-starts_on", "id")
    )
    count = projects.count()
    chosen = projects[paging.offset : paging.offset + paging.limit]
    return {
        "count": count,
        "limit": paging.limit,
        "offset": paging.offset,
        "results": exports.joint_records(chosen),
    }


# Writes ------------------------------------------------------------------------------


class EnrolmentIn(Schema):
    tracks: list[str] = Field(
        min_length=1,
        max_length=20,
        description=gettext_noop("Names of the tracks (solutions) committed to."),
    )
    commitment: str = Field(
        min_length=1,
        max_length=10_000,
        description=gettext_noop("What the municipality commits to."),
    )
    contact_name: str = Field(
        min_length=1, max_length=200, description=gettext_noop("Contact person.")
    )
    contact_email: str = Field(
        min_length=3, max_length=254, description=gettext_noop("Contact e-mail.")
    )
    municipality: str | None = Field(
        None,
        pattern=r"^[0-9]{3}$",
        description=gettext_noop(
            "Only analysts choose the municipality (its code); an editor enrols their own."
        ),
    )


class EnrolmentOut(Schema):
    id: int = Field(description=gettext_noop("The enrolment's number."))
    programme: str = Field(description=gettext_noop("The programme's slug."))
    municipality_code: str = Field(description=gettext_noop("The municipality's code."))
    tracks: list[str] = Field(description=gettext_noop("Names of the tracks committed to."))
    commitment: str = Field(description=gettext_noop("What the municipality commits to."))
    contact_name: str = Field(description=gettext_noop("Contact person."))
    contact_email: str = Field(description=gettext_noop("Contact e-mail."))
    status: str = Field(
        description=gettext_noop("`enrolled`, `active`, `completed` or `withdrawn`.")
    )
    enrolled_on: str = Field(description=gettext_noop("When it enrolled (ISO date)."))


def _enrolment_record(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "id": enrolment.pk,
        "programme": enrolment.programme.slug,
        "municipality_code": enrolment.municipality.code,
        "tracks": [track.name for track in enrolment.tracks.order_by("order", "id")],
        "commitment": enrolment.commitment,
        "contact_name": enrolment.contact_name,
        "contact_email": enrolment.contact_email,
        "status": enrolment.status,
        "enrolled_on": enrolment.enrolled_on.isoformat(),
    }


@router.post(
    "/programmes/{slug}/enrolments",
    response={201: EnrolmentOut},
    auth=token_auth,
    operation_id="create_enrolment",
    summary="Enrol a municipality in a programme",
)
def create_enrolment(request: HttpRequest, payload: EnrolmentIn, slug: str = SLUG) -> Any:
    """Enrol the token user's municipality (analysts name one) before the deadline: the
    same rules as the programme's enrolment page."""
    user: User = request.auth  # type: ignore[attr-defined]
    found: Programme = get_or_refuse(Programme.objects, user, VIEW, slug=slug)
    fixed = None if user.is_analyst else user.municipality
    if fixed is not None and payload.municipality not in (None, fixed.code):
        raise PermissionDenied
    refuse_unless(user, ADD, Enrolment(programme=found, municipality=fixed))
    tracks = dict(found.tracks.values_list("name", "pk"))
    values: dict[str, Any] = {
        "tracks": [tracks.get(name, name) for name in payload.tracks],
        "commitment": payload.commitment,
        "contact_name": payload.contact_name,
        "contact_email": payload.contact_email,
    }
    if fixed is None:
        values["municipality"] = (
            Municipality.objects.by_url_code(payload.municipality or "")
            .values_list("pk", flat=True)
            .first()
        )
    with translation.override("en"):
        form = EnrolmentForm(
            form_data(values),
            programme=found,
            today=timezone.localdate(),
            fixed_municipality=fixed,
        )
        refuse_invalid(("", form))
    refuse_unless(user, ADD, form.instance)
    enrolment = services.enrol(user, form)
    return Status(201, _enrolment_record(enrolment))


ENROLMENT_ID = Path(..., ge=1, le=MAX_ID, description=gettext_noop("The enrolment's number."))


class EnrolmentStatusIn(Schema):
    status: Enrolment.Status = Field(
        description=gettext_noop(
            "`enrolled`, `active`, `completed` or `withdrawn` (analysts only, as on the page)."
        )
    )


@router.patch(
    "/enrolments/{enrolment_id}",
    response={200: EnrolmentOut},
    auth=token_auth,
    operation_id="update_enrolment_status",
    summary="Change an enrolment's status (analysts), e.g. withdraw it",
)
def update_enrolment_status(
    request: HttpRequest, payload: EnrolmentStatusIn, enrolment_id: int = ENROLMENT_ID
) -> Any:
    """Analysts set an enrolment's status; an editor may see their own enrolment but not
    change its status (403), another municipality's is 404."""
    user: User = request.auth  # type: ignore[attr-defined]
    enrolment: Enrolment = get_or_refuse(
        Enrolment.objects.select_related("programme", "municipality"), user, VIEW, pk=enrolment_id
    )
    refuse_unless(user, CHANGE, enrolment.programme)
    with translation.override("en"):
        form = EnrolmentStatusForm(form_data({"status": payload.status}), instance=enrolment)
        refuse_invalid(("", form))
    return Status(200, _enrolment_record(services.change_enrolment_status(user, form)))


class MilestoneIn(Schema):
    track: str = Field(
        max_length=200, description=gettext_noop("The track's name (one enrolled in).")
    )
    kind: Milestone.Kind = Field(
        description=gettext_noop("decision, pilot, in_operation, scaled or gains_measured.")
    )
    reached_on: dt.date = Field(description=gettext_noop("When it was reached."))
    note: str = Field("", max_length=10_000, description=gettext_noop("A note on the milestone."))


class MilestoneOut(Schema):
    id: int = Field(description=gettext_noop("The milestone's number."))
    enrolment: int = Field(description=gettext_noop("The enrolment's number."))
    track: str = Field(description=gettext_noop("The track's name."))
    kind: str = Field(description=gettext_noop("The milestone."))
    reached_on: str = Field(description=gettext_noop("When it was reached (ISO date)."))
    note: str = Field(description=gettext_noop("Note."))


@router.post(
    "/enrolments/{enrolment_id}/milestones",
    response={201: MilestoneOut},
    auth=token_auth,
    operation_id="create_milestone",
    summary="Record a milestone of an enrolment",
)
def create_milestone(
    request: HttpRequest, payload: MilestoneIn, enrolment_id: int = ENROLMENT_ID
) -> Any:
    """Record a milestone the municipality reached on one of its tracks."""
    user: User = request.auth  # type: ignore[attr-defined]
    enrolment: Enrolment = get_or_refuse(Enrolment.objects.all(), user, CHANGE, pk=enrolment_id)
    tracks = dict(enrolment.tracks.values_list("name", "pk"))
    values = {**payload.model_dump(), "track": tracks.get(payload.track, payload.track)}
    with translation.override("en"):
        form = MilestoneForm(form_data(values), enrolment=enrolment)
        refuse_invalid(("", form))
    milestone = services.record_milestone(user, form)
    return Status(
        201,
        {
            "id": milestone.pk,
            "enrolment": enrolment.pk,
            "track": milestone.track.name,
            "kind": milestone.kind,
            "reached_on": milestone.reached_on.isoformat(),
            "note": milestone.note,
        },
    )


@router.delete(
    "/enrolments/{enrolment_id}/milestones/{milestone_id}",
    response={204: None},
    auth=token_auth,
    operation_id="delete_milestone",
    summary="Remove a milestone recorded by mistake",
)
def delete_milestone(
    request: HttpRequest,
    enrolment_id: int = ENROLMENT_ID,
    milestone_id: int = Path(
        ..., ge=1, le=MAX_ID, description=gettext_noop("The milestone's number.")
    ),
) -> Any:
    """Remove a milestone recorded by mistake (as on the enrolment page)."""
    user: User = request.auth  # type: ignore[attr-defined]
    enrolment: Enrolment = get_or_refuse(Enrolment.objects.all(), user, CHANGE, pk=enrolment_id)
    found = get_or_refuse(
        Milestone.objects.filter(enrolment=enrolment), user, DELETE, pk=milestone_id
    )
    services.delete_milestone(user, found)
    return Status(204, None)
