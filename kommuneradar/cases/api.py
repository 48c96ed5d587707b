"""Open data: published cases, found by the same search as the /cases/ page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from kommuneradar.accounts.access import VIEW, restrict

from . import exports
from .models import Case
from .search import CaseCriteria, find_cases

router = Router(tags=["cases"])

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000_000


class EffectOut(Schema):
    description: str
    dimension: str
    value: float
    unit: str
    baseline: float | None
    result: float | None
    measured_on: str | None
    method: str
    headline: bool


class CaseOut(Schema):
    id: int
    url: str
    title: str
    summary: str
    municipality_code: str
    municipality: str
    partner_municipalities: list[str]
    technologies: list[str]
    domains: list[str]
    status: str
    started_on: str | None
    ended_on: str | None
    budget_dkk: int | None
    staff_fte: float | None
    duration_months: int | None
    effects: list[EffectOut]
    source: str
    published_at: str | None


class CasePage(Schema):
    count: int
    results: list[CaseOut]


class CaseFilters(Schema):
    q: str = ""
    technology: str = ""
    domain: str = ""
    region: str = ""
    status: str = ""
    with_effects: bool = False
    size_band: str = ""
    municipality: str = ""
    # Out of range answers 422 with the reason, never a database error.
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/", response=CasePage)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """Published cases, best match first when `q` is given: Danish words in any form and
    inside compound words, technologies by their abbreviations and synonyms ("RPA",
    "kunstig intelligens"), small spelling slips forgiven; the same as the list page."""
    criteria = CaseCriteria(
        query=filters.q[:200],
        technology=filters.technology,
        domain=filters.domain,
        region=filters.region,
        stage=filters.status,
        with_effects=filters.with_effects,
        size_band=filters.size_band,
        municipality=filters.municipality,
    )
    cases = find_cases(criteria).prefetch_related("partner_municipalities", "domains")
    limit, offset = filters.limit, filters.offset
    return {
        "count": cases.count(),
        "results": [exports.case_record(case) for case in cases[offset : offset + limit]],
    }


@router.get("/{case_id}", response=CaseOut)
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """One published case with all its documented effects."""
    # The API is open data: it answers every caller as it would the public.
    queryset = (
        restrict(Case.objects, None, VIEW)
        .select_related("lead_municipality")
        .prefetch_related("technologies", "domains", "partner_municipalities", "effects")
    )
    return exports.case_record(get_object_or_404(queryset, pk=case_id))
