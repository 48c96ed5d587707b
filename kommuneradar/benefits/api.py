"""Open data: published implementation projects and the labour-gap dashboard figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kommuneradar.accounts.access import VIEW, restrict
from kommuneradar.places.models import municipality_code_for

from . import exports, services
from .models import Project, ProjectQuerySet

router = Router(tags=["benefits"])

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000


class ProjectOut(Schema):
    id: int
    title: str
    municipality_code: str
    municipality: str
    region: str
    technology: str
    domain: str
    status: str
    start_date: str
    benefit_owner: str
    citizens_affected: int
    staff_affected: int
    published: bool
    one_off_cost_dkk: float | None
    running_cost_dkk_per_year: float | None
    gain_dkk_per_year: float | None
    hours_freed_per_year_expected: float | None
    discount_rate: float | None
    horizon_years: int | None
    npv_dkk: float | None
    payback_years: float | None
    expected_fte: float | None
    realised_fte: float | None
    last_follow_up: str | None
    follow_ups: int
    follow_up_overdue: bool


class ProjectPage(Schema):
    count: int
    results: list[ProjectOut]


class ProjectFilters(Schema):
    municipality: str = ""  # a name ("Vejle", "Vejle Kommune") or a code ("630")
    technology: str = ""
    # Out of range answers 422 with the reason, never a database error.
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class FigureOut(Schema):
    group: str
    label: str
    projects: int
    expected_projects: int | None
    expected_fte: float | None
    expected_fte_pessimistic: float | None
    expected_fte_optimistic: float | None
    measured_projects: int
    realised_fte: float | None
    expected_uncertain: bool | None
    realised_uncertain: bool
    median_fte_per_1000_inhabitants: float | None
    potential_fte: float | None
    potential_fte_low: float | None
    potential_fte_high: float | None


@router.get("/projects/", response=ProjectPage)
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]) -> dict[str, Any]:
    """Published projects with expected and realised FTE freed per year (1,924 hours each)."""
    # The API is open data: it answers every caller as it would the public.
    projects: ProjectQuerySet = restrict(Project.objects, None, VIEW)
    if filters.municipality:
        code = municipality_code_for(filters.municipality.replace("\x00", "")[:100])
        if code is None:
            raise HttpError(
                400, "Unknown municipality: give a name such as Vejle, or a code such as 630."
            )
        projects = projects.filter(municipality__code=code)
    if filters.technology:
        projects = projects.filter(technology__slug=filters.technology.replace("\x00", "")[:100])
    limit, offset = filters.limit, filters.offset
    page = services.with_figures(projects).order_by("id")[offset : offset + limit]
    return {"count": projects.count(), "results": [exports.project_record(p) for p in page]}


@router.get("/dashboard/", response=list[FigureOut])
def dashboard_figures(request: HttpRequest) -> list[dict[str, Any]]:
    """Every figure of the labour-gap dashboard, each with the projects it rests on."""
    return exports.dashboard_records(services.dashboard())
