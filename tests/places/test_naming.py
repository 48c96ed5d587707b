"""A person may type a municipality's name, its official form or its code."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.places.naming import municipality_code

CSV = Path(__file__).resolve().parents[2] / "kommuneradar" / "places" / "municipalities.csv"
with CSV.open(encoding="utf-8") as handle:
    PAIRS = [(row["code"], row["name"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Vejle", "630"),
        ("vejle kommune", "630"),
        ("  VEJLE   Kommune ", "630"),
        ("630", "630"),
        ("0630", "630"),
        ("Københavns Kommune", "101"),
        ("København", "101"),
        ("Bornholms Regionskommune", "400"),
        ("Århus", "751"),
        ("Nordfyns Kommune", "480"),
        ("Halsnæs", "260"),
    ],
)
def test_names_official_forms_and_codes_are_found(typed: str, code: str) -> None:
    assert municipality_code(typed, PAIRS) == code


@pytest.mark.parametrize("typed", ["", "   ", "Atlantis", "999", "Kommune", "Vejl", "63"])
def test_anything_else_is_not_a_municipality(typed: str) -> None:
    assert municipality_code(typed, PAIRS) is None


@given(st.sampled_from(PAIRS), st.sampled_from(["{}", "{} Kommune", "{}".upper(), " {} "]))
def test_every_municipality_is_found_by_its_name_and_code(pair: tuple[str, str], form: str) -> None:
    code, name = pair
    assert municipality_code(form.format(name), PAIRS) == code
    assert municipality_code(form.format(name).upper(), PAIRS) == code
    assert municipality_code(code, PAIRS) == code
