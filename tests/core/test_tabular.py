"""The one reader and the one writer (pure): Danish spreadsheets in, Danish Excel out, the
formula guard always on, and every limit checked before the work it bounds."""

from __future__ import annotations

import datetime as dt
import gc
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from kommuneradar.core import tabular as t
from kommuneradar.core.formatting import FORMULA_STARTS
from tests.spreadsheets import shared_strings_workbook, zip_bomb

LIMITS = t.Limits(file_bytes=1024 * 1024, expanded_bytes=4 * 1024 * 1024, rows=100, columns=10)


def read_all(data: bytes, limits: t.Limits = LIMITS, known: tuple[str, ...] = ()) -> Any:
    reader = t.Reader(io.BytesIO(data), limits, known)
    sheets = [(sheet.name, list(sheet.rows)) for sheet in reader.sheets()]
    return sheets, reader.problems


def codes(problems: list[t.Problem]) -> list[str]:
    return [p.code for p in problems]


# Reading


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [
        (b"navn;antal\r\nVejle;3\r\n", ";"),
        ("\ufeffnavn,antal\nVejle,3\n".encode(), ","),
        ("navn\tantal\nVejle\t3\n".encode("cp1252"), "\t"),
        (b"sep=,\nnavn,antal\nVejle,3\n", ","),
    ],
)
def test_it_reads_every_danish_csv_dialect(data: bytes, delimiter: str) -> None:
    sheets, problems = read_all(data)
    assert problems == []
    rows = sheets[0][1]
    assert [cells for _line, cells in rows] == [["navn", "antal"], ["Vejle", "3"]]
    assert rows[-1][0] == (3 if data.startswith(b"sep=") else 2)


def test_windows_1252_letters_survive() -> None:
    sheets, problems = read_all("kommune;by\nHjørring;Ærø\n".encode("cp1252"))
    assert problems == [] and sheets[0][1][1][1] == ["Hjørring", "Ærø"]


def test_the_sniffer_prefers_the_separator_that_finds_known_headings() -> None:
    text = "kommune,teknologi;x\n630,rpa;1\n"
    sheets, _problems = read_all(text.encode(), known=("kommune", "teknologi"))
    assert sheets[0][1][0][1] == ["kommune", "teknologi;x"]


def test_rows_columns_and_cells_beyond_the_limits_are_named() -> None:
    many_rows = "a\n" + "x\n" * 300
    assert codes(read_all(many_rows.encode())[1]) == [t.TOO_MANY_ROWS]
    wide = "a\n" + ";".join(["x"] * 11) + "\n"
    problems = read_all(wide.encode())[1]
    assert [(p.line, p.column, p.code) for p in problems] == [(2, "K", t.TOO_MANY_COLUMNS)]
    long_cell = "a;b\nx;" + "y" * 40_000 + "\n"
    limits = t.Limits(1024 * 1024, 4 * 1024 * 1024, 100, 10, cell_chars=1000, line_chars=50_000)
    problems = read_all(long_cell.encode(), limits)[1]
    assert [(p.line, p.column, p.code) for p in problems] == [(2, "B", t.CELL_TOO_LONG)]


def test_a_file_larger_than_the_limit_is_refused_before_reading() -> None:
    assert codes(read_all(b"a;b\n" * 300_000)[1]) == [t.TOO_LARGE]


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "data"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_cells_come_as_text_like_csv() -> None:
    data = _xlsx(
        [["kommune", "dato", "timer"], [630, dt.date(2024, 3, 1), 7.0], [751.0, None, 2.5]]
    )
    sheets, problems = read_all(data)
    assert problems == []
    assert sheets == [
        (
            "data",
            [
                (1, ["kommune", "dato", "timer"]),
                (2, ["630", "2024-03-01", "7"]),
                (3, ["751", "", "2.5"]),
            ],
        )
    ]


def test_an_xlsx_wider_than_the_limit_is_refused_at_its_first_wide_row() -> None:
    data = _xlsx([["a"], ["x"] * 30])
    problems = read_all(data)[1]
    assert [(p.sheet, p.line, p.code) for p in problems] == [("data", 2, t.TOO_MANY_COLUMNS)]


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_without_being_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bomb = zip_bomb(LIMITS.expanded_bytes + 1)
    assert len(bomb) < 100 * 1024  # small on the wire
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(m.file_size for m in archive.infolist()) > LIMITS.expanded_bytes

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the workbook must not be parsed")

    monkeypatch.setattr(t, "load_workbook", refuse)
    sheets, problems = read_all(bomb)
    assert sheets == []
    assert [(p.line, p.code, p.value) for p in problems] == [(0, t.EXPANDS_TOO_MUCH, "4")]


