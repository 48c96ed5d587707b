"""Numbers the Danish way, and export cells that a spreadsheet will not run."""

from __future__ import annotations

import pytest

from kommuneradar.core.formatting import dkk, number, percent, spreadsheet_safe


def test_danish_and_english_separators() -> None:
    assert number(1234567.891, 2) == "1.234.567,89"
    assert number(1234567.891, 2, "en") == "1,234,567.89"
    assert percent(0.645) == "65 %" and percent(0.645, language="en") == "65%"
    assert dkk(400000) == "400.000 kr." and dkk(None) == "–"


@pytest.mark.parametrize("text", ["=1+1", "+45 1234", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_would_run_as_a_formula_gets_an_apostrophe(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Vejle", "", 42, -3.5, None])
def test_other_values_pass_unchanged(value: object) -> None:
    assert spreadsheet_safe(value) == value
