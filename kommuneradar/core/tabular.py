"""Spreadsheets in and out: the one reader and the one writer (pure, no Django).

Reading accepts what Danish spreadsheets really look like: CSV in UTF-8 (with or without
BOM) or Windows-1252, separated by semicolons, commas or tabs (or as Excel's `sep=` first
line says), and XLSX workbooks read as a stream. Every limit is checked before or while
parsing, never after loading the whole file: the file's size, what an XLSX expands to (the
zip members' declared sizes, which the zip reader also enforces), rows, columns and the
length of a cell. What is wrong is a `Problem` (line, column, code, value); the Django
layer turns the code into a sentence.

Writing follows Danish Excel for CSV (UTF-8 BOM, `;`, comma decimals, Danish headings),
writes real numbers into XLSX, and keeps codes and dot decimals in JSON for programs.
Text that a spreadsheet would run as a formula is always defused in CSV and XLSX.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import functools
import gc
import io
import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from .formatting import spreadsheet_safe

SAMPLE_BYTES = 64 * 1024  # the header must sit within the first 64 KiB of a CSV file
MAX_ERRORS = 1000  # an import stops listing problems after this many
DELIMITERS = (";", ",", "\t")
MEGABYTE = 1024 * 1024
# Shared strings are unique texts, so a real workbook's compress perhaps ten times; a
# thousand times is one text repeated to make the reader build millions of objects.
SHARED_STRINGS_RATIO = 100

# Codes of problems with the file as a whole or with a cell, whatever the importer.
EMPTY = "empty"
TOO_LARGE = "too_large"  # value: the limit in MB
EXPANDS_TOO_MUCH = "expands_too_much"  # value: the limit in MB
TOO_MUCH_TEXT = "too_much_text"  # an XLSX's shared strings; value: the limit in MB
BINARY = "binary"
NOT_TEXT = "not_text"
BAD_XLSX = "bad_xlsx"
LINE_TOO_LONG = "line_too_long"
TOO_MANY_ROWS = "too_many_rows"  # value: the limit
TOO_MANY_COLUMNS = "too_many_columns"  # value: the limit
CELL_TOO_LONG = "cell_too_long"  # value: the limit in characters
NO_HEADER = "no_header"
MISSING_COLUMNS = "missing_columns"  # value: the missing headings
NO_ROWS = "no_rows"
TOO_MANY_ERRORS = "too_many_errors"  # value: MAX_ERRORS
REQUIRED = "required"
UNKNOWN = "unknown"
NOT_A_NUMBER = "not_a_number"
NOT_WHOLE = "not_whole"
NEGATIVE = "negative"
OUT_OF_RANGE = "out_of_range"
NOT_A_DATE = "not_a_date"
NOT_YES_NO = "not_yes_no"
DUPLICATE = "duplicate"  # value: the line it repeats


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported. `line` 0 is the file as a whole; `column` is
    the column's heading as written in the file (or its letter, before the header is
    known); `sheet` names the XLSX sheet."""

    line: int
    column: str
    code: str
    value: str = ""
    sheet: str = ""


def where(problem: Problem) -> str:
    """Where a problem is, in the one form every command prints: "sheet svar, line 4,
    column kommune" (English, like the rest of a command's output)."""
    parts = [f"sheet {problem.sheet}"] if problem.sheet else []
    parts.append(f"line {problem.line}" if problem.line else "file")
    if problem.column:
        parts.append(f"column {problem.column}")
    return ", ".join(parts)


@dataclass(frozen=True)
class Limits:
    """What an importer accepts. Bytes, rows (data rows, the header not counted) and
    characters."""

    file_bytes: int
    expanded_bytes: int  # an XLSX's members uncompressed, all together
    rows: int
    # openpyxl holds an XLSX's shared strings in memory as one Python object each (about
    # 1 s of CPU per MB of short strings), so they get a tighter bound than the sheets,
    # which are streamed.
    shared_strings_bytes: int = 8 * 1024 * 1024
    columns: int = 100
    cell_chars: int = 32_767  # Excel's own limit
    line_chars: int = 64 * 1024
    zip_members: int = 2_000


# Normalisation


_SEPARATORS = re.compile(r"[\s_\-.:/()%]+")


