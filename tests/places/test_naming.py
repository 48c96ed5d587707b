"""One way to name a municipality in a file: code, zero-padded code, name, "X Kommune"."""

from __future__ import annotations

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
