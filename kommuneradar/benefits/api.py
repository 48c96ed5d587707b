"""Benefits realisation: published implementation projects and the labour-gap figures for
everyone, and writes of projects (with their business case) and follow-ups for the editors
who own them, through the same forms, services and access rules as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.params.functions import Path

from kommuneradar.accounts.access import ADD, CHANGE, VIEW, get_or_refuse, refuse_unless, restrict
from kommuneradar.accounts.apitokens import token_auth
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core.api import (
    MAX_ID,
    PageMeta,
    Paging,
    Slug,
    form_data,
    formset_data,
    page_of,
    refuse_field,
    refuse_invalid,
)
from kommuneradar.places.models import Municipality

from . import exports, finance, services
from .forms import BusinessCaseForm, FollowUpForm, IndicatorFormSet, ProjectForm
from .models import BusinessCase, FollowUp, Project, ProjectQuerySet

PROJECTFORM_FIELDS: list[str] = list(ProjectForm.Meta.fields)

router = Router(tags=["benefits"])


class ProjectOut(Schema):
    id: int = Field(
        description=gettext_noop("The project's number; its page is /gevinster/projekter/<id>/.")
    )
    title: str = Field(description=gettext_noop("Title."))
    municipality_code: str = Field(
        description=gettext_noop("The owning municipality's 3-digit code.")
    )
    municipality: str = Field(description=gettext_noop("The owning municipality's name."))
    region: str = Field(description=gettext_noop("The municipality's region."))
    technology: str = Field(description=gettext_noop("The technology's slug."))
    domain: str = Field(description=gettext_noop("The domain's slug."))
    status: str = Field(
        description=gettext_noop("`planned`, `implementing`, `in_operation` or `stopped`.")
    )
    start_date: str = Field(description=gettext_noop("Start date (ISO)."))
    benefit_owner: str = Field(
        description=gettext_noop("The person or role responsible for the gains.")
    )
    citizens_affected: int = Field(description=gettext_noop("Citizens affected."))
    staff_affected: int = Field(description=gettext_noop("Staff affected."))
    published: bool = Field(description=gettext_noop("Public and counted on the public dashboard."))
    one_off_cost_dkk: float | None = Field(
        description=gettext_noop("Business case: one-off costs, DKK.")
    )
    running_cost_dkk_per_year: float | None = Field(
        description=gettext_noop("Business case: running costs per year, DKK.")
    )
    gain_dkk_per_year: float | None = Field(
        description=gettext_noop("Business case: gain per year, DKK.")
    )
    hours_freed_per_year_expected: float | None = Field(
        description=gettext_noop("Business case: hours freed per year (likely).")
    )
    discount_rate: float | None = Field(
        description=gettext_noop("Real discount rate as a share (0.035 is 3.5%).")
    )
    horizon_years: int | None = Field(
        description=gettext_noop("The business case's horizon in years.")
    )
    npv_dkk: float | None = Field(
        description=gettext_noop(
            "Net present value over the horizon at the discount rate, DKK (likely)."
        )
    )
    payback_years: float | None = Field(
        description=gettext_noop(
            "Years until the gains have paid the costs (likely); null if never."
        )
    )
    expected_fte: float | None = Field(
        description=gettext_noop(
            "Expected full-time equivalents (FTE) freed per year, at 1,924 hours each."
        )
    )
    realised_fte: float | None = Field(
        description=gettext_noop(
            "Realised full-time equivalents (FTE) freed per year, at 1,924 "
            "hours each, from the latest follow-up."
        )
    )
    last_follow_up: str | None = Field(
        description=gettext_noop("Date of the latest follow-up (ISO).")
    )
    follow_ups: int = Field(description=gettext_noop("How many follow-ups are recorded."))
    follow_up_overdue: bool = Field(description=gettext_noop("True when a follow-up is overdue."))


class ProjectPage(PageMeta):
    results: list[ProjectOut] = Field(description=gettext_noop("This page of projects."))


class ProjectFilters(Paging):
    municipality: str = Field(
        "",
        max_length=100,
        description=gettext_noop("A municipality by name (Vejle, Vejle Kommune) or code (630)."),
    )
    technology: str = Field(
        "",
        max_length=100,
        pattern=r"^[a-z0-9-]{0,100}$",
        description=gettext_noop("A technology slug."),
    )
    domain: str = Field(
        "",
        max_length=100,
        pattern=r"^[a-z0-9-]{0,100}$",
        description=gettext_noop("A domain slug."),
    )
    status: Project.Status | None = Field(
        None, description=gettext_noop("Only projects with this status.")
    )


class FigureOut(Schema):
    group: str = Field(
        description=gettext_noop(
            "What the row sums over: `all`, `technology`, `domain`, `region`, "
            "or `potential_ready_technology` (the additional potential of one "
            "READY technology)."
        )
    )
    label: str = Field(
        description=gettext_noop("The technology, domain or region (`all` for the total).")
    )
    projects: int = Field(description=gettext_noop("Published projects in the group."))
    expected_projects: int | None = Field(
        description=gettext_noop("Of those, with a business case.")
    )
    expected_fte: float | None = Field(
        description=gettext_noop(
            "Expected full-time equivalents (FTE) freed per year, at 1,924 hours each (likely)."
        )
    )
    expected_fte_pessimistic: float | None = Field(
        description=gettext_noop("Expected FTE, pessimistic.")
    )
    expected_fte_optimistic: float | None = Field(
        description=gettext_noop("Expected FTE, optimistic.")
    )
    measured_projects: int = Field(
        description=gettext_noop("Projects with at least one follow-up.")
    )
    realised_fte: float | None = Field(
        description=gettext_noop(
            "Realised full-time equivalents (FTE) freed per year, at 1,924 hours each."
        )
    )
    expected_uncertain: bool | None = Field(
        description=gettext_noop("True when too few projects carry the expectation.")
    )
    realised_uncertain: bool = Field(
        description=gettext_noop(
            "True when too few projects carry the realised figure (fewer than 3)."
        )
    )
    median_fte_per_1000_inhabitants: float | None = Field(
        description=gettext_noop("Potential rows: the median realised FTE per 1,000 inhabitants.")
    )
    potential_fte: float | None = Field(
        description=gettext_noop("Potential rows: FTE the non-using municipalities could free.")
    )
    potential_fte_low: float | None = Field(
        description=gettext_noop("Potential, low end of the range.")
    )
    potential_fte_high: float | None = Field(
        description=gettext_noop("Potential, high end of the range.")
    )


class BenefitsSummary(Schema):
    gap_employees: int = Field(
        description=gettext_noop(
            "The municipalities' expected shortage of employees (the 44,000 gap)."
        )
    )
    gap_year: int = Field(description=gettext_noop("The year the shortage is expected by."))
    realised_fte: float = Field(
        description=gettext_noop(
            "Realised full-time equivalents (FTE) freed per year, at 1,924 "
            "hours each, all published projects."
        )
    )
    expected_fte: float = Field(
        description=gettext_noop(
            "Expected full-time equivalents (FTE) freed per year, at 1,924 "
            "hours each, all published projects."
        )
    )
    potential_fte: float = Field(
        description=gettext_noop(
            "Additional potential of the READY technologies with at least 3 "
            "measured projects (FTE per year)."
        )
    )
    potential_fte_low: float = Field(description=gettext_noop("The potential's low end."))
    potential_fte_high: float = Field(description=gettext_noop("The potential's high end."))
    potential_edition_year: int | None = Field(
        description=gettext_noop(
            "The survey year of the radar whose READY ring the potential uses."
        )
    )
    tracked_projects: int = Field(description=gettext_noop("Projects with a follow-up schedule."))
    overdue_projects: int = Field(description=gettext_noop("Of those, with an overdue follow-up."))
    figures: list[FigureOut] = Field(description=gettext_noop("Every figure of the dashboard."))


def _projects(user: object = None) -> ProjectQuerySet:
    found: ProjectQuerySet = restrict(Project.objects, user, VIEW)
    return found


@router.get("/projects", response=ProjectPage, operation_id="list_projects")
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]) -> dict[str, Any]:
    """Published implementation projects with their business case and expected and
    realised FTE freed per year, oldest first."""
    # The read API is open data: it answers every caller as it would the public.
    projects = _projects()
    if filters.municipality:
        found = Municipality.objects.named(filters.municipality.replace("\x00", ""))
        if found is None:
            raise HttpError(
                422, "Unknown municipality: give a name such as Vejle, or a code such as 630."
            )
        projects = projects.filter(municipality=found)
    if filters.technology:
        projects = projects.filter(technology__slug=filters.technology)
    if filters.domain:
        projects = projects.filter(domain__slug=filters.domain)
    if filters.status:
        projects = projects.filter(status=filters.status)
    ordered = services.with_figures(projects).order_by("id")
    return page_of(ordered, filters, exports.project_record)


@router.get("/benefits/summary", response=BenefitsSummary, operation_id="benefits_summary")
def benefits_summary(request: HttpRequest) -> dict[str, Any]:
    """The labour-gap dashboard: realised and expected FTE freed by technology, domain and
    region, the additional potential of the READY technologies, and the 44,000 gap."""
    board = services.dashboard()
    return {
        "gap_employees": board.gap_employees,
        "gap_year": board.gap_year,
        "realised_fte": round(board.overall.realised_fte, 4),
        "expected_fte": round(board.overall.expected_fte, 4),
        "potential_fte": round(board.potential.total_fte, 4),
        "potential_fte_low": round(board.potential.total_fte_low, 4),
        "potential_fte_high": round(board.potential.total_fte_high, 4),
        "potential_edition_year": board.edition.round.year if board.edition else None,
        "tracked_projects": board.tracked_projects,
        "overdue_projects": board.overdue_projects,
        "figures": exports.dashboard_records(board),
    }


# Writes ------------------------------------------------------------------------------

# DKK in whole kroner and hours with one decimal, never negative (as the model's fields).
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=0)]
Hours = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=1)]


class BusinessCaseIn(Schema):
    """Costs and gains; each estimate has a likely value and optionally a pessimistic and an
    optimistic one (left out: the same as likely)."""

    one_off_cost: Amount = Field(description=gettext_noop("One-off costs, DKK."))
    one_off_cost_pessimistic: Amount | None = Field(
        None, description=gettext_noop("The one-off costs, pessimistic.")
    )
    one_off_cost_optimistic: Amount | None = Field(
        None, description=gettext_noop("The one-off costs, optimistic.")
    )
    running_cost: Amount = Field(description=gettext_noop("Running costs per year, DKK."))
    running_cost_pessimistic: Amount | None = Field(
        None, description=gettext_noop("The running costs per year, pessimistic.")
    )
    running_cost_optimistic: Amount | None = Field(
        None, description=gettext_noop("The running costs per year, optimistic.")
    )
    gain_dkk: Amount = Field(description=gettext_noop("Gain per year, DKK."))
    gain_dkk_pessimistic: Amount | None = Field(
        None, description=gettext_noop("The gain per year, pessimistic.")
    )
    gain_dkk_optimistic: Amount | None = Field(
        None, description=gettext_noop("The gain per year, optimistic.")
    )
    hours_freed: Hours = Field(description=gettext_noop("Hours freed per year."))
    hours_freed_pessimistic: Hours | None = Field(
        None, description=gettext_noop("The hours freed per year, pessimistic.")
    )
    hours_freed_optimistic: Hours | None = Field(
        None, description=gettext_noop("The hours freed per year, optimistic.")
    )
    citizens_per_fte_before: Decimal | None = Field(
        None,
        ge=0,
        max_digits=10,
        decimal_places=1,
        description=gettext_noop("Citizens served per FTE before."),
    )
    citizens_per_fte_after: Decimal | None = Field(
        None,
        ge=0,
        max_digits=10,
        decimal_places=1,
        description=gettext_noop("Citizens served per FTE after."),
    )
    horizon_years: int = Field(
        finance.DEFAULT_HORIZON_YEARS, ge=1, le=30, description=gettext_noop("Horizon in years.")
    )
    discount_rate_percent: Decimal = Field(
        (Decimal(str(finance.DEFAULT_DISCOUNT_RATE)) * 100).normalize(),
        ge=0,
        le=(Decimal(str(finance.MAX_DISCOUNT_RATE)) * 100).normalize(),
        max_digits=5,
        decimal_places=2,
        description=gettext_noop("Real discount rate in percent (3.5 means 3.5%)."),
    )


class ProjectPatch(Schema):
    """The fields to change; those left out keep their value."""

    title: str | None = Field(
        None, min_length=1, max_length=200, description=gettext_noop("Title.")
    )
    technology: Slug | None = Field(
        None, max_length=100, description=gettext_noop("A technology slug.")
    )
    domain: Slug | None = Field(None, description=gettext_noop("A domain slug."))
    description: str | None = Field(
        None, max_length=100_000, description=gettext_noop("What the project does.")
    )
    citizens_affected: int | None = Field(
        None, ge=0, le=MAX_ID, description=gettext_noop("Citizens affected.")
    )
    staff_affected: int | None = Field(
        None, ge=0, le=MAX_ID, description=gettext_noop("Staff affected.")
    )
    start_date: dt.date | None = Field(None, description=gettext_noop("From the year 2000."))
    status: Project.Status | None = Field(
        None, description=gettext_noop("planned, implementing, in_operation or stopped.")
    )
    benefit_owner: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description=gettext_noop("The person or role responsible for the gains."),
    )
    follow_up_months: int | None = Field(
        None, ge=1, le=36, description=gettext_noop("Months between follow-ups (1-36).")
    )
    cases: list[int] | None = Field(
        None,
        max_length=50,
        description=gettext_noop("Numbers of related cases (published or your own)."),
    )
    published: bool | None = Field(None, description=gettext_noop("Public and on the dashboard."))
    business_case: BusinessCaseIn | None = Field(
        None, description=gettext_noop("When given, replaces the business case's figures.")
    )


class ProjectIn(ProjectPatch):
    """A new project of the token user's municipality."""

    title: str = Field(min_length=1, max_length=200, description=gettext_noop("Title."))
    technology: Slug = Field(description=gettext_noop("A technology slug."))
    domain: Slug = Field(description=gettext_noop("A domain slug."))
    start_date: dt.date = Field(description=gettext_noop("Start date, from the year 2000."))
    benefit_owner: str = Field(
        min_length=1,
        max_length=200,
        description=gettext_noop("The person or role responsible for the gains."),
    )
    business_case: BusinessCaseIn = Field(description=gettext_noop("The business case."))
    municipality: str | None = Field(
        None,
        pattern=r"^[0-9]{3}$",
        description=gettext_noop(
            "Only analysts choose the municipality (its code); an editor's "
            "project belongs to their own municipality."
        ),
    )


