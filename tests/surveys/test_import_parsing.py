"""The parse step of the import (pure): what Danish spreadsheets look like, and what is refused."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from kommuneradar.core import tabular as t
from kommuneradar.places.naming import municipality_key
from kommuneradar.surveys import importing as imp
from kommuneradar.surveys import rules
from kommuneradar.surveys import vocabulary as v

VEJLE, AARHUS = 1, 2
HEALTH, SOCIAL = 10, 11
SCREEN, RPA = 100, 101


def _catalogue() -> imp.Catalogue:
    def keys(pairs: dict[str, int]) -> dict[str, int]:
        return {t.normalise(k): pk for k, pk in pairs.items()}

    return imp.Catalogue(
        municipalities={
            municipality_key(k): pk
            for k, pk in {"630": VEJLE, "Vejle": VEJLE, "751": AARHUS, "Aarhus": AARHUS}.items()
        },
        domains=keys({"sundhed-og-aeldre": HEALTH, "Sundhed og ældre": HEALTH, "Social": SOCIAL}),
        technologies=keys(
            {
                "skaermbesoeg": SCREEN,
                "Skærmbesøg": SCREEN,
                "rpa": RPA,
                "Robotic Process Automation": RPA,
            }
        ),
        relevant=frozenset({(HEALTH, SCREEN), (HEALTH, RPA), (SOCIAL, RPA)}),
    )


CATALOGUE = _catalogue()
HEADER = "kommune;fagområde;teknologi;stadie;effektivisering;kvalitet;trivsel;kommentar"


def parse_text(text: str, encoding: str = "utf-8") -> imp.Parsed:
    return imp.parse(io.BytesIO(text.encode(encoding)), CATALOGUE)


def codes(parsed: imp.Parsed) -> list[tuple[int, str, str]]:
    return [(p.line, p.column, p.code) for p in parsed.problems]


def test_it_reads_semicolon_windows_1252_with_danish_labels() -> None:
    text = (
        HEADER + "\r\n"
        "Vejle Kommune;Sundhed og ældre;Skærmbesøg;I drift;Stor;Nogen;Ved ikke;Godt\r\n"
        "751;Sundhed og ældre;Skærmbesøg;Afprøver;Ingen;Nogen;Stor;\r\n"
        "630;Sundhed og ældre;Robotic Process Automation;Overvejer ikke;;;;\r\n"
        "751;Social;RPA;Ikke relevant;;;;\r\n"
    )
    parsed = parse_text(text, "cp1252")
    assert parsed.problems == []
    assert [(a.municipality_id, a.domain_id, a.technology_id, a.stage) for a in parsed.answers] == [
        (VEJLE, HEALTH, SCREEN, v.IN_OPERATION),
        (AARHUS, HEALTH, SCREEN, v.PILOTING),
        (VEJLE, HEALTH, RPA, v.NOT_CONSIDERING),
        (AARHUS, SOCIAL, RPA, v.NOT_RELEVANT),
    ]
    first = parsed.answers[0]
    assert (first.efficiency, first.quality, first.wellbeing) == ("large", "some", "dont_know")
    assert first.comment == "Godt"


def test_it_reads_utf8_with_bom_and_commas_and_code_names() -> None:
    text = (
        "\ufeffmunicipality,domain,technology,stage,efficiency,quality,wellbeing\n"
        "630,sundhed-og-aeldre,skaermbesoeg,scaled,large,large,some\n"
        '751,sundhed-og-aeldre,rpa,"Udbredt i hele organisationen",some,none,none\n'
    )
    parsed = parse_text(text)
    assert parsed.problems == []
    assert [a.stage for a in parsed.answers] == [v.SCALED, v.SCALED]


def test_every_danish_stage_label_is_understood() -> None:
    labels = {
        "I drift": v.IN_OPERATION,
        "Afprøver": v.PILOTING,
        "Overvejer": v.CONSIDERING,
        "Overvejer ikke": v.NOT_CONSIDERING,
        "Ikke relevant": v.NOT_RELEVANT,
        "Udbredt i hele organisationen": v.SCALED,
        "Udfaset": v.DISCONTINUED,
    }
    for label, code in labels.items():
        assert imp.STAGE_LABELS[t.normalise(label)] == code
        assert imp.STAGE_LABELS[t.normalise(code)] == code


def test_a_multiline_comment_keeps_line_numbers_right() -> None:
    text = (
        HEADER + "\n"
        '630;Sundhed og ældre;Skærmbesøg;I drift;Stor;Stor;Stor;"to\nlinjer"\n'
        "999;Sundhed og ældre;Skærmbesøg;I drift;;;;\n"
    )
    parsed = parse_text(text)
    assert codes(parsed) == [(4, "kommune", imp.UNKNOWN_MUNICIPALITY)]


def _xlsx(rows: list[list[Any]], ratings: list[list[Any]] | None = None) -> bytes:
    workbook = Workbook()
    guide = workbook.active
    guide.title = "vejledning"
    guide.append(["Skriv svarene i arket svar"])
    answers = workbook.create_sheet("svar")
    for row in rows:
        answers.append(row)
    if ratings is not None:
        sheet = workbook.create_sheet("modenhed")
        for row in ratings:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_reads_xlsx_with_numeric_codes_and_a_ratings_sheet() -> None:
    data = _xlsx(
        [
            HEADER.split(";"),
            [630, "Sundhed og ældre", "Skærmbesøg", "I drift", "Stor", "Stor", "Nogen", None],
            [751.0, "Sundhed og ældre", "RPA", "Overvejer", "Nogen", None, None, "måske"],
        ],
        [["teknologi", "modenhed", "begrundelse"], ["Skærmbesøg", 8, "udbredt"], ["RPA", 7.0, ""]],
    )
    parsed = imp.parse(io.BytesIO(data), CATALOGUE)
    assert parsed.problems == []
    assert [(a.municipality_id, a.stage) for a in parsed.answers] == [
        (VEJLE, v.IN_OPERATION),
        (AARHUS, v.CONSIDERING),
    ]
    assert [(r.technology_id, r.rating) for r in parsed.ratings] == [(SCREEN, 8), (RPA, 7)]


def test_xlsx_problems_name_sheet_row_and_column() -> None:
    data = _xlsx([HEADER.split(";"), [630, "Sundhed og ældre", "Hoverboards", "I drift"]])
    parsed = imp.parse(io.BytesIO(data), CATALOGUE)
    assert [(p.sheet, p.line, p.column, p.code) for p in parsed.problems] == [
        ("svar", 2, "teknologi", imp.UNKNOWN_TECHNOLOGY)
    ]


def test_a_damaged_xlsx_is_refused_clearly() -> None:
    parsed = imp.parse(io.BytesIO(b"PK\x03\x04" + b"\x00" * 500), CATALOGUE)
    assert codes(parsed) == [(0, "", t.BAD_XLSX)]


def test_it_names_an_unknown_municipality_with_line_and_column() -> None:
    parsed = parse_text(HEADER + "\nAtlantis;Sundhed og ældre;Skærmbesøg;I drift;;;;\n")
    assert codes(parsed) == [(2, "kommune", imp.UNKNOWN_MUNICIPALITY)]
    assert parsed.problems[0].value == "Atlantis"
    assert parsed.answers == []


def test_it_names_an_unknown_technology() -> None:
    parsed = parse_text(HEADER + "\n630;Sundhed og ældre;Teleportation;I drift;;;;\n")
    assert codes(parsed) == [(2, "teknologi", imp.UNKNOWN_TECHNOLOGY)]


def test_it_refuses_a_technology_outside_the_domain() -> None:
    parsed = parse_text(HEADER + "\n630;Social;Skærmbesøg;I drift;;;;\n")
    assert codes(parsed) == [(2, "teknologi", imp.NOT_IN_DOMAIN)]


def test_it_names_a_duplicate_row_and_its_first_line() -> None:
    row = "630;Sundhed og ældre;Skærmbesøg;I drift;;;;\n"
    parsed = parse_text(
        HEADER + "\n" + row + "751;Social;RPA;Udfaset;;;;\n" + row.replace("630", "Vejle")
    )
    assert codes(parsed) == [(4, "teknologi", t.DUPLICATE)]
    assert parsed.problems[0].value == "2"


def test_it_lists_every_problem_of_a_row() -> None:
    parsed = parse_text(HEADER + "\n630;Sundhed og ældre;Skærmbesøg;Måske;Enorm;;;\n")
    assert codes(parsed) == [
        (2, "stadie", rules.UNKNOWN_STAGE),
        (2, "effektivisering", rules.UNKNOWN_VALUE),
    ]


def test_a_value_for_a_not_relevant_technology_is_refused() -> None:
    parsed = parse_text(HEADER + "\n630;Sundhed og ældre;Skærmbesøg;Ikke relevant;Stor;;;\n")
    assert codes(parsed) == [(2, "effektivisering", rules.VALUE_FOR_NOT_RELEVANT)]


def test_an_empty_file_is_refused() -> None:
    assert codes(parse_text("")) == [(0, "", t.EMPTY)]
    assert codes(parse_text("\r\n  \n")) == [(0, "", t.EMPTY)]


def test_a_header_without_rows_is_refused() -> None:
    assert codes(parse_text(HEADER + "\n;;;;;;;\n")) == [(0, "", t.NO_ROWS)]


def test_missing_required_columns_are_named() -> None:
    parsed = parse_text("kommune;teknologi\n630;RPA\n")
    assert codes(parsed) == [(1, "fagområde", t.MISSING_COLUMNS), (1, "stadie", t.MISSING_COLUMNS)]


class CountingReader(io.RawIOBase):
    """A file that counts how many bytes the parser actually reads."""

    def __init__(self, path: str) -> None:
        self.handle = open(path, "rb")  # noqa: SIM115
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.handle.seek(offset, whence)

    def tell(self) -> int:
        return self.handle.tell()

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        data = self.handle.read(len(buffer))
        buffer[: len(data)] = data
        self.bytes_read += len(data)
        return len(data)

    def close(self) -> None:
        self.handle.close()
        super().close()


@pytest.fixture
def garbage_file() -> Iterator[str]:
    """50 MB of random bytes in a temporary file."""
    handle, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "wb") as out:
        for _ in range(50):
            out.write(os.urandom(1024 * 1024))
    yield path
    os.unlink(path)


def test_a_50_mb_garbage_file_is_refused_from_its_first_bytes(garbage_file: str) -> None:
    reader = CountingReader(garbage_file)
    try:
        parsed = imp.parse(reader, CATALOGUE)  # type: ignore[arg-type]
    finally:
        reader.close()
    assert len(parsed.problems) == 1
    assert parsed.problems[0].code in {t.BINARY, t.LINE_TOO_LONG, t.NO_HEADER}
    assert reader.bytes_read <= t.SAMPLE_BYTES


def test_50_mb_of_text_garbage_is_refused_without_reading_it_all() -> None:
    with tempfile.TemporaryFile() as out:
        line = b"qwe;rty;uio;asd\n" * 4096
        for _ in range(50 * 1024 * 1024 // len(line)):
            out.write(line)
        out.seek(0)
        parsed = imp.parse(out, CATALOGUE)
    assert codes(parsed) == [(1, "", t.NO_HEADER)]


def test_a_huge_line_after_a_good_header_stops_the_parse() -> None:
    text = HEADER + "\n" + "x" * (imp.LIMITS.line_chars * 3) + "\n"
    parsed = parse_text(text)
    assert codes(parsed) == [(2, "", t.LINE_TOO_LONG)]


def test_a_file_of_bad_rows_stops_after_the_error_limit() -> None:
    rows = "".join(f"{n};Nowhere;Nothing;Never;;;;\n" for n in range(t.MAX_ERRORS))
    parsed = parse_text(HEADER + "\n" + rows)
    assert parsed.problems[-1].code == t.TOO_MANY_ERRORS
    assert len(parsed.problems) == t.MAX_ERRORS + 1


BIG = imp.Catalogue(
    municipalities={f"m{n}": n for n in range(100)},
    domains={"health": HEALTH},
    technologies={f"t{n}": 1000 + n for n in range(100)},
    relevant=frozenset((HEALTH, 1000 + n) for n in range(100)),
)


def _big_lines(count: int) -> list[str]:
    """A header and `count` distinct good rows against BIG."""
    rows = [f"m{n // 100};health;t{n % 100};I drift;Stor;Nogen;;svar {n}" for n in range(count)]
    return [HEADER, *rows]


def test_one_bad_row_among_10000_good_ones_is_named() -> None:
    lines = _big_lines(10_000)
    lines[7_778] = "m77;health;t77;Kører vist;Stor;;;"
    parsed = imp.parse(io.BytesIO(("\n".join(lines) + "\n").encode()), BIG)
    assert codes(parsed) == [(7_779, "stadie", rules.UNKNOWN_STAGE)]
    assert parsed.rows_read == 10_000
    assert len(parsed.answers) == 9_999


def test_progress_is_reported_while_reading() -> None:
    reports: list[tuple[float, int]] = []
    text = "\n".join(_big_lines(imp.PROGRESS_EVERY * 2)) + "\n"
    imp.parse(io.BytesIO(text.encode()), BIG, lambda share, rows: reports.append((share, rows)))
    assert len(reports) >= 3
    assert reports[-1] == (1.0, imp.PROGRESS_EVERY * 2)
    assert all(0 <= share <= 1 for share, _ in reports)


@given(st.text(max_size=40))
def test_normalise_is_idempotent(text: str) -> None:
    assert t.normalise(t.normalise(text)) == t.normalise(text)


@given(st.sampled_from(sorted(imp.STAGE_LABELS)), st.sampled_from(["", " ", "  "]))
def test_stage_labels_ignore_case_and_spacing(label: str, pad: str) -> None:
    assert imp.STAGE_LABELS[t.normalise(pad + label.upper() + pad)] == imp.STAGE_LABELS[label]


@given(st.lists(st.sampled_from(["630", "Vejle", "751", "Aarhus", "101"]), max_size=30))
def test_every_row_is_either_kept_or_named(municipalities: list[str]) -> None:
    rows = [f"{m};Social;RPA;Overvejer;;;;" for m in municipalities]
    parsed = parse_text("\n".join([HEADER, *rows]) + "\n")
    named = {p.line for p in parsed.problems}
    kept = {a.line for a in parsed.answers}
    if rows:
        assert named | kept == set(range(2, len(rows) + 2))
        assert not named & kept


# Rows are checked many at once, column by column (`_Sheet.answers_at_once`); any row with a
# problem sends its batch back through the row-by-row check, which names every problem. These
# tests hold the two to the same result: the same problems, in the same order, and the same rows.


def parse_row_by_row(data: bytes, catalogue: imp.Catalogue = CATALOGUE) -> imp.Parsed:
    """What `parse` gives when every row is checked on its own (the reference)."""
    with patch.object(imp._Sheet, "answers_at_once", lambda self, rows: False):
        return imp.parse(io.BytesIO(data), catalogue)


def parse_in_batches(data: bytes, size: int, catalogue: imp.Catalogue = CATALOGUE) -> imp.Parsed:
    with patch.object(imp, "PROGRESS_EVERY", size):
        return imp.parse(io.BytesIO(data), catalogue)


def assert_same(parsed: imp.Parsed, reference: imp.Parsed) -> None:
    assert parsed.problems == reference.problems
    assert parsed.answers == reference.answers
    assert parsed.rows_read == reference.rows_read


WIDE = imp.Catalogue(
    municipalities={
        **CATALOGUE.municipalities,
        **{municipality_key(str(code)): code for code in range(101, 161)},
    },
    domains=CATALOGUE.domains,
    technologies=CATALOGUE.technologies,
    relevant=CATALOGUE.relevant,
)
GOOD_MUNICIPALITIES = ["630", "Vejle", " 751 ", "Aarhus Kommune", *map(str, range(101, 161))]
GOOD_PAIRS = [  # (domain, technology) as a file may name them, each relevant
    ("sundhed-og-aeldre", "Skærmbesøg"),
    ("Sundhed og ældre", "rpa"),
    ("Social", "Robotic Process Automation"),
]
BAD_CELLS = [  # (column index, a cell with a problem)
    (0, "Atlantis"),
    (0, ""),
    (1, "Nowhere"),
    (1, ""),
    (2, "Tidsmaskine"),
    (2, "Skærmbesøg"),  # outside the domain, unless the domain is Sundhed og ældre
    (3, "Kører vist"),
    (3, ""),
    (3, "ikke relevant"),  # refused when a value is given
    (4, "Meget"),
    (6, "Meget"),
]


@st.composite
def answer_rows(draw: Any) -> str:
    """One line of a file: mostly a good row, now and then one with a bad or missing cell,
    a short row or an empty one."""
    domain, technology = draw(st.sampled_from(GOOD_PAIRS))
    value = st.sampled_from(["", "Stor", "nogen", "Ved ikke"])
    cells = [
        draw(st.sampled_from(GOOD_MUNICIPALITIES)),
        domain,
        technology,
        draw(st.sampled_from(["I drift", "overvejer", "Udbredt"])),
        draw(value),
        draw(value),
        draw(value),
        draw(st.sampled_from(["", "ok", 'med "citat"; og semikolon'])),
    ]
    if draw(st.integers(0, 3)) == 0:
        index, text = draw(st.sampled_from(BAD_CELLS))
        cells[index] = text
    cells = cells[: draw(st.sampled_from([*[8] * 12, 5, 3, 0]))]
    return ";".join(f'"{c}"' if '"' in c or ";" in c else c for c in cells)


@given(st.lists(answer_rows(), max_size=25), st.sampled_from([1, 2, 3, 7]))
def test_checking_rows_at_once_finds_what_checking_each_row_finds(
    rows: list[str], size: int
) -> None:
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    assert_same(parse_in_batches(data, size, WIDE), parse_row_by_row(data, WIDE))


def test_a_duplicate_in_a_later_batch_names_the_first_line() -> None:
    lines = _big_lines(5_000)
    lines[4_500] = lines[210]  # line 4501 repeats line 211
    data = ("\n".join(lines) + "\n").encode()
    parsed = imp.parse(io.BytesIO(data), BIG)
    assert codes(parsed) == [(4_501, "teknologi", t.DUPLICATE)]
    assert parsed.problems[0].value == "211"
    assert_same(parsed, parse_row_by_row(data, BIG))


def test_bad_rows_either_side_of_a_batch_boundary_are_each_named() -> None:
    lines = _big_lines(3 * imp.PROGRESS_EVERY)
    for index in (imp.PROGRESS_EVERY, imp.PROGRESS_EVERY + 1, 2 * imp.PROGRESS_EVERY + 1):
        lines[index] = lines[index].replace(";health;", ";Nowhere;").replace(";Stor;", ";Meget;")
    data = ("\n".join(lines) + "\n").encode()
    parsed = imp.parse(io.BytesIO(data), BIG)
    assert [(p.line, p.column, p.code) for p in parsed.problems] == [
        (line, column, code)
        for line in (imp.PROGRESS_EVERY + 1, imp.PROGRESS_EVERY + 2, 2 * imp.PROGRESS_EVERY + 2)
        for column, code in (
            ("fagområde", imp.UNKNOWN_DOMAIN),
            ("effektivisering", rules.UNKNOWN_VALUE),
        )
    ]
    assert len(parsed.answers) == 3 * imp.PROGRESS_EVERY - 3
    assert_same(parsed, parse_row_by_row(data, BIG))


def test_the_error_limit_stops_before_what_the_reader_finds_further_on() -> None:
    """The rows after the limit are not read for problems, even when read ahead."""
    rows = [f"{n};Nowhere;Nothing;Never;;;;" for n in range(t.MAX_ERRORS)]
    data = ("\n".join([HEADER, *rows, "x" * (imp.LIMITS.line_chars * 2)]) + "\n").encode()
    parsed = parse_in_batches(data, 2_000)
    assert parsed.problems[-1].code == t.TOO_MANY_ERRORS
    assert t.LINE_TOO_LONG not in {p.code for p in parsed.problems}
    assert_same(parsed, parse_row_by_row(data))


def test_xlsx_rows_checked_at_once_find_what_each_row_finds() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "svar"
    sheet.append(HEADER.split(";"))
    for n in range(30):
        sheet.append(
            [630, "Social", "rpa" if n else "Tidsmaskine", "I drift", "Stor", None, None, f"{n}"]
        )
        sheet.append([751.0, "Sundhed og ældre", "Skærmbesøg", "Overvejer", None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    parsed = parse_in_batches(data, 4)
    assert [(p.sheet, p.line, p.code) for p in parsed.problems][:2] == [
        ("svar", 2, imp.UNKNOWN_TECHNOLOGY),
        ("svar", 5, t.DUPLICATE),
    ]
    assert_same(parsed, parse_row_by_row(data))
