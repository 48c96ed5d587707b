"""Every upload and import command refuses an XLSX that unpacks beyond its limit, or whose
shared strings (held in memory whole) exceed theirs, with a clear message, before the
workbook is parsed: a small file that would otherwise cost minutes of CPU and gigabytes of
memory."""

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

MB = 1024 * 1024
# Two crafted files: one beyond every importer's limit on what a workbook unpacks to (the
# largest is 512 MB), one within the survey import's but beyond every limit on shared strings.
SIZES = {"unpacks": 520 * MB, "text": 20 * MB}
UNPACKS = "XLSX-filen fylder mere end {} MB, når den pakkes ud"
TEXT = "XLSX-filen indeholder mere end {} MB tekst"
SURVEY_MESSAGES = {"unpacks": UNPACKS.format(512), "text": TEXT.format(8)}
PROJECT_MESSAGES = {"unpacks": UNPACKS.format(32), "text": TEXT.format(4)}
POPULATION_MESSAGES = {"unpacks": UNPACKS.format(16), "text": UNPACKS.format(16)}
_made: dict[str, bytes] = {}


@pytest.fixture(params=sorted(SIZES))
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def bomb(kind: str) -> bytes:
    if kind not in _made:
        _made[kind] = zip_bomb(SIZES[kind])
    assert len(_made[kind]) < 2 * MB  # a small upload (about 1.1 MB for 520 MB unpacked)
    return _made[kind]


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
    analyst_client: Client, round_2025: Round, bomb: bytes, kind: str
) -> None:
    upload = SimpleUploadedFile("svar.xlsx", bomb)
    page = analyst_client.post("/runder/2025/import/", {"file": upload}, follow=True)
    assert page.redirect_chain[0][0].startswith("/opgaver/")  # the import job's page
    assert SURVEY_MESSAGES[kind] in page.content.decode()
    assert not Answer.objects.exists()


def test_the_benefits_import_page_refuses_it(
    analyst_client: Client, bomb: bytes, kind: str
) -> None:
    upload = SimpleUploadedFile("projekter.xlsx", bomb)
    page = analyst_client.post("/gevinster/projekter/import/", {"file": upload})
    assert page.status_code == 400
    assert PROJECT_MESSAGES[kind] in page.content.decode()
    assert not Project.objects.exists()


@pytest.fixture
def bomb_file(tmp_path: Path, bomb: bytes) -> Path:
    path = tmp_path / "stor.xlsx"
    path.write_bytes(bomb)
    return path


def test_the_answer_import_command_refuses_it(
    round_2025: Round, bomb_file: Path, kind: str
) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_answers", str(bomb_file), "--round", "2025", stderr=err)
    assert f"file: {SURVEY_MESSAGES[kind]}" in err.getvalue()


def test_the_project_import_command_refuses_it(bomb_file: Path, kind: str) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_projects", str(bomb_file), stderr=err)
    assert f"file: {PROJECT_MESSAGES[kind]}" in err.getvalue()


def test_the_population_import_refuses_it(bomb_file: Path, kind: str) -> None:
    before = dict(Municipality.objects.values_list("code", "population"))
    with pytest.raises(CommandError) as error:
        call_command("import_population", str(bomb_file))
    assert f"file: {POPULATION_MESSAGES[kind]}" in str(error.value)
    assert "nothing was changed" in str(error.value)
    assert dict(Municipality.objects.values_list("code", "population")) == before