def _slug_key(model: Any, slug: str, key: str) -> int:
    pk = model.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if pk is None:
        refuse_field(key, f"Unknown: {slug}")
    return int(pk)


def _project_form_data(project: Project, changes: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(project, name)
        for name in PROJECTFORM_FIELDS
        if name not in ("municipality", "technology", "domain", "cases")
    }
    if project.pk:
        values["municipality"] = project.municipality_id
        values["technology"] = project.technology_id
        values["domain"] = project.domain_id
        values["cases"] = [case.pk for case in project.cases.all()]
    for key, value in changes.items():
        if key == "technology":
            value = _slug_key(Technology, value, key)
        elif key == "domain":
            value = _slug_key(Domain, value, key)
        values[key] = value
    return form_data(values)


def _business_case_data(case: BusinessCase, given: dict[str, Any] | None) -> dict[str, Any]:
    if given is not None:
        return form_data(given)
    names = [*finance.ESTIMATE_FIELDS, "citizens_per_fte_before", "citizens_per_fte_after"]
    values: dict[str, Any] = {name: getattr(case, name) for name in names}
    values["horizon_years"] = case.horizon_years
    values["discount_rate_percent"] = (Decimal(case.discount_rate) * 100).normalize()
    return form_data(values)


def _write_project(user: User, project: Project, payload: ProjectPatch, created: bool) -> Any:
    changes = payload.model_dump(exclude_unset=True, exclude={"business_case", "municipality"})
    given = None if payload.business_case is None else payload.business_case.model_dump()
    case = project.business_case_or_none() or BusinessCase(project=project)
    if project.pk is None and user.is_analyst:
        changes["municipality"] = project.municipality_id
    # English number formats: the JSON body's decimals use a dot (Danish reads it as
    # a thousands separator).
    with translation.override("en"):
        project_form = ProjectForm(
            _project_form_data(project, changes), instance=project, user=user
        )
        case_form = BusinessCaseForm(_business_case_data(case, given), instance=case)
        indicators = IndicatorFormSet(
            formset_data("indicators", []), instance=case, prefix="indicators"
        )
        refuse_invalid(("", project_form), ("business_case", case_form), ("indicators", indicators))
    saved = services.save_project(user, project_form, case_form, indicators, created=created)
    return exports.project_record(services.with_figures(Project.objects.all()).get(pk=saved.pk))


