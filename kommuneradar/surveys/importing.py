"""The columns and rules of a spreadsheet of survey answers or maturity ratings (pure, no
Django).

The file is read by the one reader (`core.tabular`: CSV in UTF-8 or Windows-1252 with any
separator, or XLSX, within limits). Stages and values may be Danish labels ("I drift",
"Afprøver", "Stor") or code names ("in_operation"); municipalities may be given by code
("630", "0630") or name ("Vejle", "Vejle Kommune"). Nothing here writes anything: `parse`
returns rows ready to save plus every problem, each with its line, column and code.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, NamedTuple

from kommuneradar.core import tabular as t
from kommuneradar.core.tabular import Column, Problem, normalise
from kommuneradar.places.naming import municipality_key

from . import rules
from . import vocabulary as v

LIMITS = t.Limits(
    # A Danish round is about 1 MB; a round of 10,000 local governments (8 domains, 30
    # technologies: 2.4 million answers) is about 180 MB, so 256 MB and 3 million rows.
    file_bytes=256 * 1024 * 1024,
    expanded_bytes=512 * 1024 * 1024,
    rows=3_000_000,
    columns=50,
    shared_strings_bytes=8 * 1024 * 1024,
)
PROGRESS_EVERY = 2000  # rows between progress reports, and rows checked at once

ANSWERS = "answers"
RATINGS = "ratings"

# Codes beyond the reader's own (core.tabular).
UNKNOWN_MUNICIPALITY = "unknown_municipality"
UNKNOWN_DOMAIN = "unknown_domain"
UNKNOWN_TECHNOLOGY = "unknown_technology"
NOT_IN_DOMAIN = "not_in_domain"
BAD_RATING = "bad_rating"

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
    """What names in a file may refer to, as lookup key -> database id (municipalities
    keyed by `places.naming.municipality_key`, the rest by `normalise`).

    `relevant` holds (domain id, technology id) pairs: the questionnaire of a domain
    lists only its relevant technologies, and so does an import."""

    municipalities: dict[str, int]
    domains: dict[str, int]
    technologies: dict[str, int]
    relevant: frozenset[tuple[int, int]]


def _label(table: dict[str, str]) -> t.Parser:
    """A stage or value label as its code; "?" for an unknown one (rules.py names it)."""

    def parse(text: str) -> str:
        return table.get(normalise(text), "?")

    return parse


def _rating(text: str) -> int:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise t.Invalid(BAD_RATING) from None
    if not (number.is_integer() and 1 <= number <= 9):
        raise t.Invalid(BAD_RATING)
    return int(number)


def _technology_column(catalogue: Catalogue) -> Column:
    return Column(
        "technology",
        ("teknologi", "technology"),
        required=True,
        parse=t.one_of(catalogue.technologies, UNKNOWN_TECHNOLOGY),
        default=0,
    )


def answer_columns(catalogue: Catalogue) -> list[Column]:
    municipality = t.one_of(catalogue.municipalities, UNKNOWN_MUNICIPALITY, municipality_key)
    return [
        Column(
            "municipality",
            ("kommune", "kommunekode", "kommunenavn", "municipality"),
            required=True,
            parse=municipality,
            default=0,
        ),
        Column(
            "domain",
            ("fagområde", "fagomraade", "domain"),
            required=True,
            parse=t.one_of(catalogue.domains, UNKNOWN_DOMAIN),
            default=0,
        ),
        _technology_column(catalogue),
        Column(
            "stage",
            ("stadie", "stage", "status"),
            required=True,
            parse=_label(STAGE_LABELS),
            empty_ok=True,  # rules.validate_answer names a missing stage
        ),
        Column(
            v.EFFICIENCY,
            ("effektivisering", "værdi effektivisering", "efficiency", "value efficiency"),
            parse=_label(VALUE_LABELS),
        ),
        Column(
            v.QUALITY,
            ("kvalitet", "kvalitet for borgerne", "værdi kvalitet", "quality", "value quality"),
            parse=_label(VALUE_LABELS),
        ),
        Column(
            v.WELLBEING,
            ("trivsel", "medarbejdertrivsel", "værdi trivsel", "wellbeing", "value wellbeing"),
            parse=_label(VALUE_LABELS),
        ),
        Column("comment", ("kommentar", "comment")),
    ]


def rating_columns(catalogue: Catalogue) -> list[Column]:
    return [
        _technology_column(catalogue),
        Column("rating", ("modenhed", "vurdering", "rating", "maturity"), True, _rating, 0),
        Column("rationale", ("begrundelse", "rationale")),
    ]


KNOWN_STAGES = frozenset(v.STAGES)
KNOWN_VALUES = frozenset(("", *v.VALUES))  # a value may be left empty

EMPTY_CATALOGUE = Catalogue({}, {}, {}, frozenset())
HEADING_KEYS = t.heading_keys([*answer_columns(EMPTY_CATALOGUE), *rating_columns(EMPTY_CATALOGUE)])


class AnswerRow(NamedTuple):
    """One answer to save. (A tuple: a million of them are made in a fraction of the time
    of dataclass instances.)"""

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


def no_progress(share: float, rows: int) -> None:
    return None


def sheet_kind(cells: Sequence[str]) -> str:
    """ANSWERS, RATINGS, or "" when no cell is a known column heading."""
    keys = {HEADING_KEYS.get(normalise(cell)) for cell in cells} - {None}
    if not keys:
        return ""
    return ANSWERS if "municipality" in keys or "stage" in keys else RATINGS


class _Sheet:
    """Checks the rows of one sheet (or CSV file) against the catalogue."""

    def __init__(
        self, catalogue: Catalogue, parsed: Parsed, name: str, kind: str, header: t.Header
    ) -> None:
        self.catalogue = catalogue
        self.parsed = parsed
        self.name = name
        self.kind = kind
        self.header = header
        self.columns = answer_columns(catalogue) if kind == ANSWERS else rating_columns(catalogue)
        self.seen: dict[tuple[int, ...], int] = {}
        self.at_once = t.ColumnParser(header, self.columns)

    def problem(self, line: int, key: str, code: str, value: str = "") -> None:
        heading = self.header.headings.get(key, key)
        self.parsed.problems.append(Problem(line, heading, code, value, self.name))

    def row(self, line: int, cells: list[str]) -> None:
        if not any(cells):
            return
        self.parsed.rows_read += 1
        if self.kind == ANSWERS:
            self.answer(line, cells)
        else:
            self.rating(line, cells)

    def answers_at_once(self, rows: list[t.Row]) -> bool:
        """Check and keep many answer rows at once, column by column; False (and nothing
        kept, nothing reported) when any row has a problem: then `row` checks them one by
        one and names every problem. Accepts exactly the rows `answer` accepts."""
        if self.kind != ANSWERS:
            return False
        rows = [(line, cells) for line, cells in rows if any(cells)]
        values = self.at_once.parse([cells for _line, cells in rows])
        if values is None:
            return False
        municipalities, domains, technologies = (
            values["municipality"],
            values["domain"],
            values["technology"],
        )
        stages = values["stage"]
        dimensions = [values[dimension] for dimension in v.DIMENSIONS]
        if not set(stages) <= KNOWN_STAGES:
            return False
        if any(not set(column) <= KNOWN_VALUES for column in dimensions):
            return False
        if v.NOT_RELEVANT in stages and any(
            stage == v.NOT_RELEVANT and any(given)
            for stage, *given in zip(stages, *dimensions, strict=True)
        ):
            return False
        if not all(municipalities) or not all(domains) or not all(technologies):
            return False  # an id 0 is never looked up in `answer`; let it decide
        if not set(zip(domains, technologies, strict=True)) <= self.catalogue.relevant:
            return False
        keys = list(zip(municipalities, domains, technologies, strict=True))
        distinct = set(keys)
        if len(distinct) != len(keys) or not self.seen.keys().isdisjoint(distinct):
            return False
        lines = [line for line, _cells in rows]
        self.seen.update(zip(keys, lines, strict=True))
        self.parsed.rows_read += len(rows)
        self.parsed.answers.extend(
            map(
                AnswerRow,
                lines,
                municipalities,
                domains,
                technologies,
                stages,
                *dimensions,
                values["comment"],
            )
        )
        return True

    def answer(self, line: int, cells: list[str]) -> None:
        problems = self.parsed.problems
        before = len(problems)
        values = t.parse_cells(line, cells, self.header, self.columns, problems, self.name)
        municipality, domain, technology = (
            values["municipality"],
            values["domain"],
            values["technology"],
        )
        text = self.header.text
        if domain and technology and (domain, technology) not in self.catalogue.relevant:
            self.problem(line, "technology", NOT_IN_DOMAIN, text(cells, "technology"))
        dimensions = {dimension: values[dimension] for dimension in v.DIMENSIONS}
        for key, code in rules.validate_answer(
            values["stage"], dimensions, require_values=False
        ).items():
            self.problem(line, key, code, text(cells, key))
        if municipality and domain and technology:
            first = self.seen.setdefault((municipality, domain, technology), line)
            if first != line:
                self.problem(line, "technology", t.DUPLICATE, str(first))
        if len(problems) == before:
            self.parsed.answers.append(
                AnswerRow(
                    line,
                    municipality,
                    domain,
                    technology,
                    values["stage"],
                    dimensions[v.EFFICIENCY],
                    dimensions[v.QUALITY],
                    dimensions[v.WELLBEING],
                    values["comment"],
                )
            )

    def rating(self, line: int, cells: list[str]) -> None:
        problems = self.parsed.problems
        before = len(problems)
        values = t.parse_cells(line, cells, self.header, self.columns, problems, self.name)
        technology = values["technology"]
        if technology:
            first = self.seen.setdefault((technology,), line)
            if first != line:
                self.problem(line, "technology", t.DUPLICATE, str(first))
        if len(problems) == before:
            self.parsed.ratings.append(
                RatingRow(line, technology, values["rating"], values["rationale"])
            )


def _start(
    catalogue: Catalogue, parsed: Parsed, name: str, rows: Iterator[t.Row]
) -> tuple[_Sheet | None, bool]:
    """The checker of a sheet from its first non-empty row, and whether that row was a
    header (an XLSX sheet of notes has none and is skipped)."""
    for line, cells in rows:
        if not any(cells):
            continue
        kind = sheet_kind(cells)
        if not kind:
            return None, False
        columns = answer_columns(catalogue) if kind == ANSWERS else rating_columns(catalogue)
        header = t.match_header(cells, columns)
        if header.missing:
            for heading in header.missing:
                parsed.problems.append(Problem(line, heading, t.MISSING_COLUMNS, "", name))
            return None, True
        return _Sheet(catalogue, parsed, name, kind, header), True
    return None, False


def parse(stream: IO[bytes], catalogue: Catalogue, progress: Progress = no_progress) -> Parsed:
    """Parse a CSV or XLSX file (a seekable binary stream) into rows and problems."""
    with t.cycles_collected_after():
        return _parse(stream, catalogue, progress)


def _parse(stream: IO[bytes], catalogue: Catalogue, progress: Progress) -> Parsed:
    parsed = Parsed()
    reader = t.Reader(stream, LIMITS, HEADING_KEYS)
    found_header = False
    for sheet in reader.sheets():
        checker, was_header = _start(catalogue, parsed, sheet.name, sheet.rows)
        found_header = found_header or was_header
        if checker is None:
            if not sheet.name and not was_header and not reader.problems:
                parsed.problems.append(Problem(1, "", t.NO_HEADER))
            continue
        while True:
            known = len(reader.problems)
            batch = list(itertools.islice(sheet.rows, PROGRESS_EVERY))
            if not batch:
                break
            if checker.answers_at_once(batch):
                progress(reader.share_read(), parsed.rows_read)
                continue
            for line, cells in batch:
                checker.row(line, cells)
                if t.too_many_problems(parsed.problems):
                    # The batch was read past this row; what the reader found there (a row
                    # too many, a line too long) would not have been reached.
                    parsed.problems[:0] = reader.problems[:known]
                    return parsed
                if parsed.rows_read % PROGRESS_EVERY == 0:
                    progress(reader.share_read(), parsed.rows_read)
    parsed.problems[:0] = reader.problems
    if not parsed.problems and not found_header:
        parsed.problems.append(Problem(1, "", t.NO_HEADER))
    if not parsed.problems and not parsed.answers and not parsed.ratings:
        parsed.problems.append(Problem(0, "", t.NO_ROWS))
    progress(1.0, parsed.rows_read)
    return parsed
