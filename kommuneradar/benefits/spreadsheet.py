"""Read and check a spreadsheet of implementation projects (pure, no Django).

CSV (UTF-8 with or without BOM, or Windows-1252; separated by semicolons, commas or
tabs) or XLSX (the first sheet). The first row holds the column headings, Danish or
English. Nothing here writes anything: `check` returns the rows ready to save and
every problem, each with its line, column and an error code that the Django layer
turns into a sentence.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .finance import ThreePoint

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

# Error codes.
EMPTY_FILE = "empty_file"
TOO_LARGE = "too_large"
NOT_READABLE = "not_readable"
MISSING_COLUMN = "missing_column"
TOO_MANY_ROWS = "too_many_rows"
REQUIRED = "required"
UNKNOWN = "unknown"
NOT_A_NUMBER = "not_a_number"
NEGATIVE = "negative"
NOT_A_DATE = "not_a_date"
DATE_TOO_EARLY = "date_too_early"
RATE_OUT_OF_RANGE = "rate_out_of_range"
NOT_WHOLE = "not_whole"
OUT_OF_RANGE = "out_of_range"
NOT_YES_NO = "not_yes_no"
PESSIMISTIC_BETTER = "pessimistic_better"
OPTIMISTIC_WORSE = "optimistic_worse"
FORBIDDEN_MUNICIPALITY = "forbidden_municipality"

# key: headings accepted (compared case-insensitively, spaces/underscores/hyphens alike)
COLUMNS: dict[str, tuple[str, ...]] = {
    "municipality": ("kommune", "kommunekode", "municipality"),
    "title": ("titel", "projekt", "title"),
    "technology": ("teknologi", "technology"),
    "domain": ("fagområde", "fagomraade", "domain"),
    "description": ("beskrivelse", "description"),
    "citizens_affected": ("borgere berørt", "borgere", "citizens affected"),
    "staff_affected": ("medarbejdere berørt", "medarbejdere", "staff affected"),
    "start_date": ("startdato", "start", "start date"),
    "status": ("status",),
    "benefit_owner": ("gevinstejer", "benefit owner"),
    "follow_up_months": ("opfølgning måneder", "opfølgningsinterval", "follow up months"),
    "published": ("offentliggjort", "published"),
    "one_off_cost": ("engangsomkostninger", "one off cost"),
    "one_off_cost_pessimistic": ("engangsomkostninger pessimistisk", "one off cost pessimistic"),
    "one_off_cost_optimistic": ("engangsomkostninger optimistisk", "one off cost optimistic"),
    "running_cost": ("driftsomkostninger", "running cost"),
    "running_cost_pessimistic": ("driftsomkostninger pessimistisk", "running cost pessimistic"),
    "running_cost_optimistic": ("driftsomkostninger optimistisk", "running cost optimistic"),
    "gain_dkk": ("gevinst kr", "gevinst", "gain dkk"),
    "gain_dkk_pessimistic": ("gevinst kr pessimistisk", "gain dkk pessimistic"),
    "gain_dkk_optimistic": ("gevinst kr optimistisk", "gain dkk optimistic"),
    "hours_freed": ("timer frigjort", "timer", "hours freed"),
    "hours_freed_pessimistic": ("timer frigjort pessimistisk", "hours freed pessimistic"),
    "hours_freed_optimistic": ("timer frigjort optimistisk", "hours freed optimistic"),
    "citizens_per_fte_before": ("borgere pr årsværk før", "citizens per fte before"),
    "citizens_per_fte_after": ("borgere pr årsværk efter", "citizens per fte after"),
    "horizon_years": ("horisont år", "horisont", "horizon years"),
    "discount_rate_percent": ("diskonteringsrente procent", "diskonteringsrente", "discount rate"),
}
REQUIRED_COLUMNS = (
    "municipality",
    "title",
    "technology",
    "domain",
    "start_date",
    "benefit_owner",
    "one_off_cost",
    "running_cost",
    "gain_dkk",
    "hours_freed",
)
MONEY_AND_HOURS = (
    "one_off_cost",
    "running_cost",
    "gain_dkk",
    "hours_freed",
)
OPTIONAL_AMOUNTS = (
    "citizens_per_fte_before",
    "citizens_per_fte_after",
)
MORE_IS_BETTER = {
    "one_off_cost": False,
    "running_cost": False,
    "gain_dkk": True,
    "hours_freed": True,
}
YES = {"ja", "j", "yes", "y", "1", "true", "sand", "x"}
NO = {"nej", "n", "no", "0", "false", "falsk", ""}


def normalise(text: str) -> str:
    """A lookup key: case-folded, with spaces, underscores, hyphens and dots alike."""
    return re.sub(r"[\s_\-.:/()%]+", " ", text.strip().casefold()).strip()


HEADINGS = {normalise(alias): key for key, aliases in COLUMNS.items() for alias in aliases}


@dataclass(frozen=True)
class Problem:
    """One reason the file cannot be imported; line 0 is the file as a whole."""

    line: int
    column: str
    code: str
    value: str = ""


@dataclass(frozen=True)
class Lookups:
    """What names in a file may refer to: normalised key -> id, and the statuses."""

    municipalities: dict[str, int]
    technologies: dict[str, int]
    domains: dict[str, int]
    statuses: dict[str, str]
    allowed_municipalities: frozenset[int] | None = None  # None: any


@dataclass
class Checked:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def cell_text(value: Any) -> str:
    """A cell as text: whole floats lose their ".0", dates become ISO dates."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(content: bytes, filename: str) -> tuple[list[list[str]], list[Problem]]:
    """The file's rows as lists of text, or a problem with the file as a whole."""
    if not content:
        return [], [Problem(0, "", EMPTY_FILE)]
    if len(content) > MAX_BYTES:
        return [], [Problem(0, "", TOO_LARGE)]
    if filename.lower().endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    return _read_csv(content)


