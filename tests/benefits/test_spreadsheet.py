"""The pure spreadsheet reader: never raises, whatever the file holds."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kommuneradar.benefits import spreadsheet as s

LOOKUPS = s.Lookups(
    municipalities={"630": 1, "vejle": 1},
    technologies={"rpa": 2},
    domains={"borgerservice": 3},
    statuses={"i drift": "in_operation", "in operation": "in_operation"},
)
HEADER = [aliases[0] for aliases in s.COLUMNS.values()]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["x.csv", "x.xlsx", "x.txt"]))
def test_reading_random_bytes_never_raises(content: bytes, name: str) -> None:
    table, problems = s.read_table(content, name)
    if not problems:
        s.check(table, LOOKUPS)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=len(HEADER)), max_size=6))
def test_checking_random_rows_never_raises_and_bad_rows_never_pass(rows: list[list[str]]) -> None:
    checked = s.check([HEADER, *rows], LOOKUPS)
    for row in checked.rows:
        assert row["municipality_id"] == 1
        assert row["hours_freed"] >= 0


def test_danish_and_english_numbers() -> None:
    assert s._decimal("250.000") == Decimal(250000)
    assert s._decimal("1.234,5") == Decimal("1234.5")
    assert s._decimal("1,234.5") == Decimal("1234.5")
    assert s._decimal("3,5") == Decimal("3.5")
    assert s._decimal("1924.5") == Decimal("1924.5")
    assert s._decimal("120.000 kr.") == Decimal(120000)


def test_headings_are_matched_loosely() -> None:
    checked = s.check([["Kommune", "TITEL", "teknologi"], ["630", "x", "rpa"]], LOOKUPS)
    assert {p.column for p in checked.problems} >= {"fagområde", "timer frigjort"}