@functools.lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """A lookup key: case-folded, with runs of spaces, underscores, hyphens, dots, colons,
    slashes, brackets and % as one space. (Remembered: an import of a million rows asks
    for the same few hundred names again and again.)"""
    return _SEPARATORS.sub(" ", text.strip().casefold()).strip()


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: empty cells are "", whole floats lose their ".0", dates
    are ISO dates, NUL characters go."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\x00", "").strip()


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# Columns and parsers


class Invalid(ValueError):
    """A cell a parser refuses; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its key, the headings accepted (the first is the one
    templates write and problems name when the column is missing), whether the file must
    have it, and the parser of its non-empty cells. Empty cells give `default`, or the
    problem REQUIRED when the column is required and `empty_ok` is not set."""

    key: str
    headings: tuple[str, ...]
    required: bool = False
    parse: Parser = str
    default: Any = ""
    empty_ok: bool = False


@dataclass
class Header:
    """Where each known column sits, as written in the file."""

    positions: dict[str, int] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # required columns absent

    def text(self, cells: Sequence[str], key: str) -> str:
        index = self.positions.get(key)
        if index is None or index >= len(cells):
            return ""
        return cells[index]


def heading_keys(columns: Iterable[Column]) -> dict[str, str]:
    """Normalised heading -> column key."""
    return {normalise(heading): c.key for c in columns for heading in (c.key, *c.headings)}


def match_header(cells: Sequence[str], columns: Sequence[Column]) -> Header:
    """The known columns of a header row; the first of two alike wins."""
    keys = heading_keys(columns)
    header = Header()
    for index, cell in enumerate(cells):
        key = keys.get(normalise(cell))
        if key is not None and key not in header.positions:
            header.positions[key] = index
            header.headings[key] = cell.strip()
    header.missing = [
        c.headings[0] for c in columns if c.required and c.key not in header.positions
    ]
    return header


def parse_cells(
    line: int,
    cells: Sequence[str],
    header: Header,
    columns: Sequence[Column],
    problems: list[Problem],
    sheet: str = "",
) -> dict[str, Any]:
    """Every declared column of one row through its parser; each refusal is added to
    `problems` with the line, the heading and the cell (at most 100 characters)."""
    values: dict[str, Any] = {}
    for column in columns:
        text = header.text(cells, column.key).strip()
        if not text:
            if column.required and not column.empty_ok:
                problems.append(
                    Problem(
                        line,
                        header.headings.get(column.key, column.headings[0]),
                        REQUIRED,
                        "",
                        sheet,
                    )
                )
            values[column.key] = column.default
            continue
        try:
            values[column.key] = column.parse(text)
        except Invalid as refusal:
            heading = header.headings.get(column.key, column.headings[0])
            problems.append(Problem(line, heading, refusal.code, text[:100], sheet))
            values[column.key] = None
    return values


_REFUSED = object()  # a cell that `parse_cells` would report


