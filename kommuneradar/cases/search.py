"""The one way to find cases: the list page, the API and the exports all call
`find_cases`, which applies the facets and then `CaseQuerySet.search`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q

from . import textsearch
from .models import HEADLINE_START, HEADLINE_STOP, Case, CaseQuerySet, Effect
from .sizebands import band_by_slug


@dataclass(frozen=True)
class CaseCriteria:
    """What a searcher asked for; empty strings mean "any"."""

    query: str = ""
    technology: str = ""
    domain: str = ""
    region: str = ""
    stage: str = ""
    with_effects: bool = False
    size_band: str = ""
    municipality: str = ""


def find_cases(
    criteria: CaseCriteria,
    cases: CaseQuerySet | None = None,
    *,
    headlines: bool = True,
) -> CaseQuerySet:
    """Published cases (or `cases`, for a workspace) matching every facet and the query;
    best match first when there is a query, newest first otherwise."""
    cases = Case.objects.published() if cases is None else cases
    through = Case.technologies.through.objects
    if criteria.technology:
        cases = cases.filter(
            id__in=through.filter(technology__slug=criteria.technology).values("case_id")
        )
    if criteria.domain:
        in_domain = Case.domains.through.objects.filter(domain__slug=criteria.domain)
        cases = cases.filter(id__in=in_domain.values("case_id"))
    if criteria.region:
        cases = cases.filter(lead_municipality__region__code=criteria.region)
    if criteria.stage:
        cases = cases.filter(stage=criteria.stage)
    if criteria.with_effects:
        cases = cases.filter(id__in=Effect.objects.values("case_id"))
    band = band_by_slug(criteria.size_band)
    if band is not None:
        cases = cases.filter(lead_municipality__population__gte=band.low)
        if band.high is not None:
            cases = cases.filter(lead_municipality__population__lt=band.high)
    if criteria.municipality:
        partners = Case.partner_municipalities.through.objects.filter(
            municipality__code=criteria.municipality
        )
        cases = cases.filter(
            Q(lead_municipality__code=criteria.municipality) | Q(id__in=partners.values("case_id"))
        )
    if criteria.query.strip():
        cases = cases.search(criteria.query, headlines=headlines)
    else:
        cases = cases.order_by("-published_at", "-id")
    return cases.select_related("lead_municipality__region").prefetch_related(
        "technologies", Prefetch("effects", queryset=Effect.objects.all())
    )


def attach_snippets(cases: list[Case], query: str) -> None:
    """Give each case on a page `snippet`: (text, is_match) segments of its summary around
    the query, from the database's highlighting on PostgreSQL, from stems on SQLite."""
    for case in cases:
        marked = getattr(case, "headline", None)
        if query and connection.vendor == "postgresql" and marked:
            segments = textsearch.marked_segments(marked, HEADLINE_START, HEADLINE_STOP)
        elif query:
            segments = textsearch.highlight_segments(case.summary, query)
        else:
            segments = [(case.summary, False)]
        setattr(case, "snippet", segments)  # noqa: B010
