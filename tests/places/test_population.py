"""Importing official populations from a Danmarks Statistik export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kommuneradar.places.models import Municipality

HEADER = '"FOLK1A: Befolkningen den 1. i kvartalet efter område og tid"\n;"2025K1"\n'


def write(tmp_path: Path, body: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "folk1a.csv"
    path.write_bytes((HEADER + body).encode(encoding))
    return path


def test_updates_populations_and_names_the_source(db: Any, tmp_path: Path) -> None:
    path = write(tmp_path, '"Hele landet";5961249\n"101 København";"667.099"\n"630 Vejle";121010\n')
    call_command("import_population", str(path), "--source", "DST FOLK1A 2025K1")
    assert Municipality.objects.get(code="101").population == 667099
    vejle = Municipality.objects.get(code="630")
    assert (vejle.population, vejle.population_source) == (121010, "DST FOLK1A 2025K1")


def test_reads_windows_1252_with_danish_letters(db: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "860 Hjørring;64000\n411 Christiansø;90\n", encoding="cp1252")
    call_command("import_population", str(path))
    assert Municipality.objects.get(code="860").population == 64000


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "101 København;667099\n999 Atlantis;12\n",
            "line 4, column A: Ukendt kommunekode 999.",
        ),
        (
            "101 København;667099\n630 Vejle;many\n",
            "line 4, column B: “many” er ikke et helt antal indbyggere over nul.",
        ),
        ("101 København;1\n101 København;2\n", "line 4, column A: Gentager linje 3."),
        ("630 Aarhus;1000\n", "line 3, column A: Koden tilhører 630 Vejle, ikke dette navn."),
        ("no municipalities here\n", "file: Ingen linje nævner en kommune som “101 København”."),
    ],
)
def test_a_bad_file_changes_nothing_and_names_the_line(
    db: Any, tmp_path: Path, body: str, message: str
) -> None:
    before = dict(Municipality.objects.values_list("code", "population"))
    with pytest.raises(CommandError) as error:
        call_command("import_population", str(write(tmp_path, body)))
    assert message in str(error.value) and "nothing was changed" in str(error.value)
    assert dict(Municipality.objects.values_list("code", "population")) == before


def test_a_missing_file_is_a_clear_error(db: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_population", str(tmp_path / "nope.csv"))


def test_reference_data_has_the_98_municipalities_in_five_regions(db: Any) -> None:
    assert Municipality.objects.count() == 98
    assert Municipality.objects.values("region").distinct().count() == 5
    assert Municipality.objects.get(code="101").name == "København"