class ColumnParser:
    """`parse_cells` for many rows at once, column by column: each distinct text of a column
    goes through the column's parser once (the same few hundred names fill a million rows),
    and a column's values come out as one list.

    It only accepts: `parse` returns None as soon as any cell would be refused, and then the
    caller parses those rows again with `parse_cells`, which names each problem with its line
    and column. So both accept and refuse exactly the same cells."""

    # A column of free text (comments) repeats little; its remembered parses are dropped
    # once there are this many, so that memory stays bounded.
    REMEMBERED = 50_000

    def __init__(self, header: Header, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        self.positions = [header.positions.get(column.key) for column in self.columns]
        self.width = max((p + 1 for p in self.positions if p is not None), default=0)
        self.parses: list[dict[str, Any]] = [{} for _ in self.columns]

    @staticmethod
    def _one(column: Column, text: str) -> Any:
        text = text.strip()
        if not text:
            return _REFUSED if column.required and not column.empty_ok else column.default
        try:
            return column.parse(text)
        except Invalid:
            return _REFUSED

    def parse(self, rows: Sequence[Sequence[str]]) -> dict[str, list[Any]] | None:
        """Column key -> the parsed value of each row, in order; None when a cell is refused."""
        width = self.width
        padded = [
            cells if len(cells) >= width else [*cells, *[""] * (width - len(cells))]
            for cells in rows
        ]
        values: dict[str, list[Any]] = {}
        for column, position, parses in zip(self.columns, self.positions, self.parses, strict=True):
            if position is None:
                value = self._one(column, "")
                if value is _REFUSED:
                    return None
                values[column.key] = [value] * len(padded)
                continue
            texts = [cells[position] for cells in padded]
            if len(parses) > self.REMEMBERED:
                parses.clear()
            distinct = set(texts)
            for text in distinct:
                if text not in parses:
                    parses[text] = self._one(column, text)
            if any(parses[text] is _REFUSED for text in distinct):
                return None
            values[column.key] = list(map(parses.__getitem__, texts))
        return values


THOUSANDS_WITH_DOTS = re.compile(r"-?\d{1,3}(\.\d{3})+")


def parse_decimal(text: str) -> Decimal:
    """A number written the Danish way (1.234,5 or 250.000) or the English way (1,234.5 or
    1234.5), with or without "kr."; dots alone in groups of three separate thousands."""
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace("kr.", "").replace("kr", "")
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    elif THOUSANDS_WITH_DOTS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise Invalid(NOT_A_NUMBER) from None
    if not number.is_finite():
        raise Invalid(NOT_A_NUMBER)
    return number


def amount(text: str) -> Decimal:
    """A money amount or a count of hours: zero or more, below a trillion."""
    number = parse_decimal(text)
    if number < 0:
        raise Invalid(NEGATIVE)
    if number >= Decimal("1e12"):
        raise Invalid(OUT_OF_RANGE)
    return number


def whole(low: int, high: int) -> Parser:
    """A parser of whole numbers from `low` to `high`."""

    def parse(text: str) -> int:
        number = parse_decimal(text)
        if number != number.to_integral_value():
            raise Invalid(NOT_WHOLE)
        if not low <= number <= high:
            raise Invalid(OUT_OF_RANGE)
        return int(number)

    return parse


def parse_date(text: str) -> datetime.date:
    """A date as YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY or DD/MM/YYYY."""
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise Invalid(NOT_A_DATE)


YES = frozenset({"ja", "j", "yes", "y", "1", "true", "sand", "x"})
NO = frozenset({"nej", "n", "no", "0", "false", "falsk"})


def yes_no(text: str) -> bool:
    key = normalise(text)
    if key in YES:
        return True
    if key in NO:
        return False
    raise Invalid(NOT_YES_NO)


def text_up_to(length: int) -> Parser:
    def parse(text: str) -> str:
        if len(text) > length:
            raise Invalid(OUT_OF_RANGE)
        return text

    return parse


def one_of(
    table: Mapping[str, Any], code: str = UNKNOWN, key: Callable[[str], str] = normalise
) -> Parser:
    """A parser that looks a name up in `table` (keys made by `key`)."""

    def parse(text: str) -> Any:
        found = table.get(key(text))
        if found is None:
            raise Invalid(code)
        return found

    return parse


# Reading


Row = tuple[int, list[str]]  # (line number in the file, cells as text)


@dataclass
class Sheet:
    """The rows of one XLSX sheet or of a CSV file (name "")."""

    name: str
    rows: Iterator[Row]


def _size(stream: IO[bytes]) -> int:
    position = stream.tell()
    size = stream.seek(0, io.SEEK_END)
    stream.seek(position)
    return size


def sniff_delimiter(lines: Sequence[str], known: Collection[str] = ()) -> str:
    """The separator that splits the first line into the most known headings, then the
    one that splits the most lines into the same number (more than one) of cells, then
    the most cells; `;` when nothing tells. Decimal commas in the rows do not mislead it."""

    def score(delimiter: str) -> tuple[int, int, int]:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            return (0, 0, 0)
        first = rows[0] if rows else []
        widths = [len(row) for row in rows if len(row) > 1]
        usual = max(set(widths), key=widths.count) if widths else 0
        return (
            sum(1 for cell in first if normalise(cell) in known),
            widths.count(usual),
            sum(len(row) for row in rows),
        )

    return max(DELIMITERS, key=score)


class Reader:
    """Reads a CSV or XLSX file (a seekable binary stream) as sheets of text rows, within
    `limits`. Problems with the file are collected in `problems`; a sheet's rows stop at
    the first problem that makes reading on pointless."""

    def __init__(
        self, stream: IO[bytes], limits: Limits, known_headings: Collection[str] = ()
    ) -> None:
        self.stream = stream
        self.limits = limits
        self.known = frozenset(normalise(heading) for heading in known_headings)
        self.problems: list[Problem] = []
        self.size = _size(stream)
        self.sheet_count = 1
        self.sheet_number = 0
        self._share: Callable[[], float] = lambda: 0.0
        self._filled = 0  # non-empty rows of the current sheet

    def share_read(self) -> float:
        """How much of the file has been read, 0..1 (for a progress bar)."""
        return min(max(self._share(), 0.0), 1.0)

    def problem(self, line: int, column: str, code: str, value: str = "", sheet: str = "") -> None:
        self.problems.append(Problem(line, column, code, value, sheet))

    def sheets(self) -> Iterator[Sheet]:
        self.stream.seek(0)
        sample = self.stream.read(SAMPLE_BYTES)
        if not sample.strip():
            self.problem(0, "", EMPTY)
            return
        if self.size > self.limits.file_bytes:
            self.problem(0, "", TOO_LARGE, str(self.limits.file_bytes // MEGABYTE))
            return
        self.stream.seek(0)
        if sample.startswith(b"PK\x03\x04"):
            yield from self._xlsx()
        else:
            sheet = self._csv(sample)
            if sheet is not None:
                yield sheet

    # CSV

    def _encoding(self, sample: bytes) -> str:
        """UTF-8 (with BOM, or valid throughout) or else Windows-1252; read in 1 MiB chunks."""
        if sample.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        decoder = codecs.getincrementaldecoder("utf-8")()
        self.stream.seek(0)
        try:
            while chunk := self.stream.read(MEGABYTE):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
        finally:
            self.stream.seek(0)
        return "utf-8"

    def _csv(self, sample: bytes) -> Sheet | None:
        if b"\x00" in sample:
            self.problem(0, "", BINARY)
            return None
        if b"\n" not in sample and len(sample) >= SAMPLE_BYTES:
            self.problem(1, "", LINE_TOO_LONG)
            return None
        head = sample[: sample.rfind(b"\n") + 1] if b"\n" in sample else sample
        try:
            head_text = head.decode("utf-8-sig")
        except UnicodeDecodeError:
            head_text = head.decode("cp1252", errors="replace")
        head_lines = [line.rstrip("\r") for line in head_text.split("\n")]
        skip = 0
        delimiter = ""
        if head_lines[0].strip().casefold().startswith("sep="):
            delimiter = head_lines[0].strip()[4:5] or ";"
            skip = 1
        if not delimiter:
            lines = [line for line in head_lines if line.strip()][:10]
            delimiter = sniff_delimiter(lines, self.known)
        first_line = head_lines[skip] if len(head_lines) > skip else ""
        return Sheet("", self._csv_rows(sample, first_line, delimiter, skip))

    def _physical_lines(self, text: IO[str], counter: list[int]) -> Iterator[str]:
        """Lines of at most `line_chars`; a longer one ends the file with a problem."""
        limit = self.limits.line_chars
        while True:
            line = text.readline(limit + 1)
            if not line:
                return
            counter[0] += 1
            if len(line) > limit and not line.endswith("\n"):
                self.problem(counter[0], "", LINE_TOO_LONG)
                return
            yield line

    def _csv_rows(self, sample: bytes, first_line: str, delimiter: str, skip: int) -> Iterator[Row]:
        """The first line comes from the sample, so that a file without a known header is
        refused before the rest is read; then the whole file in its encoding."""
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error as exc:
            self.problem(skip + 1, "", NOT_TEXT, str(exc))
            return
        self._filled = 0
        first = self._checked(skip + 1, cells, "")
        if first is None:
            return
        yield first
        encoding = self._encoding(sample)
        text = io.TextIOWrapper(self.stream, encoding=encoding, newline="")  # type: ignore[type-var]
        self._share = lambda: self.stream.tell() / self.size if self.size else 1.0
        counter = [0]
        try:
            lines = self._physical_lines(text, counter)
            for _ in range(skip + 1):
                next(lines, None)
            reader = csv.reader(lines, delimiter=delimiter)
            start = counter[0] + 1
            for cells in reader:
                row = self._checked(start, cells, "")
                if row is None:
                    return
                yield row
                start = counter[0] + 1
        except UnicodeDecodeError:
            self.problem(counter[0] + 1, "", NOT_TEXT)
        except csv.Error as exc:
            self.problem(counter[0], "", NOT_TEXT, str(exc))
        finally:
            text.detach()

    # Rows, whatever the format

    def _checked(self, line: int, cells: list[str], sheet: str) -> Row | None:
        """The row with its cells stripped, or None (and a problem) when it breaks a limit."""
        limits = self.limits
        cells = list(map(str.strip, cells))
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            self._filled += 1
        # The header is one row more; blank rows are free up to a bound, since an XLSX
        # can claim a million of them in a few bytes.
        if self._filled > limits.rows + 1 or line > 2 * limits.rows + 1000:
            self.problem(line, "", TOO_MANY_ROWS, str(limits.rows), sheet)
            return None
        if len(cells) > limits.columns:
            self.problem(
                line, column_letter(limits.columns), TOO_MANY_COLUMNS, str(limits.columns), sheet
            )
            return None
        if cells and max(map(len, cells)) > limits.cell_chars:
            index = next(i for i, cell in enumerate(cells) if len(cell) > limits.cell_chars)
            self.problem(line, column_letter(index), CELL_TOO_LONG, str(limits.cell_chars), sheet)
            return None
        return line, cells

    # XLSX

    def _xlsx(self) -> Iterator[Sheet]:
        limits = self.limits
        try:
            with zipfile.ZipFile(self.stream) as archive:
                members = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            self.problem(0, "", BAD_XLSX, type(exc).__name__)
            return
        expanded = sum(member.file_size for member in members)
        if len(members) > limits.zip_members or expanded > limits.expanded_bytes:
            self.problem(0, "", EXPANDS_TOO_MUCH, str(limits.expanded_bytes // MEGABYTE))
            return
        strings = [m for m in members if m.filename.casefold().endswith("sharedstrings.xml")]
        if sum(m.file_size for m in strings) > limits.shared_strings_bytes or any(
            m.file_size > MEGABYTE and m.file_size > SHARED_STRINGS_RATIO * m.compress_size
            for m in strings
        ):
            self.problem(0, "", TOO_MUCH_TEXT, str(limits.shared_strings_bytes // MEGABYTE))
            return
        self.stream.seek(0)
        try:
            workbook = load_workbook(self.stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            self.problem(0, "", BAD_XLSX, type(exc).__name__)
            return
        try:
            worksheets = list(workbook.worksheets)
            self.sheet_count = len(worksheets) or 1
            for number, worksheet in enumerate(worksheets):
                self.sheet_number = number
                yield Sheet(worksheet.title, self._xlsx_rows(worksheet))
                if self.problems and self.problems[-1].line == 0:
                    return
        finally:
            workbook.close()

    def _xlsx_rows(self, worksheet: Any) -> Iterator[Row]:
        total = 0
        try:
            total = int(worksheet.max_row or 0)
        except (TypeError, ValueError):
            total = 0
        number = self.sheet_number
        position = [0]
        self._filled = 0
        self._share = lambda: (
            (number + (min(position[0] / total, 1.0) if total else 0.0)) / (self.sheet_count)
        )
        try:
            values_by_row = worksheet.iter_rows(values_only=True, max_col=self.limits.columns + 1)
            for line, values in enumerate(values_by_row, start=1):
                position[0] = line
                row = self._checked(line, [cell_text(value) for value in values], worksheet.title)
                if row is None:
                    return
                yield row
        except Exception as exc:  # a damaged sheet inside a valid zip
            self.problem(0, "", BAD_XLSX, type(exc).__name__, worksheet.title)


@contextlib.contextmanager
def cycles_collected_after() -> Iterator[None]:
    """Pause Python's cycle collector while a large file's rows are read and checked. A
    million rows are millions of small lists and tuples without cycles (reference counting
    frees them), and every pass of the collector walks all of them again: 40% of the CPU
    time of reading a million answers. Collection resumes after, unless it was off before."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def too_many_problems(problems: list[Problem]) -> bool:
    """True (and a closing problem added) once `problems` reaches MAX_ERRORS."""
    if len(problems) >= MAX_ERRORS:
        problems.append(Problem(0, "", TOO_MANY_ERRORS, str(MAX_ERRORS)))
        return True
    return False


# Writing


@dataclass(frozen=True)
class Field:
    """A column an exporter writes: the record's key and the Danish heading."""

    key: str
    heading: str


CSV_DELIMITER = ";"


def csv_cell(value: Any) -> str:
    """A value as Danish Excel reads it: comma decimals, ja/nej, ISO dates, lists joined
    by "; ", formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return _plain_number(value).replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    return str(spreadsheet_safe(str(value)))


def _plain_number(value: float | Decimal) -> str:
    """Without an exponent: 0.00001 stays 0.00001, 1e20 is 100000000000000000000."""
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
        return text.removesuffix(".0") if text.endswith(".0") else text
    text = format(value, "f")
    return text


def csv_lines(fields: Sequence[Field], records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """CSV text in pieces (for streaming): a BOM and the Danish headings first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([f.heading for f in fields])
    yield "\ufeff" + buffer.getvalue()
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(record.get(f.key)) for f in fields])
        yield buffer.getvalue()


def csv_bytes(fields: Sequence[Field], records: Iterable[Mapping[str, Any]]) -> bytes:
    return "".join(csv_lines(fields, records)).encode()


def xlsx_cell(value: Any) -> Any:
    """A value for an XLSX cell: numbers and booleans as themselves, text defused."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    return spreadsheet_safe(str(value))


def xlsx_bytes(
    fields: Sequence[Field], records: Iterable[Mapping[str, Any]], sheet_title: str
) -> bytes:
    """A workbook of one sheet: the Danish headings in bold, then one row per record."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31] or "data")
    bold = Font(bold=True)
    heading_cells = []
    for f in fields:
        cell = WriteOnlyCell(sheet, value=f.heading)
        cell.font = bold
        heading_cells.append(cell)
    sheet.append(heading_cells)
    for record in records:
        sheet.append([xlsx_cell(record.get(f.key)) for f in fields])
    return reproducible_xlsx(workbook)


# The earliest time a zip entry can carry: every entry of a written workbook carries it.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class _TimelessZip(zipfile.ZipFile):
    """A zip whose entries all carry ZIP_EPOCH instead of the time they were written."""

    def writestr(  # type: ignore[override]
        self, zinfo_or_arcname: str | zipfile.ZipInfo, data: bytes | str, *args: Any
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=ZIP_EPOCH)
            zinfo_or_arcname.compress_type = self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, *args)

    def write(self, filename: Any, arcname: Any = None, *args: Any) -> None:  # type: ignore[override]
        """A worksheet written to a temporary file, streamed in (a sheet of millions of rows
        is never held in memory uncompressed)."""
        entry = zipfile.ZipInfo(str(arcname or filename), date_time=ZIP_EPOCH)
        entry.compress_type = self.compression
        entry.external_attr = 0o600 << 16
        entry.file_size = os.path.getsize(filename)  # zip64 only where the size needs it
        with open(filename, "rb") as source, self.open(entry, "w") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)


def reproducible_xlsx(workbook: Workbook) -> bytes:
    """The workbook's bytes, the same for the same content: openpyxl's own save stamps the
    zip entries and the document properties with the time of writing, so two downloads of
    one edition a second apart differed. The properties carry ZIP_EPOCH too."""
    epoch = datetime.datetime(*ZIP_EPOCH)
    workbook.properties.created = epoch
    workbook.properties.modified = epoch
    output = io.BytesIO()
    ExcelWriter(workbook, _TimelessZip(output, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return output.getvalue()


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_bytes(payload: Any) -> bytes:
    """Data for programs: codes as they are, dot decimals, ISO dates, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, indent=1, default=_json_default).encode()


FORMATS = ("csv", "json", "xlsx")


def render(
    fmt: str,
    fields: Sequence[Field],
    records: Iterable[Mapping[str, Any]],
    sheet_title: str,
    document: Any = None,
) -> bytes:
    """Records as a file in `fmt`. JSON writes `document` when given (a richer structure
    than the flat records), else the records."""
    if fmt == "csv":
        return csv_bytes(fields, records)
    if fmt == "xlsx":
        return xlsx_bytes(fields, records, sheet_title)
    if fmt == "json":
        return json_bytes(list(records) if document is None else document)
    raise ValueError(f"unknown format {fmt!r}")
