"""The columns and rules of a spreadsheet of implementation projects (pure, no Django).

The file is read by the one reader (`core.tabular`: CSV in UTF-8 or Windows-1252 with any
separator, or XLSX, the first sheet with a header, within limits). The first row holds the
column headings, Danish or English. Nothing here writes anything: `check` returns the rows
ready to save and every problem, each with its line, column and code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from kommuneradar.core import tabular as t
from kommuneradar.core.tabular import Column, Problem
from kommuneradar.places.naming import municipality_key

from .finance import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_HORIZON_YEARS,
    ESTIMATES,
    MAX_DISCOUNT_RATE,
    ThreePoint,
)

LIMITS = t.Limits(
    file_bytes=5 * 1024 * 1024,
    expanded_bytes=32 * 1024 * 1024,
    rows=5000,
    shared_strings_bytes=4 * 1024 * 1024,
)

# Codes beyond the reader's own (core.tabular).
DATE_TOO_EARLY = "date_too_early"
RATE_OUT_OF_RANGE = "rate_out_of_range"
FORBIDDEN_MUNICIPALITY = "forbidden_municipality"


@dataclass(frozen=True)
class Lookups:
    """What names in a file may refer to: lookup key -> id, and the statuses."""

    municipalities: dict[str, int]  # keyed by places.naming.municipality_key
    technologies: dict[str, int]
    domains: dict[str, int]
    statuses: dict[str, str]
    allowed_municipalities: frozenset[int] | None = None  # None: any


def _start_date(text: str) -> Any:
    date = t.parse_date(text)
    if date.year < 2000:
        raise t.Invalid(DATE_TOO_EARLY)
    return date


def _discount_rate(text: str) -> Decimal:
    """A rate in percent (0–20) as a share."""
    percent = t.parse_decimal(text)
    if not Decimal(0) <= percent <= Decimal(str(MAX_DISCOUNT_RATE)) * 100:
        raise t.Invalid(RATE_OUT_OF_RANGE)
    return (percent / 100).quantize(Decimal("0.0001"))


def _estimate_columns(key: str, danish: str, english: str) -> list[Column]:
    return [
        Column(key, (danish, english), required=True, parse=t.amount, default=None),
        Column(
            f"{key}_pessimistic",
            (f"{danish} pessimistisk", f"{english} pessimistic"),
            parse=t.amount,
            default=None,
        ),
        Column(
            f"{key}_optimistic",
            (f"{danish} optimistisk", f"{english} optimistic"),
            parse=t.amount,
            default=None,
        ),
    ]


def _whole_column(key: str, headings: tuple[str, ...], low: int, high: int, default: int) -> Column:
    return Column(key, headings, parse=t.whole(low, high), default=default)


def columns(lookups: Lookups) -> list[Column]:
    """Every column of the file, with its parser."""
    text_200 = t.text_up_to(200)
    return [
        Column(
            "municipality",
            ("kommune", "kommunekode", "municipality"),
            required=True,
            parse=t.one_of(lookups.municipalities, key=municipality_key),
            default=None,
        ),
        Column("title", ("titel", "projekt", "title"), required=True, parse=text_200),
        Column(
            "technology",
            ("teknologi", "technology"),
            required=True,
            parse=t.one_of(lookups.technologies),
            default=None,
        ),
        Column(
            "domain",
            ("fagområde", "fagomraade", "domain"),
            required=True,
            parse=t.one_of(lookups.domains),
            default=None,
        ),
        Column("description", ("beskrivelse", "description")),
        _whole_column(
            "citizens_affected",
            ("borgere berørt", "borgere", "citizens affected"),
            0,
            10_000_000,
            0,
        ),
        _whole_column(
            "staff_affected",
            ("medarbejdere berørt", "medarbejdere", "staff affected"),
            0,
            1_000_000,
            0,
        ),
        Column(
            "start_date",
            ("startdato", "start", "start date"),
            required=True,
            parse=_start_date,
            default=None,
        ),
        Column("status", ("status",), parse=t.one_of(lookups.statuses), default="in_operation"),
        Column("benefit_owner", ("gevinstejer", "benefit owner"), required=True, parse=text_200),
        _whole_column(
            "follow_up_months",
            ("opfølgning måneder", "opfølgningsinterval", "follow up months"),
            1,
            36,
            6,
        ),
        Column("published", ("offentliggjort", "published"), parse=t.yes_no, default=False),
        *_estimate_columns("one_off_cost", "engangsomkostninger", "one off cost"),
        *_estimate_columns("running_cost", "driftsomkostninger", "running cost"),
        *_estimate_columns("gain_dkk", "gevinst kr", "gain dkk"),
        *_estimate_columns("hours_freed", "timer frigjort", "hours freed"),
        Column(
            "citizens_per_fte_before",
            ("borgere pr årsværk før", "citizens per fte before"),
            parse=t.amount,
            default=None,
        ),
        Column(
            "citizens_per_fte_after",
            ("borgere pr årsværk efter", "citizens per fte after"),
            parse=t.amount,
            default=None,
        ),
        _whole_column(
            "horizon_years",
            ("horisont år", "horisont", "horizon years"),
            1,
            30,
            DEFAULT_HORIZON_YEARS,
        ),
        Column(
            "discount_rate",
            ("diskonteringsrente procent", "diskonteringsrente", "discount rate"),
            parse=_discount_rate,
            default=Decimal(str(DEFAULT_DISCOUNT_RATE)),
        ),
    ]


COLUMNS = columns(Lookups({}, {}, {}, {}))
HEADING_KEYS = t.heading_keys(COLUMNS)
# The heading by which a user's file names a column (shown on the import page).
HEADINGS = {column.key: column.headings[0] for column in COLUMNS}


@dataclass
class Checked:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def read(stream: IO[bytes], lookups: Lookups) -> Checked:
    """Read and check the first sheet with a header (every sheet of notes before it is
    skipped); line numbers are the spreadsheet's."""
    reader = t.Reader(stream, LIMITS, HEADING_KEYS)
    result = Checked()
    for sheet in reader.sheets():
        if _check_sheet(sheet.rows, lookups, result, sheet.name):
            break
    result.problems[:0] = reader.problems
    if not result.rows and not result.problems:
        result.problems.append(Problem(0, "", t.NO_ROWS))
    return result


