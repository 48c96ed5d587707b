"""The pipeline as CSV, XLSX and JSON: the list page's current filter, only the processes
the user may see. Internal notes and the people on a process (owner, contact persons) are
written only for those who may change the process (its own municipality's editors and the
analysts); for everyone else those columns are empty.

Spreadsheets get Danish headings and the Danish names of phases, statuses and so on; JSON
keeps the English keys and the codes, for programs. Hours are per year; FTE at 1,924 hours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from kommuneradar.accounts import access
from kommuneradar.catalog.models import Technology
from kommuneradar.core.tabular import Field

from . import potential, queries
from .models import (
    Frequency,
    Measurement,
    Phase,
    Process,
    ProcessContact,
    Status,
    System,
    Visibility,
)

MAX_ROWS = 20_000

FIELDS = [
    Field("id", "id"),
    Field("title", "titel"),
    Field("summary", "resumé"),
    Field("municipality_code", "kommunekode"),
    Field("municipality", "kommune"),
    Field("phase", "fase"),
    Field("status", "status"),
    Field("visibility", "synlighed"),
    Field("kle_number", "KLE-nr"),
    Field("kle_title", "KLE-titel"),
    Field("form_code", "FORM"),
    Field("domain", "fagområde"),
    Field("technologies", "teknologier"),
    Field("systems", "it-systemer"),
    Field("run_frequency", "kørselsfrekvens"),
    Field("cases_per_year", "sager pr. år"),
    Field("minutes_per_case", "minutter pr. sag"),
    Field("automation_share_percent", "automatiseringsgrad procent"),
    Field("expected_hours_per_year", "forventede timer pr. år"),
    Field("expected_fte", "forventede årsværk"),
    Field("realised_hours_per_year", "realiserede timer pr. år (seneste måling)"),
    Field("measurements", "målinger"),
    Field("legal_basis", "lovgrundlag"),
    Field("legal_basis_checked_on", "lovgrundlag kontrolleret"),
    Field("copied_from", "kopieret fra (id)"),
    Field("umbrella", "paraplyproces"),
    Field("updated", "opdateret"),
    Field("url", "adresse"),
    Field("owner", "procesejer"),
    Field("contacts", "kontaktpersoner"),
    Field("internal_notes", "interne noter"),
]
LABELS: dict[str, dict[str, Any]] = {
    key: {code: label for code, label in choices}
    for key, choices in (
        ("phase", Phase.choices),
        ("status", Status.choices),
        ("visibility", Visibility.choices),
        ("run_frequency", Frequency.choices),
    )
}


def for_export(processes: QuerySet[Process], user: object) -> QuerySet[Process]:
    """What a row needs, in a fixed number of queries; the contact persons only those the
    user may see."""
    contacts = access.restrict(ProcessContact.objects.order_by("id"), user, access.VIEW)
    return (
        processes.select_related("municipality", "kle", "domain", "owner", "umbrella")
        .prefetch_related(
            Prefetch("technologies", queryset=Technology.objects.order_by("name_da")),
            Prefetch("systems", queryset=System.objects.order_by("name")),
            Prefetch("contacts", queryset=contacts),
            Prefetch("measurements", queryset=Measurement.objects.order_by("period_end", "id")),
        )
        .order_by("title", "id")
    )


def _tenths(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))


def record(process: Process, *, sees_people: bool, base_url: str = "") -> dict[str, Any]:
    """One process with codes (JSON's form); `sees_people` adds its notes and people."""
    measurements = list(process.measurements.all())
    realised = queries.latest_realised_per_year(measurements)
    expected = process.expected_hours
    owner = ""
    if sees_people and process.owner is not None:
        owner = process.owner.get_full_name() or process.owner.username
    contacts = (
        [
            f"{contact.name} <{contact.email}>" if contact.email else contact.name
            for contact in process.contacts.all()
        ]
        if sees_people
        else []
    )
    return {
        "id": process.pk,
        "title": process.title,
        "summary": process.summary,
        "municipality_code": process.municipality.code,
        "municipality": process.municipality.name,
        "phase": process.phase,
        "status": process.status,
        "visibility": process.visibility,
        "kle_number": process.kle.number if process.kle else "",
        "kle_title": process.kle.title if process.kle else "",
        "form_code": process.form_code,
        "domain": process.domain.name_da if process.domain else "",
        "technologies": [technology.name_da for technology in process.technologies.all()],
        "systems": [system.name for system in process.systems.all()],
        "run_frequency": process.run_frequency,
        "cases_per_year": process.cases_per_year,
        "minutes_per_case": process.minutes_per_case,
        "automation_share_percent": process.automation_share,
        "expected_hours_per_year": _tenths(expected),
        "expected_fte": potential.fte(expected),
        "realised_hours_per_year": None if realised is None else _tenths(realised),
        "measurements": len(measurements),
        "legal_basis": process.legal_basis,
        "legal_basis_checked_on": process.legal_basis_checked_on,
        "copied_from": process.source_id,
        "umbrella": process.umbrella.title if process.umbrella else "",
        "updated": process.updated_at.date(),
        "url": base_url + process.get_absolute_url(),
        "owner": owner,
        "contacts": contacts,
        "internal_notes": process.internal_notes if sees_people else "",
    }


def labelled(row: dict[str, Any]) -> dict[str, Any]:
    """A record for a spreadsheet: the Danish names instead of the codes."""
    shown = dict(row)
    for key, names in LABELS.items():
        shown[key] = str(names.get(row[key], row[key]))
    return shown


def records(processes: QuerySet[Process], user: object, base_url: str = "") -> list[dict[str, Any]]:
    """The records of the processes (already restricted to what `user` may see)."""
    return [
        record(
            process,
            sees_people=access.may_see_personal(user, process),
            base_url=base_url,
        )
        for process in for_export(processes, user)[:MAX_ROWS]
    ]
