"""Importing answers into the database: all or nothing, through the command and the page."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from openpyxl import Workbook, load_workbook

from kommuneradar.accounts.models import AuditEntry
from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.surveys import services
from kommuneradar.surveys.models import Answer, Response, Round

pytestmark = pytest.mark.django_db

HEADER = "kommune;fagområde;teknologi;stadie;effektivisering;kvalitet;trivsel;kommentar"


def grid_rows(count: int) -> list[str]:
    """`count` distinct valid rows: municipality x relevant (domain, technology) pairs."""
    pairs = sorted(
        Technology.domains.through.objects.values_list("domain__name_da", "technology__name_da")
    )
    rows = []
    for code in Municipality.objects.order_by("code").values_list("code", flat=True):
        for domain, technology in pairs:
            rows.append(f"{code};{domain};{technology};I drift;Stor;Nogen;Ved ikke;")
            if len(rows) == count:
                return rows
    raise AssertionError("the catalogue has too few pairs")


@pytest.fixture
def csv_file(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "svar.csv"


def test_the_command_imports_semicolon_windows_1252_with_danish_labels(
    draft_round: Round, csv_file: Path, vejle: Municipality, health: Domain
) -> None:
    text = (
        HEADER
        + "\r\n"
        + "Vejle Kommune;Sundhed og ældre;Skærmbesøg;Afprøver;Stor;Nogen;Ingen;Prøvet to steder\r\n"
    )
    csv_file.write_bytes(text.encode("cp1252"))
    out = io.StringIO()
    call_command("import_answers", str(csv_file), "--round", "2025", stdout=out)
    answer = Answer.objects.select_related("response").get()
    assert answer.stage == "piloting" and answer.value_efficiency == "large"
    assert answer.comment == "Prøvet to steder"
    assert (answer.response.municipality, answer.response.domain) == (vejle, health)
    assert answer.response.submitted_at is not None
    assert "Imported 1 answers" in out.getvalue()
    assert AuditEntry.objects.filter(action="answers_imported").exists()


def test_a_bom_file_imports_and_a_second_import_replaces_the_answer(
    draft_round: Round, csv_file: Path
) -> None:
    csv_file.write_bytes(
        ("\ufeff" + HEADER + "\n630;sundhed-og-aeldre;skaermbesoeg;considering;;;;\n").encode()
    )
    call_command("import_answers", str(csv_file), "--round", "2025", stdout=io.StringIO())
    csv_file.write_bytes(
        ("\ufeff" + HEADER + "\n630;sundhed-og-aeldre;skaermbesoeg;in_operation;;;;\n").encode()
    )
    call_command("import_answers", str(csv_file), "--round", "2025", stdout=io.StringIO())
    assert list(Answer.objects.values_list("stage", flat=True)) == ["in_operation"]
    assert Response.objects.count() == 1


def test_one_bad_row_among_10000_writes_nothing_and_is_named(
    draft_round: Round, csv_file: Path
) -> None:
    rows = grid_rows(10_000)
    rows[4_999] = rows[4_999].replace(";I drift;", ";Kører måske;")
    csv_file.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problems"):
        call_command(
            "import_answers", str(csv_file), "--round", "2025", stdout=io.StringIO(), stderr=err
        )
    assert "line 5001, column stadie: Ukendt stadie “Kører måske”." in err.getvalue()
    assert not Answer.objects.exists()
    assert not Response.objects.exists()


def test_10000_good_rows_are_all_imported(draft_round: Round, csv_file: Path) -> None:
    csv_file.write_text(HEADER + "\n" + "\n".join(grid_rows(10_000)) + "\n", encoding="utf-8")
    call_command("import_answers", str(csv_file), "--round", "2025", stdout=io.StringIO())
    assert Answer.objects.count() == 10_000


def test_unknown_names_and_duplicates_are_all_reported_and_nothing_is_written(
    draft_round: Round, csv_file: Path
) -> None:
    rows = [
        "630;Sundhed og ældre;Skærmbesøg;I drift;;;;",
        "Atlantis;Sundhed og ældre;Skærmbesøg;I drift;;;;",
        "630;Sundhed og ældre;Tidsmaskine;I drift;;;;",
        "Vejle;Sundhed og ældre;Skærmbesøg;Udfaset;;;;",
    ]
    csv_file.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_answers", str(csv_file), "--round", "2025", stderr=err)
    report = err.getvalue()
    assert "line 3, column kommune: Ukendt kommune “Atlantis”." in report
    assert "line 4, column teknologi: Ukendt teknologi “Tidsmaskine”." in report
    assert "line 5, column teknologi: Gentager linje 2." in report
    assert not Answer.objects.exists()


def _import(round_: Round, lines: list[str]) -> services.ImportOutcome:
    data = ("\n".join([HEADER, *lines]) + "\n").encode()
    return services.import_file(round_, io.BytesIO(data), None)


def test_an_import_over_earlier_answers_replaces_them_and_adds_the_rest(
    draft_round: Round,
) -> None:
    rows = grid_rows(3_000)
    assert _import(draft_round, rows[:1_000]).ok
    changed = [row.replace(";I drift;", ";Afprøver;") for row in rows[500:3_000]]
    outcome = _import(draft_round, changed)
    assert outcome.ok and outcome.answers_saved == 2_500
    stages = Answer.objects.filter(response__round=draft_round).values_list("stage", flat=True)
    assert len(stages) == 3_000
    assert sorted(set(stages)) == ["in_operation", "piloting"]
    assert stages.filter(stage="piloting").count() == 2_500
    assert not Response.objects.filter(round=draft_round, submitted_at__isnull=True).exists()


def test_a_first_import_keeps_other_responses_and_fills_an_empty_one(
    draft_round: Round, vejle: Municipality, aarhus: Municipality, health: Domain
) -> None:
    skaermbesoeg = Technology.objects.get(slug="skaermbesoeg")
    kept = Response.objects.create(round=draft_round, municipality=aarhus, domain=health)
    Answer.objects.create(response=kept, technology=skaermbesoeg, stage="considering")
    empty = Response.objects.create(round=draft_round, municipality=vejle, domain=health)
    outcome = _import(draft_round, ["630;sundhed-og-aeldre;skaermbesoeg;I drift;Stor;;;"])
    assert outcome.ok and outcome.responses_touched == 1
    assert list(empty.answers.values_list("stage", flat=True)) == ["in_operation"]
    assert list(kept.answers.values_list("stage", flat=True)) == ["considering"]
    empty.refresh_from_db()
    kept.refresh_from_db()
    assert empty.submitted_at is not None and kept.submitted_at is None


def test_a_duplicate_far_down_a_large_file_is_named_and_nothing_is_written(
    draft_round: Round,
) -> None:
    rows = grid_rows(5_000)
    rows[4_500] = rows[100]  # line 4502 repeats line 102
    outcome = _import(draft_round, rows)
    assert [services.problem_line(p) for p in outcome.problems] == [
        "line 4502, column teknologi: Gentager linje 102."
    ]
    assert not Answer.objects.exists() and not Response.objects.exists()


def test_an_empty_file_is_refused(draft_round: Round, csv_file: Path) -> None:
    csv_file.write_bytes(b"")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_answers", str(csv_file), "--round", "2025", stderr=err)
    assert "Filen er tom." in err.getvalue()


def test_a_50_mb_garbage_file_is_refused_and_writes_nothing(draft_round: Round) -> None:
    with tempfile.TemporaryFile() as garbage:
        for _ in range(50):
            garbage.write(os.urandom(1024 * 1024))
        garbage.seek(0)
        outcome = services.import_file(draft_round, garbage, None)
    assert not outcome.ok
    assert len(outcome.problems) == 1
    assert not Answer.objects.exists()


def _workbook(rows: list[list[Any]], ratings: list[list[Any]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "svar"
    for row in rows:
        sheet.append(row)
    if ratings:
        extra = workbook.create_sheet("modenhed")
        for row in ratings:
            extra.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_analyst_uploads_xlsx_with_answers_and_ratings(
    client: Client, draft_round: Round, analyst: Any
) -> None:
    data = _workbook(
        [
            HEADER.split(";"),
            [630, "Sundhed og ældre", "Skærmbesøg", "I drift", "Stor", "Stor", "Nogen", None],
        ],
        [["teknologi", "modenhed", "begrundelse"], ["Skærmbesøg", 8, "Bredt brugt"]],
    )
    client.force_login(analyst)
    upload = SimpleUploadedFile("svar.xlsx", data)
    page = client.post("/runder/2025/import/", {"file": upload}, follow=True)
    assert page.redirect_chain[0][0].startswith("/opgaver/")  # the import job's page
    assert page.status_code == 200
    html = page.content.decode()
    assert "Behandlede 2 rækker" in html
    assert "<progress" in html and "Færdig" in html
    assert Answer.objects.get().stage == "in_operation"
    rating = MaturityRating.objects.get()
    assert (rating.year, rating.rating, rating.rationale) == (2025, 8, "Bredt brugt")


def test_the_upload_page_lists_every_bad_row(
    client: Client, draft_round: Round, analyst: Any
) -> None:
    text = (
        HEADER
        + "\n630;Sundhed og ældre;Skærmbesøg;I drift;;;;\n999;Sundhed og ældre;Skærmbesøg;Hmm;;;;\n"
    )
    client.force_login(analyst)
    page = client.post(
        "/runder/2025/import/",
        {"file": SimpleUploadedFile("svar.csv", text.encode())},
        follow=True,
    )
    assert page.redirect_chain[0][0].startswith("/opgaver/")
    html = page.content.decode()
    assert "Intet blev ændret" in html and "Filen blev ikke importeret" in html
    assert "Ukendt kommune “999”" in html and "Ukendt stadie “Hmm”" in html
    assert not Answer.objects.exists()


def test_editors_cannot_upload(client: Client, draft_round: Round, vejle_editor: Any) -> None:
    text = HEADER + "\n630;Sundhed og ældre;Skærmbesøg;I drift;;;;\n"
    client.force_login(vejle_editor)
    page = client.post(
        "/runder/2025/import/", {"file": SimpleUploadedFile("svar.csv", text.encode())}
    )
    assert page.status_code == 403
    assert not Answer.objects.exists()


def test_the_downloadable_template_is_documented_and_imports_once_filled(
    client: Client, draft_round: Round
) -> None:
    download = client.get("/runder/skabelon.xlsx")
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(download.content))
    assert workbook.sheetnames == ["vejledning", "svar", "modenhed"]
    guide = " ".join(
        str(cell.value) for row in workbook["vejledning"].iter_rows() for cell in row if cell.value
    )
    assert "Udbredt i hele organisationen" in guide and "Ved ikke" in guide
    workbook["svar"].append(
        [
            "Vejle",
            "Social",
            "Robotic Process Automation",
            "Overvejer",
            "Nogen",
            "Ved ikke",
            "Ingen",
            "",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    outcome = services.import_file(draft_round, buffer, None)
    assert outcome.ok, outcome.problems
    assert Answer.objects.get().stage == "considering"
    assert client.get("/runder/skabelon.csv").content.decode("utf-8-sig").startswith("kommune;")
    assert client.get("/runder/skabelon.exe").status_code == 404


def test_a_large_upload_is_read_from_its_temporary_file(
    client: Client, draft_round: Round, analyst: Any
) -> None:
    comment = "Erfaringer fra hjemmeplejen og plejecentrene. " * 6
    rows = [row + comment for row in grid_rows(10_000)]
    data = (HEADER + "\n" + "\n".join(rows) + "\n").encode("cp1252")
    assert len(data) > 3 * 1024 * 1024  # beyond Django's in-memory upload limit
    client.force_login(analyst)
    page = client.post(
        "/runder/2025/import/", {"file": SimpleUploadedFile("stor.csv", data)}, follow=True
    )
    assert page.status_code == 200, page.content.decode()[:2000]
    assert "Behandlede 10.000 rækker" in page.content.decode()
    assert Answer.objects.count() == 10_000