def check(table: list[list[str]], lookups: Lookups) -> Checked:
    """Check rows already read (the first non-empty one is the header)."""
    result = Checked()
    _check_sheet(iter(enumerate(table, start=1)), lookups, result, "")
    if not result.rows and not result.problems:
        result.problems.append(Problem(0, "", t.NO_ROWS))
    return result


def _check_sheet(rows: Iterator[t.Row], lookups: Lookups, result: Checked, sheet: str) -> bool:
    """Check one sheet's rows into `result`; False when the sheet has no header."""
    declared = columns(lookups)
    header: t.Header | None = None
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = t.match_header(cells, declared)
            if not header.positions:
                return False
            for heading in header.missing:
                result.problems.append(Problem(line, heading, t.MISSING_COLUMNS, "", sheet))
            if header.missing:
                return True
            continue
        problems: list[Problem] = []
        values = t.parse_cells(line, cells, header, declared, problems, sheet)
        _check_rules(line, cells, values, header, lookups, problems, sheet)
        result.problems.extend(problems)
        if not problems:
            result.rows.append({"line": line, **values})
        if t.too_many_problems(result.problems):
            return True
    return header is not None


def _check_rules(
    line: int,
    cells: list[str],
    values: dict[str, Any],
    header: t.Header,
    lookups: Lookups,
    problems: list[Problem],
    sheet: str,
) -> None:
    """The rules across cells: an editor's own municipality, and the three-point order."""

    def fail(key: str, code: str) -> None:
        heading = header.headings.get(key, key)
        problems.append(Problem(line, heading, code, header.text(cells, key)[:100], sheet))

    allowed = lookups.allowed_municipalities
    municipality = values["municipality"]
    if municipality is not None and allowed is not None and municipality not in allowed:
        fail("municipality", FORBIDDEN_MUNICIPALITY)
    for key, more_is_better in ESTIMATES.items():
        likely = values[key]
        if likely is None:
            continue
        pessimistic, optimistic = values[f"{key}_pessimistic"], values[f"{key}_optimistic"]
        estimate = ThreePoint.of(likely, pessimistic, optimistic)
        for scenario, problem in estimate.problems(more_is_better).items():
            fail(f"{key}_{scenario}", problem)
