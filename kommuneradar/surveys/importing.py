"""Parse and validate a spreadsheet of survey answers or maturity ratings (pure, no Django).

Accepts what Danish spreadsheets really look like: CSV in UTF-8 (with or without BOM) or
Windows-1252, separated by semicolons, commas or tabs; or an XLSX workbook. Stages and
values may be Danish labels ("I drift", "Afprøver", "Stor") or code names ("in_operation");
municipalities may be given by code ("630") or name ("Vejle" or "Vejle Kommune").

The parse step never writes anything: it returns rows ready to save plus every error,
each with its line, column and an error code (the Django layer translates the codes).
It reads the file as a stream, so a huge or garbage file is rejected from its first
bytes or after a bounded number of errors, never by loading it whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from . import rules
from . import vocabulary as v

MAX_BYTES = 64 * 1024 * 1024  # a full round is about 1 MB; 64 MB is far beyond any real file
SAMPLE_BYTES = 64 * 1024  # the header must sit within the first 64 KiB
MAX_LINE_CHARS = 64 * 1024
MAX_ERRORS = 1000  # stop reading a hopeless file after this many errors
PROGRESS_EVERY = 2000  # rows between progress reports

ANSWERS = "answers"
RATINGS = "ratings"

# Error codes beyond those in rules.py.
EMPTY = "empty"
TOO_LARGE = "too_large"
BINARY = "binary"
NOT_TEXT = "not_text"
NO_HEADER = "no_header"
MISSING_COLUMNS = "missing_columns"
BAD_XLSX = "bad_xlsx"
LINE_TOO_LONG = "line_too_long"
TOO_MANY_ERRORS = "too_many_errors"
NO_ROWS = "no_rows"
UNKNOWN_MUNICIPALITY = "unknown_municipality"
UNKNOWN_DOMAIN = "unknown_domain"
UNKNOWN_TECHNOLOGY = "unknown_technology"
NOT_IN_DOMAIN = "not_in_domain"
DUPLICATE = "duplicate"
BAD_RATING = "bad_rating"


def normalise(text: str) -> str:
    """A lookup key: case-folded, underscores and hyphens as spaces, single spaces."""
    return re.sub(r"[\s_\-]+", " ", text.strip().casefold()).strip()


COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "municipality": ("kommune", "kommunekode", "kommunenavn", "municipality"),
    "domain": ("fagområde", "fagomraade", "domain"),
    "technology": ("teknologi", "technology"),
    "stage": ("stadie", "stage", "status"),
    v.EFFICIENCY: ("effektivisering", "værdi effektivisering", "efficiency", "value efficiency"),
    v.QUALITY: (
        "kvalitet",
        "kvalitet for borgerne",
        "værdi kvalitet",
        "quality",
        "value quality",
    ),
    v.WELLBEING: ("trivsel", "medarbejdertrivsel", "værdi trivsel", "wellbeing", "value wellbeing"),
    "comment": ("kommentar", "comment"),
    "rating": ("modenhed", "vurdering", "rating", "maturity"),
    "rationale": ("begrundelse", "rationale"),
}
HEADER_KEYS: dict[str, str] = {
    normalise(alias).replace(":", ""): key
    for key, aliases in COLUMN_ALIASES.items()
    for alias in aliases
}
REQUIRED: dict[str, tuple[str, ...]] = {
    ANSWERS: ("municipality", "domain", "technology", "stage"),
    RATINGS: ("technology", "rating"),
}

STAGE_LABELS: dict[str, str] = {
    normalise(label): code
    for code, labels in {
        v.NOT_RELEVANT: ("Ikke relevant", "Not relevant"),
        v.NOT_CONSIDERING: ("Overvejer ikke", "Not considering"),
        v.CONSIDERING: ("Overvejer", "Considering"),
        v.PILOTING: ("Afprøver", "Afproever", "Piloting"),
        v.IN_OPERATION: ("I drift", "In operation"),
        v.SCALED: ("Udbredt i hele organisationen", "Udbredt", "Scaled across the organisation"),
        v.DISCONTINUED: ("Udfaset", "Discontinued"),
    }.items()
    for label in (code, *labels)
}
VALUE_LABELS: dict[str, str] = {
    normalise(label): code
    for code, labels in {
        v.VALUE_NONE: ("Ingen", "Ingen værdi", "None"),
        v.VALUE_SOME: ("Nogen", "Noget", "En vis", "Nogen værdi", "Some"),
        v.VALUE_LARGE: ("Stor", "Stor værdi", "Large"),
        v.VALUE_DONT_KNOW: ("Ved ikke", "Don't know", "Dont know"),
    }.items()
    for label in (code, *labels)
}


@dataclass(frozen=True)
class Catalogue:
    """What names in a file may refer to, as normalised key -> database id.

    `relevant` holds (domain id, technology id) pairs: the questionnaire of a domain
    lists only its relevant technologies, and so does an import."""

    municipalities: dict[str, int]
    domains: dict[str, int]
    technologies: dict[str, int]
    relevant: frozenset[tuple[int, int]]


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported. `line` is 0 for the file as a whole;
    `column` is the column's heading as written in the file."""

    line: int
    column: str
    code: str
    value: str = ""
    sheet: str = ""


