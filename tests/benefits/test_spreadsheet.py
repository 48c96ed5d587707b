"""The pure spreadsheet reader: never raises, whatever the file holds."""

from __future__ import annotations

import io
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kommuneradar.benefits import spreadsheet as s
from kommuneradar.core.tabular import parse_decimal

LOOKUPS = s.Lookups(
    municipalities={"630": 1, "vejle": 1},
    technologies={"rpa": 2},
    domains={"borgerservice": 3},
    statuses={"i drift": "in_operation", "in operation": "in_operation"},
)
HEADER = [column.headings[0] for column in s.COLUMNS]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([b"", b"PK\x03\x04"]))
def test_reading_random_bytes_never_raises(content: bytes, start: bytes) -> None:
    s.read(io.BytesIO(start + content), LOOKUPS)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=len(HEADER)), max_size=6))
def test_checking_random_rows_never_raises_and_bad_rows_never_pass(rows: list[list[str]]) -> None:
    checked = s.check([HEADER, *rows], LOOKUPS)
    for row in checked.rows:
        assert row["municipality_id"] == 1
        assert row["hours_freed"] >= 0


def test_danish_and_english_numbers() -> None:
    assert parse_decimal("250.000") == Decimal(250000)
    assert parse_decimal("1.234,5") == Decimal("1234.5")
    assert parse_decimal("1,234.5") == Decimal("1234.5")
    assert parse_decimal("3,5") == Decimal("3.5")
    assert parse_decimal("1924.5") == Decimal("1924.5")
    assert parse_decimal("120.000 kr.") == Decimal(120000)


def test_headings_are_matched_loosely() -> None:
    checked = s.check([["Kommune", "TITEL", "teknologi"], ["630", "x", "rpa"]], LOOKUPS)
    assert {p.column for p in checked.problems} >= {"fagområde", "timer frigjort"}