def test_an_xlsx_with_more_shared_text_than_the_limit_is_refused_without_being_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limits = t.Limits(1024 * 1024, 64 * 1024 * 1024, 100, shared_strings_bytes=1024 * 1024)
    monkeypatch.setattr(t, "load_workbook", None)  # calling it would fail the test
    sheets, problems = read_all(zip_bomb(2 * 1024 * 1024), limits)
    assert sheets == []
    assert [(p.line, p.code, p.value) for p in problems] == [(0, t.TOO_MUCH_TEXT, "1")]


def test_shared_strings_that_are_one_text_repeated_are_refused_however_small() -> None:
    bomb = zip_bomb(2 * 1024 * 1024, b"<si><t>a</t></si>")  # 120,000 one-letter texts
    assert len(bomb) < 20 * 1024
    limits = t.Limits(1024 * 1024, 64 * 1024 * 1024, 100)
    assert codes(read_all(bomb, limits)[1]) == [t.TOO_MUCH_TEXT]


def test_a_workbook_of_many_different_texts_is_read() -> None:
    texts = (
        f"<si><t>Erfaring nr. {n} med skærmbesøg i hjemmeplejen, uge {n % 52}</t></si>".encode()
        for n in range(40_000)
    )
    data = shared_strings_workbook(texts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size > 2 * 1024 * 1024
    sheets, problems = read_all(data, t.Limits(10 * 1024 * 1024, 64 * 1024 * 1024, 100))
    assert problems == []
    assert sheets[0][1][1] == (2, ["630", "Sundhed og ældre", "Skærmbesøg", "I drift"])


def test_a_zip_that_is_no_workbook_is_refused() -> None:
    assert codes(read_all(b"PK\x03\x04" + b"\x00" * 100)[1]) == [t.BAD_XLSX]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert codes(read_all(buffer.getvalue())[1]) == [t.BAD_XLSX]


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([b"", b"PK\x03\x04", b"\xef\xbb\xbf"]))
def test_reading_any_bytes_never_raises(content: bytes, start: bytes) -> None:
    sheets, _problems = read_all(start + content)
    for _name, rows in sheets:
        for _line, cells in rows:
            assert len(cells) <= LIMITS.columns


# Columns and parsers


def test_columns_are_matched_by_any_heading_and_parsed() -> None:
    columns = [
        t.Column("municipality", ("kommune", "municipality"), required=True),
        t.Column("hours", ("timer frigjort", "hours freed"), parse=t.amount, default=None),
        t.Column("start", ("startdato",), required=True, parse=t.parse_date),
    ]
    header = t.match_header(["Kommune", "TIMER_FRIGJORT", "andet"], columns)
    assert header.positions == {"municipality": 0, "hours": 1}
    assert header.missing == ["startdato"]
    problems: list[t.Problem] = []
    header = t.match_header(["kommune", "timer frigjort", "startdato"], columns)
    values = t.parse_cells(4, ["Vejle", "1.234,5", "31-12-2023"], header, columns, problems)
    assert values == {
        "municipality": "Vejle",
        "hours": Decimal("1234.5"),
        "start": dt.date(2023, 12, 31),
    }
    t.parse_cells(5, ["", "-3", "i morgen"], header, columns, problems)
    assert [(p.line, p.column, p.code, p.value) for p in problems] == [
        (5, "kommune", t.REQUIRED, ""),
        (5, "timer frigjort", t.NEGATIVE, "-3"),
        (5, "startdato", t.NOT_A_DATE, "i morgen"),
    ]


AT_ONCE_COLUMNS = [
    t.Column(
        "municipality", ("kommune",), required=True, parse=t.one_of({"vejle": 630}), default=0
    ),
    t.Column("hours", ("timer",), parse=t.amount, default=None),
    t.Column("start", ("startdato",), required=True, parse=t.parse_date),
    t.Column("stage", ("stadie",), required=True, empty_ok=True),
    t.Column("absent", ("mangler",), parse=t.yes_no, default=False),
]
AT_ONCE_HEADER = t.match_header(["stadie", "kommune", "timer", "startdato"], AT_ONCE_COLUMNS)
AT_ONCE_CELLS = st.lists(
    st.sampled_from(["", " ", "Vejle", " vejle ", "Aarhus", "1.234,5", "-3", "31-12-2023", "x"]),
    max_size=5,
)


@given(st.lists(AT_ONCE_CELLS, max_size=8))
def test_parsing_columns_at_once_accepts_exactly_what_parse_cells_accepts(
    rows: list[list[str]],
) -> None:
    at_once = t.ColumnParser(AT_ONCE_HEADER, AT_ONCE_COLUMNS)
    values = at_once.parse(rows)
    problems: list[t.Problem] = []
    one_by_one = [
        t.parse_cells(line, cells, AT_ONCE_HEADER, AT_ONCE_COLUMNS, problems)
        for line, cells in enumerate(rows)
    ]
    if problems:
        assert values is None
    else:
        assert values is not None
        assert [{key: column[n] for key, column in values.items()} for n in range(len(rows))] == (
            one_by_one
        )
    assert at_once.parse(rows) == values  # what it remembered changes nothing


