"""Spreadsheet import: all rows or none, every bad row named by line, column and reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from openpyxl import Workbook

from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.benefits.importing import import_projects
from kommuneradar.benefits.models import BusinessCase, Project
from kommuneradar.places.models import Municipality

pytestmark = pytest.mark.django_db

HEADER = (
    "kommune;titel;teknologi;fagområde;startdato;status;gevinstejer;engangsomkostninger;"
    "driftsomkostninger;gevinst kr;timer frigjort;timer frigjort pessimistisk;"
    "diskonteringsrente;offentliggjort"
)
GOOD_ROWS = [
    "630;Skærmbesøg i Vejle;Skærmbesøg;Sundhed og ældre;2023-03-01;I drift;Leder af plejen;"
    "250.000;20.000;120.000;1924;1500;3,5;ja",
    "Vejle;Robotter i lønkontoret;rpa;oekonomi-og-administration;01-09-2022;;Økonomichef;"
    "80000;15000;90000;2500,5;;;nej",
]


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def test_a_valid_csv_creates_every_project_with_its_business_case(vejle: Municipality) -> None:
    result = import_projects(_csv(*GOOD_ROWS), "projekter.csv", None)
    assert result.ok, result.problems
    assert result.created == 2
    first = Project.objects.get(title="Skærmbesøg i Vejle")
    assert first.municipality == vejle
    assert first.published
    assert first.status == "in_operation"
    case = BusinessCase.objects.get(project=first)
    assert case.one_off_cost == 250_000
    assert case.hours_freed_pessimistic == 1500
    assert float(case.discount_rate) == pytest.approx(0.035)
    second = Project.objects.get(title="Robotter i lønkontoret")
    assert not second.published
    assert second.business_case.hours_freed == pytest.approx(2500.5)
    assert AuditEntry.objects.filter(action="import").count() == 2


def test_one_bad_row_imports_nothing_and_every_problem_is_listed(vejle: Municipality) -> None:
    bad = "999;;Tidsmaskine;Sundhed og ældre;2023-02-30;Måske;Chef;-5;abc;100;10;20;25;kanske"
    result = import_projects(_csv(GOOD_ROWS[0], bad), "projekter.csv", None)
    assert not result.ok
    assert Project.objects.count() == 0
    problems = {(problem.line, problem.column) for problem in result.problems}
    assert (3, "kommune") in problems
    assert (3, "titel") in problems
    assert (3, "teknologi") in problems
    assert (3, "startdato") in problems
    assert (3, "status") in problems
    assert (3, "engangsomkostninger") in problems  # negative
    assert (3, "driftsomkostninger") in problems  # not a number
    assert (3, "timer frigjort pessimistisk") in problems  # better than likely
    assert (3, "diskonteringsrente") in problems  # above 20 %
    assert (3, "offentliggjort") in problems
    reasons = {problem.column: reason for problem, reason in result.explained()}
    assert reasons["engangsomkostninger"] == "Skal være nul eller mere."


def test_missing_columns_are_named() -> None:
    result = import_projects(b"kommune;titel\n630;X\n", "x.csv", None)
    assert not result.ok
    assert {problem.column for problem in result.problems} >= {"teknologi", "timer frigjort"}


def test_garbage_files_are_refused_without_error() -> None:
    for content, name in (
        (b"", "x.csv"),
        (b"\x00\x01\x02" * 100, "x.csv"),
        (b"PK\x03\x04junk", "x.xlsx"),
    ):
        result = import_projects(content, name, None)
        assert not result.ok
        assert result.problems[0].line == 0


def test_an_xlsx_workbook_imports_too(vejle: Municipality) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    sheet.append(
        GOOD_ROWS[0]
        .replace("250.000", "250000")
        .replace("20.000", "20000")
        .replace("120.000", "120000")
        .split(";")
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_projects(buffer.getvalue(), "projekter.xlsx", None)
    assert result.ok, result.problems
    assert Project.objects.get().business_case.gain_dkk == 120_000


def test_an_editor_may_import_only_own_municipality(
    client: Client, vejle_editor: User, aarhus: Municipality
) -> None:
    client.force_login(vejle_editor)
    aarhus_row = GOOD_ROWS[0].replace("630;", "751;", 1)
    upload = SimpleUploadedFile("p.csv", _csv(GOOD_ROWS[1], aarhus_row), "text/csv")
    response = client.post("/gevinster/projekter/import/", {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Du må kun importere projekter for din egen kommune." in body
    assert Project.objects.count() == 0
    upload = SimpleUploadedFile("p.csv", _csv(*GOOD_ROWS), "text/csv")
    response = client.post("/gevinster/projekter/import/", {"file": upload})
    assert response.status_code == 200
    assert Project.objects.count() == 2


def test_the_import_command(tmp_path: Path, vejle: Municipality) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(*GOOD_ROWS))
    out = io.StringIO()
    call_command("import_projects", str(good), stdout=out)
    assert "Imported 2 project(s)" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(GOOD_ROWS[0].replace("1924", "-1924")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_projects", str(bad), stderr=err)
    assert "line 2, column timer frigjort" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("import_projects", str(tmp_path / "missing.csv"))
    assert Project.objects.count() == 2