@router.post(
    "/projects",
    response={201: ProjectOut},
    auth=token_auth,
    operation_id="create_project",
    summary="Create an implementation project with its business case",
)
def create_project(request: HttpRequest, payload: ProjectIn) -> Status[Any]:
    """A new project of the token user's municipality (analysts name one), with its
    business case: the same rules as the /gevinster/projekter/ny/ page."""
    user: User = request.auth  # type: ignore[attr-defined]
    if user.is_analyst:
        place = Municipality.objects.by_url_code(payload.municipality or "").first()
        if place is None:
            refuse_field("municipality", "Analysts name the municipality's code.")
    else:
        place = user.municipality
        if payload.municipality not in (None, getattr(place, "code", None)):
            raise PermissionDenied
    project = Project(municipality=place)
    refuse_unless(user, ADD, project)
    return Status(201, _write_project(user, project, payload, created=True))


PROJECT_ID = Path(..., ge=1, le=MAX_ID, description=gettext_noop("The project's number."))


@router.patch(
    "/projects/{project_id}",
    response={200: ProjectOut},
    auth=token_auth,
    operation_id="update_project",
    summary="Change an implementation project or its business case",
)
def update_project(
    request: HttpRequest, payload: ProjectPatch, project_id: int = PROJECT_ID
) -> Status[Any]:
    """Change a project the token user may edit. Another municipality's unpublished
    project answers 404, its published one 403."""
    user: User = request.auth  # type: ignore[attr-defined]
    project: Project = get_or_refuse(
        services.with_figures(Project.objects.all()).prefetch_related("cases"),
        user,
        CHANGE,
        pk=project_id,
    )
    return Status(200, _write_project(user, project, payload, created=False))