def test_problems_are_printed_one_way() -> None:
    assert t.where(t.Problem(4, "kommune", t.UNKNOWN, "x", "svar")) == (
        "sheet svar, line 4, column kommune"
    )
    assert t.where(t.Problem(0, "", t.EMPTY)) == "file"


@given(st.text(max_size=40))
def test_normalise_is_idempotent(text: str) -> None:
    assert t.normalise(t.normalise(text)) == t.normalise(text)


# Writing

FIELDS = [t.Field("name", "navn"), t.Field("value", "værdi")]
plain_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(
    str.strip
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(plain_text, plain_text), max_size=8))
def test_csv_round_trip_gives_the_written_values(rows: list[tuple[str, str]]) -> None:
    records = [{"name": name, "value": value} for name, value in rows]
    data = t.csv_bytes(FIELDS, records)
    assert data.startswith(b"\xef\xbb\xbf")
    sheets, problems = read_all(data, t.Limits(10**7, 10**7, 1000, 10))
    assert problems == []
    read = [cells + [""] * (2 - len(cells)) for _line, cells in sheets[0][1]]
    assert read[0] == ["navn", "værdi"]
    assert read[1:] == [[t.csv_cell(name), t.csv_cell(value)] for name, value in rows]
    for (name, value), cells in zip(rows, read[1:], strict=True):
        for typed, cell in ((name, cells[0]), (value, cells[1])):
            assert cell == (typed if not typed.startswith(FORMULA_STARTS) else "'" + typed)


@given(st.text(max_size=30))
def test_the_formula_guard_is_always_applied(text: str) -> None:
    for cell in (t.csv_cell(text), t.xlsx_cell(text), t.csv_cell([text, "x"])):
        assert not str(cell).startswith(FORMULA_STARTS)


numbers = st.one_of(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9
    ),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
)


@given(numbers)
def test_decimals_are_written_with_a_comma_and_read_back_exactly(number: Decimal | float) -> None:
    cell = t.csv_cell(number)
    assert "." not in cell and "e" not in cell.lower()
    assert t.parse_decimal(cell) == Decimal(str(number))


def test_csv_follows_danish_excel() -> None:
    record = {"name": "Hjørring", "value": 220.1037, "flag": True, "when": dt.date(2024, 5, 1)}
    fields = [*FIELDS, t.Field("flag", "offentlig"), t.Field("when", "dato")]
    text = t.csv_bytes(fields, [record]).decode("utf-8")
    assert text == "\ufeffnavn;værdi;offentlig;dato\r\nHjørring;220,1037;ja;2024-05-01\r\n"


def test_xlsx_writes_numbers_as_numbers_under_a_header_row() -> None:
    records = [{"name": "=1+1", "value": Decimal("2.5")}, {"name": "Vejle", "value": 3}]
    workbook = load_workbook(io.BytesIO(t.xlsx_bytes(FIELDS, records, "ark")))
    sheet = workbook["ark"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["navn", "værdi"],
        ["'=1+1", 2.5],
        ["Vejle", 3],
    ]
    assert sheet["A1"].font.b


def test_json_keeps_codes_and_dot_decimals() -> None:
    data = t.json_bytes(
        [{"stage": "in_operation", "fte": Decimal("1.25"), "on": dt.date(2024, 1, 2)}]
    )
    assert b'"fte": 1.25' in data and b'"stage": "in_operation"' in data and b"2024-01-02" in data


def test_the_cycle_collector_runs_again_after_a_file_is_read_even_when_reading_fails() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), t.cycles_collected_after():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with t.cycles_collected_after():
            pass
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()


def test_the_same_records_give_the_same_workbook_bytes_at_any_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two downloads of one edition are the same file, whenever they are made (openpyxl's own
    save stamps the zip entries and the properties with the time of writing)."""
    import time

    fields = [t.Field("name", "Navn"), t.Field("count", "Antal")]
    records = [{"name": "Vejle", "count": 3}, {"name": "Århus", "count": 1.5}]
    first = t.xlsx_bytes(fields, records, "data")
    later = time.time() + 3 * 86_400
    monkeypatch.setattr(time, "time", lambda: later)
    second = t.xlsx_bytes(fields, records, "data")
    assert first == second
    sheet = load_workbook(io.BytesIO(second)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Navn", "Antal"],
        ["Vejle", 3],
        ["Århus", 1.5],
    ]