def _read_xlsx(content: bytes) -> tuple[list[list[str]], list[Problem]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([cell_text(value) for value in values])
            if len(rows) > MAX_ROWS + 1:
                break
        workbook.close()
    except Exception:  # any broken workbook is the same problem for the user
        return [], [Problem(0, "", NOT_READABLE)]
    return rows, []


def _read_csv(content: bytes) -> tuple[list[list[str]], list[Problem]]:
    if b"\x00" in content[:4096]:
        return [], [Problem(0, "", NOT_READABLE)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        rows = []
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append([cell.strip() for cell in row])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error:
        return [], [Problem(0, "", NOT_READABLE)]
    return rows, []


THOUSANDS_WITH_DOTS = re.compile(r"-?\d{1,3}(\.\d{3})+")


def _decimal(text: str) -> Decimal:
    """A number written the Danish way (1.234,5 or 250.000) or the English way (1,234.5
    or 1234.5). Dots alone in groups of three are thousands separators."""
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace("kr.", "").replace("kr", "")
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    elif THOUSANDS_WITH_DOTS.fullmatch(cleaned):
        # "250.000" in a Danish sheet is two hundred and fifty thousand.
        cleaned = cleaned.replace(".", "")
    number = Decimal(cleaned)
    if not number.is_finite():
        raise InvalidOperation
    return number


def _date(text: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


class _Row:
    """Reads one row's cells, collecting problems instead of stopping at the first."""

    def __init__(self, line: int, cells: dict[str, str], headings: dict[str, str]) -> None:
        self.line = line
        self.cells = cells
        self.headings = headings
        self.problems: list[Problem] = []

    def fail(self, key: str, code: str) -> None:
        self.problems.append(
            Problem(self.line, self.headings.get(key, key), code, self.cells.get(key, "")[:100])
        )

    def text(self, key: str) -> str:
        return self.cells.get(key, "").strip()

    def lookup(self, key: str, table: dict[str, Any]) -> Any:
        value = self.text(key)
        if not value:
            self.fail(key, REQUIRED)
            return None
        found = table.get(normalise(value))
        if found is None:
            self.fail(key, UNKNOWN)
        return found

    def amount(self, key: str, required: bool) -> Decimal | None:
        value = self.text(key)
        if not value:
            if required:
                self.fail(key, REQUIRED)
            return None
        try:
            number = _decimal(value)
        except (InvalidOperation, ValueError):
            self.fail(key, NOT_A_NUMBER)
            return None
        if number < 0:
            self.fail(key, NEGATIVE)
            return None
        if number >= Decimal("1e12"):
            self.fail(key, OUT_OF_RANGE)
            return None
        return number

    def whole(self, key: str, default: int, low: int, high: int) -> int | None:
        value = self.text(key)
        if not value:
            return default
        try:
            number = _decimal(value)
        except (InvalidOperation, ValueError):
            self.fail(key, NOT_A_NUMBER)
            return None
        if number != number.to_integral_value():
            self.fail(key, NOT_WHOLE)
            return None
        if not low <= number <= high:
            self.fail(key, OUT_OF_RANGE)
            return None
        return int(number)


def check(table: list[list[str]], lookups: Lookups) -> Checked:
    """Every row checked against the rules the forms apply; line numbers are the
    spreadsheet's (the heading is line 1)."""
    result = Checked()
    while table and not any(cell.strip() for cell in table[0]):
        table = table[1:]
    if not table:
        result.problems.append(Problem(0, "", EMPTY_FILE))
        return result
    header = table[0]
    positions: dict[str, int] = {}
    headings: dict[str, str] = {}
    for index, heading in enumerate(header):
        key = HEADINGS.get(normalise(heading))
        if key is not None and key not in positions:
            positions[key] = index
            headings[key] = heading.strip()
    missing = [key for key in REQUIRED_COLUMNS if key not in positions]
    for key in missing:
        result.problems.append(Problem(1, COLUMNS[key][0], MISSING_COLUMN))
    if missing:
        return result
    if len(table) - 1 > MAX_ROWS:
        result.problems.append(Problem(0, "", TOO_MANY_ROWS))
        return result
    for offset, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            key: cells[index].replace("\x00", "") if index < len(cells) else ""
            for key, index in positions.items()
        }
        row = _check_row(_Row(offset, values, headings), lookups)
        result.problems.extend(row.problems)
        if not row.problems and row.parsed is not None:
            result.rows.append(row.parsed)
    if not result.rows and not result.problems:
        result.problems.append(Problem(0, "", EMPTY_FILE))
    return result


class _RowOutcome:
    def __init__(self, problems: list[Problem], parsed: dict[str, Any] | None) -> None:
        self.problems = problems
        self.parsed = parsed


def _check_row(row: _Row, lookups: Lookups) -> _RowOutcome:
    parsed: dict[str, Any] = {"line": row.line}
    municipality = row.lookup("municipality", lookups.municipalities)
    if (
        municipality is not None
        and lookups.allowed_municipalities is not None
        and municipality not in lookups.allowed_municipalities
    ):
        row.fail("municipality", FORBIDDEN_MUNICIPALITY)
    parsed["municipality_id"] = municipality
    parsed["technology_id"] = row.lookup("technology", lookups.technologies)
    parsed["domain_id"] = row.lookup("domain", lookups.domains)
    for key in ("title", "benefit_owner"):
        value = row.text(key)
        if not value:
            row.fail(key, REQUIRED)
        elif len(value) > 200:
            row.fail(key, OUT_OF_RANGE)
        parsed[key] = value
    parsed["description"] = row.text("description")
    status_text = row.text("status")
    parsed["status"] = "in_operation"
    if status_text:
        parsed["status"] = lookups.statuses.get(normalise(status_text))
        if parsed["status"] is None:
            row.fail("status", UNKNOWN)
    start_text = row.text("start_date")
    if not start_text:
        row.fail("start_date", REQUIRED)
    else:
        try:
            parsed["start_date"] = _date(start_text)
            if parsed["start_date"].year < 2000:
                row.fail("start_date", DATE_TOO_EARLY)
        except ValueError:
            row.fail("start_date", NOT_A_DATE)
    parsed["citizens_affected"] = row.whole("citizens_affected", 0, 0, 10_000_000)
    parsed["staff_affected"] = row.whole("staff_affected", 0, 0, 1_000_000)
    parsed["follow_up_months"] = row.whole("follow_up_months", 6, 1, 36)
    parsed["horizon_years"] = row.whole("horizon_years", 5, 1, 30)
    published = normalise(row.text("published"))
    if published in YES:
        parsed["published"] = True
    elif published in NO:
        parsed["published"] = False
    else:
        row.fail("published", NOT_YES_NO)
    for key in MONEY_AND_HOURS:
        likely = parsed[key] = row.amount(key, required=True)
        pessimistic = parsed[f"{key}_pessimistic"] = row.amount(f"{key}_pessimistic", False)
        optimistic = parsed[f"{key}_optimistic"] = row.amount(f"{key}_optimistic", False)
        if likely is None:
            continue
        better = MORE_IS_BETTER[key]
        for scenario, problem in (
            ThreePoint.of(likely, pessimistic, optimistic).problems(better).items()
        ):
            row.fail(f"{key}_{scenario}", problem)
    for key in OPTIONAL_AMOUNTS:
        parsed[key] = row.amount(key, required=False)
    rate_text = row.text("discount_rate_percent")
    parsed["discount_rate"] = Decimal("0.035")
    if rate_text:
        try:
            percent = _decimal(rate_text)
            if not Decimal(0) <= percent <= Decimal(20):
                row.fail("discount_rate_percent", RATE_OUT_OF_RANGE)
            else:
                parsed["discount_rate"] = (percent / 100).quantize(Decimal("0.0001"))
        except (InvalidOperation, ValueError):
            row.fail("discount_rate_percent", NOT_A_NUMBER)
    return _RowOutcome(row.problems, None if row.problems else parsed)