@dataclass(frozen=True)
class AnswerRow:
    line: int
    municipality_id: int
    domain_id: int
    technology_id: int
    stage: str
    efficiency: str
    quality: str
    wellbeing: str
    comment: str


@dataclass(frozen=True)
class RatingRow:
    line: int
    technology_id: int
    rating: int
    rationale: str


@dataclass
class Parsed:
    """The outcome of parsing: rows to save (only meaningful when `problems` is empty)."""

    answers: list[AnswerRow] = field(default_factory=list)
    ratings: list[RatingRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and (bool(self.answers) or bool(self.ratings))


Progress = Callable[[float, int], None]  # (share of the file read 0..1, rows read)


def _no_progress(share: float, rows: int) -> None:
    return None


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: whole floats lose their ".0", empty cells are ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_header(cells: list[str]) -> tuple[str, dict[str, int], list[str]]:
    """The kind of sheet and {column key: index}, plus required columns that are missing.

    Kind is "" when no cell is a known column heading."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = HEADER_KEYS.get(normalise(cell).replace(":", ""))
        if key is not None and key not in positions:
            positions[key] = index
    if not positions:
        return "", positions, []
    kind = ANSWERS if "municipality" in positions or "stage" in positions else RATINGS
    missing = [key for key in REQUIRED[kind] if key not in positions]
    return kind, positions, missing


def municipality_key(text: str) -> str:
    key = normalise(text)
    if key.endswith(" kommune"):
        key = key[: -len(" kommune")]
    return key


class _Sheet:
    """Validates the rows of one sheet (or CSV file) against the catalogue."""

    def __init__(self, catalogue: Catalogue, parsed: Parsed, sheet: str, header: list[str]) -> None:
        self.catalogue = catalogue
        self.parsed = parsed
        self.sheet = sheet
        self.header = header
        self.kind, self.positions, self.missing = read_header(header)
        self.seen: dict[tuple[int, ...], int] = {}

    def heading(self, key: str) -> str:
        return self.header[self.positions[key]].strip()

    def problem(self, line: int, key: str, code: str, value: str = "") -> None:
        self.parsed.problems.append(Problem(line, self.heading(key), code, value, self.sheet))

    def cell(self, cells: list[str], key: str) -> str:
        index = self.positions.get(key)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    def row(self, line: int, cells: list[str]) -> None:
        if not any(cell.strip() for cell in cells):
            return
        self.parsed.rows_read += 1
        if self.kind == ANSWERS:
            self.answer(line, cells)
        else:
            self.rating(line, cells)

    def lookup(self, line: int, key: str, table: dict[str, int], code: str, text: str) -> int:
        if not text:
            self.problem(line, key, rules.MISSING)
            return 0
        found = table.get(municipality_key(text) if key == "municipality" else normalise(text))
        if found is None:
            self.problem(line, key, code, text)
            return 0
        return found

    def answer(self, line: int, cells: list[str]) -> None:
        before = len(self.parsed.problems)
        catalogue = self.catalogue
        municipality = self.lookup(
            line,
            "municipality",
            catalogue.municipalities,
            UNKNOWN_MUNICIPALITY,
            self.cell(cells, "municipality"),
        )
        domain = self.lookup(
            line, "domain", catalogue.domains, UNKNOWN_DOMAIN, self.cell(cells, "domain")
        )
        technology = self.lookup(
            line,
            "technology",
            catalogue.technologies,
            UNKNOWN_TECHNOLOGY,
            self.cell(cells, "technology"),
        )
        if domain and technology and (domain, technology) not in catalogue.relevant:
            self.problem(line, "technology", NOT_IN_DOMAIN, self.cell(cells, "technology"))
        stage_text = self.cell(cells, "stage")
        stage = STAGE_LABELS.get(normalise(stage_text), "?") if stage_text else ""
        values: dict[str, str] = {}
        for dimension in v.DIMENSIONS:
            text = self.cell(cells, dimension)
            values[dimension] = VALUE_LABELS.get(normalise(text), "?") if text else ""
        for key, code in rules.validate_answer(stage, values, require_values=False).items():
            self.problem(line, key, code, self.cell(cells, key))
        if municipality and domain and technology:
            identity = (municipality, domain, technology)
            first = self.seen.setdefault(identity, line)
            if first != line:
                self.problem(line, "technology", DUPLICATE, str(first))
        if len(self.parsed.problems) == before:
            self.parsed.answers.append(
                AnswerRow(
                    line,
                    municipality,
                    domain,
                    technology,
                    stage,
                    values[v.EFFICIENCY],
                    values[v.QUALITY],
                    values[v.WELLBEING],
                    self.cell(cells, "comment"),
                )
            )

    def rating(self, line: int, cells: list[str]) -> None:
        before = len(self.parsed.problems)
        technology = self.lookup(
            line,
            "technology",
            self.catalogue.technologies,
            UNKNOWN_TECHNOLOGY,
            self.cell(cells, "technology"),
        )
        text = self.cell(cells, "rating")
        rating = 0
        try:
            number = float(text.replace(",", "."))
            if number.is_integer() and 1 <= number <= 9:
                rating = int(number)
        except ValueError:
            pass
        if not text:
            self.problem(line, "rating", rules.MISSING)
        elif not rating:
            self.problem(line, "rating", BAD_RATING, text)
        if technology:
            first = self.seen.setdefault((technology,), line)
            if first != line:
                self.problem(line, "technology", DUPLICATE, str(first))
        if len(self.parsed.problems) == before:
            self.parsed.ratings.append(
                RatingRow(line, technology, rating, self.cell(cells, "rationale"))
            )


def _too_many(parsed: Parsed) -> bool:
    if len(parsed.problems) >= MAX_ERRORS:
        parsed.problems.append(Problem(0, "", TOO_MANY_ERRORS, str(MAX_ERRORS)))
        return True
    return False


def _start_sheet(
    catalogue: Catalogue, parsed: Parsed, sheet: str, header: list[str], line: int
) -> _Sheet | None:
    reader = _Sheet(catalogue, parsed, sheet, header)
    if not reader.kind:
        parsed.problems.append(Problem(line, "", NO_HEADER, "", sheet))
        return None
    if reader.missing:
        parsed.problems.append(Problem(line, "", MISSING_COLUMNS, ", ".join(reader.missing), sheet))
        return None
    return reader


def _file_size(stream: IO[bytes]) -> int:
    position = stream.tell()
    size = stream.seek(0, io.SEEK_END)
    stream.seek(position)
    return size


def parse(stream: IO[bytes], catalogue: Catalogue, progress: Progress = _no_progress) -> Parsed:
    """Parse a CSV or XLSX file (a seekable binary stream) into rows and problems."""
    size = _file_size(stream)
    stream.seek(0)
    sample = stream.read(SAMPLE_BYTES)
    parsed = Parsed()
    if not sample.strip():
        parsed.problems.append(Problem(0, "", EMPTY))
        return parsed
    if size > MAX_BYTES:
        parsed.problems.append(Problem(0, "", TOO_LARGE, str(MAX_BYTES // (1024 * 1024))))
        return parsed
    stream.seek(0)
    if sample.startswith(b"PK\x03\x04"):
        _parse_xlsx(stream, catalogue, parsed, progress)
    else:
        _parse_csv(stream, sample, size, catalogue, parsed, progress)
    if not parsed.problems and not parsed.answers and not parsed.ratings:
        parsed.problems.append(Problem(0, "", NO_ROWS))
    progress(1.0, parsed.rows_read)
    return parsed


def _encoding(stream: IO[bytes], sample: bytes) -> str:
    """UTF-8 (with BOM or valid throughout) or else Windows-1252; read in 1 MiB chunks."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while chunk := stream.read(1024 * 1024):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        stream.seek(0)
    return "utf-8"


def sniff_delimiter(header_line: str) -> str:
    """The separator that splits the header into the most known column headings."""
    best, best_known = ";", -1
    for delimiter in (";", ",", "\t"):
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known = sum(1 for cell in cells if normalise(cell).replace(":", "") in HEADER_KEYS)
        if known > best_known:
            best, best_known = delimiter, known
    return best


def _lines(text: IO[str], parsed: Parsed, line_counter: list[int]) -> Iterator[str]:
    """Physical lines of at most MAX_LINE_CHARS; a longer line ends the file with a problem."""
    while True:
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        line_counter[0] += 1
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            parsed.problems.append(Problem(line_counter[0], "", LINE_TOO_LONG))
            return
        yield line


def _parse_csv(
    stream: IO[bytes],
    sample: bytes,
    size: int,
    catalogue: Catalogue,
    parsed: Parsed,
    progress: Progress,
) -> None:
    if b"\x00" in sample:
        parsed.problems.append(Problem(0, "", BINARY))
        return
    newline = sample.find(b"\n")
    if newline < 0 and len(sample) >= SAMPLE_BYTES:
        parsed.problems.append(Problem(1, "", LINE_TOO_LONG))
        return
    first = sample if newline < 0 else sample[:newline]
    try:
        header_line = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        header_line = first.decode("cp1252", errors="replace")
    delimiter = sniff_delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    if _start_sheet(catalogue, parsed, "", header, 1) is None:
        return
    encoding = _encoding(stream, sample)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")  # type: ignore[type-var]
    line_counter = [0]
    try:
        reader = csv.reader(_lines(text, parsed, line_counter), delimiter=delimiter)
        next(reader)
        sheet = _Sheet(catalogue, parsed, "", header)
        start = line_counter[0] + 1
        for cells in reader:
            sheet.row(start, cells)
            start = line_counter[0] + 1
            if _too_many(parsed):
                return
            if parsed.rows_read % PROGRESS_EVERY == 0:
                progress(min(stream.tell() / size, 1.0), parsed.rows_read)
    except UnicodeDecodeError:
        parsed.problems.append(Problem(line_counter[0] + 1, "", NOT_TEXT))
    except csv.Error as exc:
        parsed.problems.append(Problem(line_counter[0], "", NOT_TEXT, str(exc)))
    finally:
        text.detach()


def _parse_xlsx(
    stream: IO[bytes], catalogue: Catalogue, parsed: Parsed, progress: Progress
) -> None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        parsed.problems.append(Problem(0, "", BAD_XLSX, type(exc).__name__))
        return
    found_sheet = False
    try:
        sheets = list(workbook.worksheets)
        for number, worksheet in enumerate(sheets):
            total = worksheet.max_row or 0
            reader: _Sheet | None = None
            rows: Iterable[tuple[Any, ...]] = worksheet.iter_rows(values_only=True)
            for line, values in enumerate(rows, start=1):
                cells = [cell_text(value) for value in values]
                if reader is None:
                    if not any(cells):
                        continue
                    if not read_header(cells)[0]:
                        break  # a sheet of instructions or notes, not data
                    reader = _start_sheet(catalogue, parsed, worksheet.title, cells, line)
                    if reader is None:
                        break
                    found_sheet = True
                    continue
                reader.row(line, cells)
                if _too_many(parsed):
                    return
                if parsed.rows_read % PROGRESS_EVERY == 0 and total:
                    share = (number + min(line / total, 1.0)) / len(sheets)
                    progress(share, parsed.rows_read)
    except Exception as exc:  # a damaged sheet inside a valid zip
        parsed.problems.append(Problem(0, "", BAD_XLSX, type(exc).__name__))
    finally:
        workbook.close()
    if not found_sheet and not parsed.problems:
        parsed.problems.append(Problem(1, "", NO_HEADER))
