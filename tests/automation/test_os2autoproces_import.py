"""An OS2autoproces Excel export (built from its documented columns) into the pipeline:
all rows or none, every bad row named by line, column and reason; editors import into
their own municipality, analysts choose it."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.automation import os2autoproces
from kommuneradar.automation.importing import import_os2autoproces
from kommuneradar.automation.models import Process, ProcessContact, System
from kommuneradar.places.models import Municipality

from .io_helpers import OS2_ROWS, OS2_SAMPLE, load_kle_sample, os2_workbook

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def kle(db: Any) -> None:
    load_kle_sample()


def test_the_sample_export_creates_the_processes_with_their_fields(
    kle: None, vejle: Municipality, vejle_editor: User
) -> None:
    result = import_os2autoproces(OS2_SAMPLE.read_bytes(), "eksport.xlsx", vejle, vejle_editor)
    assert result.ok, result.lines()
    assert result.created == 3
    records = Process.objects.get(title="Indhentning af børne- og straffeattester")
    assert records.municipality == vejle
    assert records.owner == vejle_editor
    assert (records.phase, records.status, records.visibility) == (
        "operation",
        "in_progress",
        "public",
    )
    assert records.kle is not None and records.kle.number == "81.02.04"
    assert records.domain is not None and records.domain.slug == "oekonomi-og-administration"
    assert records.cases_per_year == 1200
    assert records.minutes_per_case == Decimal("12.50")
    assert records.automation_share == Decimal(80)
    # 1200 × 12.5 / 60 × 80 % = 200 hours a year
    assert records.expected_hours == Decimal(200)
    assert str(records.legal_basis_checked_on) == "2024-03-01"
    assert records.legal_basis == "Børneattestloven § 2"
    assert records.run_frequency == "daily"
    assert [t.slug for t in records.technologies.all()] == ["rpa"]
    assert "UiPath" in records.description
    assert "Idéer til løsning:\nRobotten henter svaret" in records.description
    assert "Licensen udløber" in records.internal_notes
    assert "Status: Kører stabilt" in records.internal_notes
    assert sorted(records.systems.values_list("name", flat=True)) == [
        "ESDH-system",
        "Politiets attestportal",
    ]
    contacts = {c.name: c for c in ProcessContact.objects.filter(process=records)}
    assert set(contacts) == {"Fie Fagperson", "Kim Kontakt", "Bo Indberetter"}
    assert contacts["Kim Kontakt"].email == "kim.kontakt@vejle.example"
    emails = Process.objects.get(title="Journalisering af e-mails i sagssystemet")
    assert (emails.phase, emails.status, emails.visibility) == (
        "development",
        "pending",
        "municipality",
    )
    assert [t.slug for t in emails.technologies.all()] == ["machine-learning"]
    invoices = Process.objects.get(title="Betaling af leverandørfakturaer")
    assert (invoices.phase, invoices.status) == ("idea", "pending")
    assert invoices.cases_per_year == 45000
    # the first area named, though its own name holds a comma
    assert invoices.domain is not None and invoices.domain.slug == "klima-teknik-og-miljoe"
    assert System.objects.filter(name="ESDH-system").count() == 1
    assert AuditEntry.objects.filter(action="import").count() == 3


def test_a_bad_row_changes_nothing_and_is_named_by_line_column_and_reason(
    kle: None, vejle: Municipality
) -> None:
    bad = {**OS2_ROWS[1], "ID": 4200, "Fase": "Pilot", "Forventet automatiseringsgrad": 140}
    content = os2_workbook([OS2_ROWS[0], bad, OS2_ROWS[2]])
    before = (Process.objects.count(), System.objects.count(), ProcessContact.objects.count())
    result = import_os2autoproces(content, "eksport.xlsx", vejle, None)
    assert not result.ok
    found = {(p.line, p.column, p.code) for p in result.problems}
    assert found == {
        (3, "Fase", os2autoproces.UNKNOWN_PHASE),
        (3, "Forventet automatiseringsgrad", os2autoproces.SHARE_OUT_OF_RANGE),
    }
    lines = result.lines()
    assert any("sheet Processer, line 3, column Fase" in line and "Pilot" in line for line in lines)
    after = (Process.objects.count(), System.objects.count(), ProcessContact.objects.count())
    assert after == before


@pytest.mark.parametrize(
    ("change", "column", "code"),
    [
        ({"KLE-nr": "99.99.99"}, "KLE-nr", os2autoproces.UNKNOWN_KLE),
        ({"Myndighed": "Aarhus Kommune"}, "Myndighed", os2autoproces.OTHER_MUNICIPALITY),
        ({"Mail": "ikke en adresse"}, "Mail", os2autoproces.BAD_EMAIL),
        ({"Status": "Måske"}, "Status", os2autoproces.UNKNOWN_STATUS),
        ({"Synlighed": "Hemmelig"}, "Synlighed", os2autoproces.UNKNOWN_VISIBILITY),
        ({"Skedulering": "Hver time"}, "Skedulering", os2autoproces.UNKNOWN_FREQUENCY),
        ({"Fagområder": "Rumfart"}, "Fagområder", os2autoproces.UNKNOWN_DOMAIN),
        ({"Titel": None}, "Titel", "required"),
        (
            {"Antal gange processen foretages årligt": -4},
            "Antal gange processen foretages årligt",
            "negative",
        ),
        (
            {"Sidst kontrolleret i forhold til §": "sidste år"},
            "Sidst kontrolleret i forhold til §",
            "not_a_date",
        ),
        ({"Synlighed": "Personlig"}, "Synlighed", os2autoproces.PERSONAL_WITHOUT_OWNER),
    ],
)
def test_each_rule_names_its_column(
    kle: None, vejle: Municipality, change: dict[str, Any], column: str, code: str
) -> None:
    content = os2_workbook([{**OS2_ROWS[0], **change}])
    result = import_os2autoproces(content, "eksport.xlsx", vejle, None)
    assert [(p.line, p.column, p.code) for p in result.problems] == [(2, column, code)]
    assert Process.objects.count() == 0


def test_a_repeated_id_is_named_with_the_line_it_repeats(kle: None, vejle: Municipality) -> None:
    content = os2_workbook([OS2_ROWS[0], OS2_ROWS[0]])
    result = import_os2autoproces(content, "eksport.xlsx", vejle, None)
    assert [(p.line, p.column, p.code, p.value) for p in result.problems] == [
        (3, "ID", "duplicate", "2")
    ]


def test_a_file_without_the_required_columns_is_refused(vejle: Municipality) -> None:
    content = os2_workbook([{"Titel": "Uden fase"}], headings=["ID", "Titel", "Status"])
    result = import_os2autoproces(content, "eksport.xlsx", vejle, None)
    assert [(p.column, p.code) for p in result.problems] == [("Fase", "missing_columns")]


def test_an_editor_cannot_import_into_another_municipality(
    kle: None, aarhus: Municipality, vejle_editor: User
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_os2autoproces(OS2_SAMPLE.read_bytes(), "eksport.xlsx", aarhus, vejle_editor)
    assert Process.objects.count() == 0


def test_the_command_imports_into_the_municipality_given(
    kle: None, vejle: Municipality, tmp_path: Path
) -> None:
    out = io.StringIO()
    owner = User.objects.create_user(
        "olga", "olga@vejle.example", "pw", role=User.Role.EDITOR, municipality=vejle
    )
    call_command(
        "import_os2autoproces",
        str(OS2_SAMPLE),
        "--municipality",
        "630",
        "--owner",
        "olga",
        stdout=out,
    )
    assert "Imported 3 process(es) into Vejle" in out.getvalue()
    assert set(Process.objects.values_list("owner", flat=True)) == {owner.pk}
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(os2_workbook([{**OS2_ROWS[0], "Fase": "Pilot"}]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_os2autoproces", str(bad), "--municipality", "Vejle", stderr=err)
    assert "line 2, column Fase" in err.getvalue()
    with pytest.raises(CommandError, match="No municipality"):
        call_command("import_os2autoproces", str(bad), "--municipality", "Atlantis")


def test_an_editor_uploads_the_export_into_their_own_municipality(
    kle: None, vejle: Municipality, vejle_editor: User
) -> None:
    client = Client()
    client.force_login(vejle_editor)
    page = client.get("/automatisering/importer/")
    assert page.status_code == 200
    assert 'name="municipality"' not in page.content.decode()
    upload = SimpleUploadedFile("eksport.xlsx", OS2_SAMPLE.read_bytes(), XLSX)
    answer = client.post("/automatisering/importer/", {"file": upload})
    assert answer.status_code == 200
    assert "3 processer blev importeret" in answer.content.decode()
    assert Process.objects.filter(municipality=vejle).count() == 3


def test_a_bad_upload_shows_the_problems_and_imports_nothing(kle: None, vejle_editor: User) -> None:
    client = Client()
    client.force_login(vejle_editor)
    content = os2_workbook([OS2_ROWS[0], {**OS2_ROWS[1], "Fase": "Pilot"}])
    upload = SimpleUploadedFile("eksport.xlsx", content, XLSX)
    answer = client.post("/automatisering/importer/", {"file": upload})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Intet blev importeret" in text
    assert "Pilot" in text and "Fase" in text
    assert Process.objects.count() == 0


def test_an_analyst_chooses_the_municipality(
    kle: None, aarhus: Municipality, analyst: User
) -> None:
    client = Client()
    client.force_login(analyst)
    assert 'name="municipality"' in client.get("/automatisering/importer/").content.decode()
    rows = [{**row, "Myndighed": "Aarhus"} for row in OS2_ROWS]
    upload = SimpleUploadedFile("eksport.xlsx", os2_workbook(rows), XLSX)
    answer = client.post("/automatisering/importer/", {"file": upload, "municipality": aarhus.pk})
    assert answer.status_code == 200
    assert Process.objects.filter(municipality=aarhus).count() == 3


def test_the_anonymous_are_sent_to_log_in() -> None:
    answer = Client().get("/automatisering/importer/")
    assert answer.status_code == 302 and answer["Location"].startswith("/log-ind/")
