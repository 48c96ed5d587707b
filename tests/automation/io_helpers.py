"""What the tests of the pipeline's files, saved searches and reminders share: an
OS2autoproces export built from its documented columns (`os2autoproces.EXPORT_HEADINGS`,
the headings of OS2autoproces' own Excel export), the KLE sample, and small processes."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from kommuneradar.automation import os2autoproces
from kommuneradar.automation.importing import import_kle
from kommuneradar.automation.models import Process
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

SAMPLES = Path(__file__).resolve().parents[2] / "kommuneradar" / "automation" / "samples"
KLE_SAMPLE = SAMPLES / "kle-emneplan-udsnit.xml"
OS2_SAMPLE = SAMPLES / "os2autoproces-eksport.xlsx"

# Three processes as OS2autoproces exports them (Danish labels, dates as date cells,
# numbers as numbers), written for these tests.
OS2_ROWS: list[dict[str, Any]] = [
    {
        "ID": 4101,
        "Titel": "Indhentning af børne- og straffeattester",
        "Resumé": "En robot bestiller attesterne hos politiet og journaliserer svaret.",
        "Fase": "Drift",
        "Status": "I gang",
        "Statustekst": "Kører stabilt siden foråret.",
        "Indberetter": "Bo Indberetter",
        "Faglig kontaktperson": "Fie Fagperson",
        "Kontaktperson": "Kim Kontakt",
        "Mail": "kim.kontakt@vejle.example",
        "Synlighed": "Offentlig",
        "Fagområder": "Administration og organisation",
        "Myndighed": "Vejle Kommune",
        "Lovparagraf": "Børneattestloven § 2",
        "KLE-nr": "81.02.04",
        "Beskrivelse": "HR indhenter attester ved hver ansættelse.",
        "Idéer til løsning": "Robotten henter svaret i attestportalen.",
        "Nuværende systemer": "Politiets attestportal,ESDH-system",
        "Oprettet": dt.datetime(2023, 1, 10),
        "Sidst opdateret": dt.datetime(2024, 5, 2),
        "Antal gange processen foretages årligt": 1200,
        "Tidsforbrug pr. proces i minutter": 12.5,
        "Forventet automatiseringsgrad": 80,
        "Anvendt teknologi": "RPA,UiPath",
        "Skedulering": "Dagligt",
        "Sidst kontrolleret i forhold til §": dt.datetime(2024, 3, 1),
        "Interne Noter": "Licensen udløber til sommer.",
    },
    {
        "ID": 4102,
        "Titel": "Journalisering af e-mails i sagssystemet",
        "Resumé": "Indgående e-mails lægges på den rigtige sag.",
        "Fase": "Udvikling",
        "Status": "Afventer",
        "Synlighed": "Myndighed",
        "Fagområder": "Administration og organisation",
        "Myndighed": "Vejle Kommune",
        "KLE-nr": "00.05.10",
        "Nuværende systemer": "ESDH-system",
        "Antal gange processen foretages årligt": 30000,
        "Tidsforbrug pr. proces i minutter": 2,
        "Forventet automatiseringsgrad": 60,
        "Anvendt teknologi": "Machine Learning",
        "Skedulering": "Efter behov",
    },
    {
        "ID": 4103,
        "Titel": "Betaling af leverandørfakturaer",
        "Fase": "Idé",
        "Status": "Ikke vurderet",
        "Synlighed": "Offentlig",
        "Fagområder": "Miljø, teknik og forsyning,Administration og organisation",
        "KLE-nr": "06.01.02",
        "Antal gange processen foretages årligt": 45000.4,
        "Tidsforbrug pr. proces i minutter": 3,
        "Forventet automatiseringsgrad": 50,
        "Skedulering": "Ugentligt",
    },
]


def os2_workbook(rows: Sequence[Mapping[str, Any]], headings: Sequence[str] = ()) -> bytes:
    """An XLSX in OS2autoproces' layout: sheet "Processer", its headings in its order."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Processer"
    columns = list(headings or os2autoproces.EXPORT_HEADINGS)
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(heading) for heading in columns])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def load_kle_sample() -> None:
    with KLE_SAMPLE.open("rb") as handle:
        result = import_kle(handle, KLE_SAMPLE.name)
    assert result.ok, result.lines()


def make_process(municipality: Municipality, title: str, **fields: Any) -> Process:
    technologies = fields.pop("technologies", ())
    defaults: dict[str, Any] = {
        "visibility": Process.Visibility.PUBLIC,
        "phase": Process.Phase.IDEA,
        "cases_per_year": 1000,
        "minutes_per_case": Decimal(6),
        "automation_share": Decimal(50),
    }
    process = Process.objects.create(
        municipality=municipality, title=title, **{**defaults, **fields}
    )
    if technologies:
        process.technologies.set(Technology.objects.filter(slug__in=technologies))
    return process
