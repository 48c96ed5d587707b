"""Every upload and import command refuses an XLSX that unpacks beyond its limit, with a
clear message, before the workbook is parsed: a small file that would otherwise cost
minutes of CPU and gigabytes of memory."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from kommuneradar.accounts.models import User
from kommuneradar.benefits.models import Project
from kommuneradar.core import tabular
from kommuneradar.places.models import Municipality
from kommuneradar.surveys.models import Answer, Round
from tests.spreadsheets import zip_bomb

pytestmark = pytest.mark.django_db

EXPANDED = 130 * 1024 * 1024  # beyond every importer's limit (the largest is 128 MB)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = zip_bomb(EXPANDED)
    assert len(data) < 1024 * 1024
    return data


@pytest.fixture(autouse=True)
def never_parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The refusal comes from the zip's directory: opening the workbook would fail the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(tabular, "load_workbook", refuse)
    yield


@pytest.fixture
def round_2025(db: Any) -> Round:
    return Round.objects.create(
        year=2025, opens_on=dt.date(2025, 2, 1), closes_on=dt.date(2025, 3, 31)
    )


@pytest.fixture
def analyst_client(client: Client, analyst: User) -> Client:
    page = client.post("/admin/login/", {"username": "anna", "password": "pw", "next": "/"})
    assert page.status_code == 302, "the analyst logs in through the login page"
    return client


def test_the_survey_import_page_refuses_it(
    analyst_client: Client, round_2025: Round, bomb: bytes
) -> None:
    upload = SimpleUploadedFile("svar.xlsx", bomb)
    page = analyst_client.post("/runder/2025/import/", {"file": upload})
    assert page.status_code == 400
    html = page.content.decode()
    assert "XLSX-filen fylder mere end 128 MB, når den pakkes ud" in html
    assert not Answer.objects.exists()


def test_the_benefits_import_page_refuses_it(analyst_client: Client, bomb: bytes) -> None:
    upload = SimpleUploadedFile("projekter.xlsx", bomb)
    page = analyst_client.post("/gevinster/projekter/import/", {"file": upload})
    assert page.status_code == 400
    assert "XLSX-filen fylder mere end 32 MB, når den pakkes ud" in page.content.decode()
    assert not Project.objects.exists()


@pytest.fixture
def bomb_file(tmp_path: Path, bomb: bytes) -> Path:
    path = tmp_path / "stor.xlsx"
    path.write_bytes(bomb)
    return path


def test_the_answer_import_command_refuses_it(round_2025: Round, bomb_file: Path) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_answers", str(bomb_file), "--round", "2025", stderr=err)
    assert "file: XLSX-filen fylder mere end 128 MB" in err.getvalue()


def test_the_project_import_command_refuses_it(bomb_file: Path) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_projects", str(bomb_file), stderr=err)
    assert "file: XLSX-filen fylder mere end 32 MB" in err.getvalue()


def test_the_population_import_refuses_it(bomb_file: Path) -> None:
    before = dict(Municipality.objects.values_list("code", "population"))
    with pytest.raises(CommandError, match="XLSX-filen fylder mere end 16 MB") as error:
        call_command("import_population", str(bomb_file))
    assert "nothing was changed" in str(error.value)
    assert dict(Municipality.objects.values_list("code", "population")) == before