class FollowUpIn(Schema):
    """A dated measurement of what the project realised, as yearly rates."""

    measured_on: dt.date = Field(
        description=gettext_noop("On or after the project's start; not in the future.")
    )
    hours_freed: Hours = Field(description=gettext_noop("Realised hours freed per year."))
    gain_dkk: Amount | None = Field(None, description=gettext_noop("Realised gain per year, DKK."))
    running_cost: Amount | None = Field(
        None, description=gettext_noop("Realised running costs per year, DKK.")
    )
    citizens_per_fte: Decimal | None = Field(
        None,
        ge=0,
        max_digits=10,
        decimal_places=1,
        description=gettext_noop("Citizens served per FTE."),
    )
    note: str = Field("", max_length=10_000, description=gettext_noop("A note on the measurement."))


class FollowUpOut(Schema):
    id: int = Field(description=gettext_noop("The follow-up's number."))
    project: int = Field(description=gettext_noop("The project's number."))
    measured_on: str = Field(description=gettext_noop("When it was measured (ISO date)."))
    hours_freed: float = Field(description=gettext_noop("Realised hours freed per year."))
    fte_freed: float = Field(
        description=gettext_noop(
            "Realised full-time equivalents (FTE) freed per year, at 1,924 hours each."
        )
    )
    gain_dkk: float | None = Field(description=gettext_noop("Realised gain per year, DKK."))
    running_cost: float | None = Field(
        description=gettext_noop("Realised running costs per year, DKK.")
    )
    citizens_per_fte: float | None = Field(description=gettext_noop("Citizens served per FTE."))
    note: str = Field(description=gettext_noop("Note."))


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _follow_up_record(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "id": follow_up.pk,
        "project": follow_up.project_id,
        "measured_on": follow_up.measured_on.isoformat(),
        "hours_freed": float(follow_up.hours_freed),
        "fte_freed": round(follow_up.fte_freed, 4),
        "gain_dkk": _number(follow_up.gain_dkk),
        "running_cost": _number(follow_up.running_cost),
        "citizens_per_fte": _number(follow_up.citizens_per_fte),
        "note": follow_up.note,
    }


@router.post(
    "/projects/{project_id}/follow-ups",
    response={201: FollowUpOut},
    auth=token_auth,
    operation_id="create_follow_up",
    summary="Record a follow-up of a project",
)
def create_follow_up(
    request: HttpRequest, payload: FollowUpIn, project_id: int = PROJECT_ID
) -> Status[Any]:
    """Record what a project realised at a date (the project page's follow-up form)."""
    user: User = request.auth  # type: ignore[attr-defined]
    project: Project = get_or_refuse(Project.objects.all(), user, CHANGE, pk=project_id)
    with translation.override("en"):
        form = FollowUpForm(form_data(payload.model_dump()), project=project)
        refuse_invalid(("", form))
    follow_up = services.save_follow_up(user, form.save(commit=False))
    return Status(201, _follow_up_record(follow_up))
