"""One way to name a municipality in a file: code, zero-padded code, name, "X Kommune"."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.places.models import Municipality
from kommuneradar.places.naming import find_municipality, municipality_key, municipality_table

ROWS = [
    (1, "630", "Vejle", "vejle"),
    (2, "101", "København", "koebenhavn"),
    (3, "400", "Bornholm", "bornholm"),
]
TABLE = municipality_table(ROWS)


@pytest.mark.parametrize(
    ("text", "pk"),
    [
        ("Vejle", 1),
        ("Vejle Kommune", 1),
        ("vejle kommune", 1),
        ("  VEJLE  ", 1),
        ("630", 1),
        ("0630", 1),
        ("Københavns Kommune", 2),
        ("koebenhavn", 2),
        ("Bornholms Regionskommune", 3),
    ],
)
def test_every_usual_way_of_naming_a_municipality_finds_it(text: str, pk: int) -> None:
    assert find_municipality(TABLE, text) == pk


@pytest.mark.parametrize("text", ["Atlantis", "63", "6300", "Kommune", ""])
def test_other_names_find_nothing(text: str) -> None:
    assert find_municipality(TABLE, text) is None


@given(st.text(max_size=30))
def test_the_key_is_stable(text: str) -> None:
    assert municipality_key(municipality_key(text)) == municipality_key(text)


def test_the_lookup_table_covers_all_98(db: Any) -> None:
    table = Municipality.objects.lookup_table()
    for municipality in Municipality.objects.all():
        for text in (municipality.code, municipality.name, f"{municipality.name} Kommune"):
            assert find_municipality(table, text) == municipality.pk, text


CSV = Path(__file__).resolve().parents[2] / "kommuneradar" / "places" / "municipalities.csv"
with CSV.open(encoding="utf-8") as handle:
    PAIRS = [(row["code"], row["name"]) for row in csv.DictReader(handle)]
BY_CODE = municipality_table((code, code, name, name) for code, name in PAIRS)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Vejle", "630"),
        ("  VEJLE   Kommune ", "630"),
        ("København", "101"),
        ("Århus", "751"),
        ("Nordfyns Kommune", "480"),
        ("Halsnæs", "260"),
    ],
)
def test_what_a_person_types_in_a_filter_finds_the_code(typed: str, code: str) -> None:
    assert find_municipality(BY_CODE, typed) == code


@pytest.mark.parametrize("typed", ["", "   ", "Atlantis", "999", "Kommune", "Vejl", "63"])
def test_anything_else_is_not_a_municipality(typed: str) -> None:
    assert find_municipality(BY_CODE, typed) is None


@given(st.sampled_from(PAIRS), st.sampled_from(["{}", "{} Kommune", " {} "]))
def test_every_municipality_is_found_by_its_name_and_code(pair: tuple[str, str], form: str) -> None:
    code, name = pair
    assert find_municipality(BY_CODE, form.format(name)) == code
    assert find_municipality(BY_CODE, form.format(name).upper()) == code
    assert find_municipality(BY_CODE, code) == code
