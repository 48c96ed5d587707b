"""The automation pipeline as open data: public processes with their potential, realised
hours and reuse. The read API answers every caller as the public, so a process shared only
within its municipality, internal notes and people never appear here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.params.functions import Path

from kommuneradar.catalog.models import Technology
from kommuneradar.core.api import MAX_ID, PageMeta, Paging, page_of

from . import potential, queries
from .models import Measurement, Process

router = Router(tags=["automation"])

PROCESS_ID = Path(..., ge=1, le=MAX_ID, description=gettext_noop("The process's number."))


class MeasurementOut(Schema):
    period_start: str = Field(description=gettext_noop("First day of the measured period (ISO)."))
    period_end: str = Field(description=gettext_noop("Last day of the measured period (ISO)."))
    baseline_hours: float = Field(
        description=gettext_noop("Hours the work took in the period without the automation.")
    )
    actual_hours: float = Field(
        description=gettext_noop("Hours the work took in the period with the automation.")
    )
    realised_hours: float = Field(
        description=gettext_noop("Hours freed in the period (baseline minus actual).")
    )
    realised_hours_per_year: float = Field(
        description=gettext_noop("The hours freed as a yearly rate (× 365 / days in the period).")
    )


class ProcessOut(Schema):
    id: int = Field(
        description=gettext_noop("The process's number; its page is /automatisering/<id>/.")
    )
    title: str = Field(description=gettext_noop("Title."))
    summary: str = Field(description=gettext_noop("Summary."))
    description: str = Field(description=gettext_noop("Description."))
    municipality_code: str = Field(description=gettext_noop("The municipality's 3-digit code."))
    municipality: str = Field(description=gettext_noop("The municipality's name."))
    kle: str = Field(description=gettext_noop("KLE number (e.g. 27.12.08); empty when not stated."))
    kle_title: str = Field(description=gettext_noop("The KLE number's title."))
    form_code: str = Field(description=gettext_noop("KL's FORM code, where known."))
    phase: str = Field(
        description=gettext_noop(
            "`idea`, `pre_analysis`, `specification`, `development`, `implementation`, "
            "`operation` or `decommissioned`."
        )
    )
    status: str = Field(
        description=gettext_noop(
            "`in_progress`, `pending`, `rejected`, `failed` or `not_relevant`."
        )
    )
    technologies: list[str] = Field(description=gettext_noop("The technologies' slugs."))
    systems: list[str] = Field(description=gettext_noop("The IT systems it touches."))
    run_frequency: str = Field(
        description=gettext_noop(
            "`continuous`, `daily`, `weekly`, `monthly`, `quarterly`, `yearly`, `on_demand`, "
            "or empty."
        )
    )
    legal_basis: str = Field(description=gettext_noop("The legal basis as stated."))
    legal_basis_checked_on: str | None = Field(
        description=gettext_noop("When the legal basis was last checked (ISO); null if never.")
    )
    cases_per_year: int = Field(description=gettext_noop("Cases per year."))
    minutes_per_case: float = Field(description=gettext_noop("Minutes of work per case."))
    automation_share: float = Field(
        description=gettext_noop("Percent of the work the automation takes over (0–100).")
    )
    expected_hours_per_year: float = Field(
        description=gettext_noop(
            "Expected hours freed per year: cases × minutes / 60 × automation share."
        )
    )
    expected_fte: float = Field(
        description=gettext_noop("The expected hours in full-time equivalents of 1,924 hours.")
    )
    realised_hours_per_year: float | None = Field(
        description=gettext_noop(
            "Hours freed per year at the latest measurement; null when not measured."
        )
    )
    measurements: list[MeasurementOut] = Field(
        description=gettext_noop("The measurements, oldest first.")
    )
    source_id: int | None = Field(
        description=gettext_noop(
            "The public process it was copied from; null when not a copy or not public."
        )
    )
    reuses: int = Field(description=gettext_noop("Public processes copied from this one."))
    umbrella: str = Field(description=gettext_noop("The umbrella process's title, or empty."))
    updated_at: str = Field(description=gettext_noop("Last changed (ISO date and time)."))


class ProcessPage(PageMeta):
    results: list[ProcessOut] = Field(description=gettext_noop("This page of processes."))


class ProcessFilters(Paging):
    technology: str = Field(
        "",
        max_length=100,
        pattern=r"^[a-z0-9-]{0,100}$",
        description=gettext_noop("Only processes using this technology (its slug)."),
    )
    phase: str = Field(
        "",
        max_length=20,
        pattern=r"^[a-z_]{0,20}$",
        description=gettext_noop("Only processes in this phase."),
    )
    kle: str = Field(
        "",
        max_length=20,
        pattern=r"^[0-9.]{0,20}$",
        description=gettext_noop("Only processes whose KLE number begins with this."),
    )
    municipality: str = Field(
        "",
        max_length=100,
        description=gettext_noop("Only this municipality's processes (name or 3-digit code)."),
    )


def _public() -> QuerySet[Process]:
    """Public processes, as the public sees them, with what a record needs."""
    public_ids = Process.objects.public().values("pk")
    return (
        queries.visible(None)
        .select_related("municipality", "kle", "umbrella", "source")
        .prefetch_related(
            Prefetch("technologies", queryset=Technology.objects.order_by("slug")),
            "systems",
            Prefetch("measurements", queryset=Measurement.objects.order_by("period_end", "id")),
        )
        .annotate(public_reuses=Count("reuses", filter=Q(reuses__in=public_ids), distinct=True))
        .order_by("id")
    )


def _float(value: Decimal, places: int = 2) -> float:
    return round(float(value), places)


def process_record(process: Process) -> dict[str, Any]:
    """One public process as the API gives it (no notes, no people)."""
    measurements = list(process.measurements.all())
    realised = queries.latest_realised_per_year(measurements)
    expected = process.expected_hours
    source = process.source
    return {
        "id": process.pk,
        "title": process.title,
        "summary": process.summary,
        "description": process.description,
        "municipality_code": process.municipality.code,
        "municipality": process.municipality.name,
        "kle": process.kle.number if process.kle else "",
        "kle_title": process.kle.title if process.kle else "",
        "form_code": process.form_code,
        "phase": process.phase,
        "status": process.status,
        "technologies": [t.slug for t in process.technologies.all()],
        "systems": [s.name for s in process.systems.all()],
        "run_frequency": process.run_frequency,
        "legal_basis": process.legal_basis,
        "legal_basis_checked_on": process.legal_basis_checked_on.isoformat()
        if process.legal_basis_checked_on
        else None,
        "cases_per_year": process.cases_per_year,
        "minutes_per_case": _float(process.minutes_per_case),
        "automation_share": _float(process.automation_share),
        "expected_hours_per_year": _float(expected, 2),
        "expected_fte": _float(potential.fte(expected), 4),
        "realised_hours_per_year": None if realised is None else _float(realised, 2),
        "measurements": [
            {
                "period_start": m.period_start.isoformat(),
                "period_end": m.period_end.isoformat(),
                "baseline_hours": _float(m.baseline_hours, 1),
                "actual_hours": _float(m.actual_hours, 1),
                "realised_hours": _float(m.realised_hours, 1),
                "realised_hours_per_year": _float(m.realised_hours_per_year, 2),
            }
            for m in measurements
        ],
        "source_id": source.pk
        if source is not None and source.visibility == Process.Visibility.PUBLIC
        else None,
        "reuses": getattr(process, "public_reuses", 0),
        "umbrella": process.umbrella.title if process.umbrella else "",
        "updated_at": process.updated_at.isoformat(),
    }


@router.get("/automation/processes", response=ProcessPage, operation_id="list_processes")
def list_processes(request: HttpRequest, filters: Query[ProcessFilters]) -> dict[str, Any]:
    """Public processes of the municipalities' automation pipelines, oldest first."""
    # The read API is open data: it answers every caller as it would the public.
    chosen = queries.Filters(
        technology=filters.technology,
        phases=[filters.phase] if filters.phase else [],
        kle=filters.kle,
        municipality=filters.municipality.replace("\x00", "").strip(),
    )
    matching, problem = queries.find_processes(None, chosen)
    if problem:
        raise HttpError(
            422, "Unknown municipality: give a name such as Vejle, or a code such as 630."
        )
    rows = _public().filter(pk__in=matching.values("pk"))
    return page_of(rows, filters, process_record)


@router.get("/automation/processes/{process_id}", response=ProcessOut, operation_id="get_process")
def get_process(request: HttpRequest, process_id: int = PROCESS_ID) -> dict[str, Any]:
    """One public process with its measurements; any other answers 404."""
    return process_record(get_object_or_404(_public(), pk=process_id))
