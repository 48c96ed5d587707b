"""The downloadable import template: an XLSX workbook whose first sheet documents every
column and allowed value, and a CSV with the header row only. The headings are the import's
own (`importing.answer_columns`, `importing.rating_columns`)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from kommuneradar.core import tabular

from .importing import EMPTY_CATALOGUE, answer_columns, rating_columns

ANSWER_HEADER = [column.headings[0] for column in answer_columns(EMPTY_CATALOGUE)]
RATING_HEADER = [column.headings[0] for column in rating_columns(EMPTY_CATALOGUE)]

GUIDE: list[tuple[str, str]] = [
    ("Kommuneradar: skabelon til import af svar", ""),
    ("", ""),
    ("Arket 'svar'", "Én række pr. kommune, fagområde og teknologi."),
    ("kommune", "Kommunekode (fx 630) eller navn (fx Vejle eller Vejle Kommune). Skal udfyldes."),
    ("fagområde", "Navn (fx Sundhed og ældre) eller kode (fx sundhed-og-aeldre). Skal udfyldes."),
    ("teknologi", "Navn (fx Skærmbesøg) eller kode (fx skaermbesoeg). Skal høre til fagområdet."),
    (
        "stadie",
        "Ikke relevant, Overvejer ikke, Overvejer, Afprøver, I drift, "
        "Udbredt i hele organisationen eller Udfaset (eller koderne not_relevant, "
        "not_considering, considering, piloting, in_operation, scaled, discontinued).",
    ),
    (
        "effektivisering, kvalitet, trivsel",
        "Oplevet værdi (afprøver, i drift, udbredt, udfaset) eller forventet værdi (ellers): "
        "Ingen, Nogen, Stor eller Ved ikke. Kan være tomme; skal være tomme ved Ikke relevant.",
    ),
    ("kommentar", "Valgfri fritekst."),
    ("", ""),
    ("Arket 'modenhed'", "Ekspertvurdering af teknisk modenhed for rundens år (valgfrit)."),
    ("teknologi", "Navn eller kode."),
    ("modenhed", "Helt tal fra 1 (idé) til 9 (moden og udbredt i kommuner)."),
    ("begrundelse", "Valgfri fritekst."),
    ("", ""),
    (
        "Regler",
        "Hele filen importeres, eller intet importeres. Fejl vises med linje, kolonne og årsag. "
        "Importerede svar erstatter eksisterende svar for samme kommune, fagområde og teknologi "
        "og tæller som indsendt. CSV-filer må være UTF-8 (med eller uden BOM) eller "
        "Windows-1252, adskilt med semikolon, komma eller tabulator.",
    ),
]


def xlsx_bytes() -> bytes:
    """The template workbook: sheets 'vejledning', 'svar' and 'modenhed'."""
    workbook = Workbook()
    guide = workbook.active
    guide.title = "vejledning"
    for row in GUIDE:
        guide.append(list(row))
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 110
    answers = workbook.create_sheet("svar")
    answers.append(ANSWER_HEADER)
    ratings = workbook.create_sheet("modenhed")
    ratings.append(RATING_HEADER)
    for sheet in (answers, ratings):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = 20
    return tabular.reproducible_xlsx(workbook)


def csv_bytes() -> bytes:
    """The answers header in the writer's CSV (UTF-8 BOM, semicolons: for Danish Excel)."""
    return tabular.csv_bytes([tabular.Field(h, h) for h in ANSWER_HEADER], [])
