"""The rules of a Danmarks Statistik population export (pure functions, no Django).

Statbank exports are semicolon separated (or XLSX), may carry title and header lines, name
a municipality as "101 København" and put the figure in the last column. The file is read
by the one reader (`core.tabular`: UTF-8 with or without BOM or Windows-1252, within
limits); every problem has its line, column (letter) and code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO

from kommuneradar.core import tabular as t
from kommuneradar.core.tabular import Problem

LIMITS = t.Limits(
    file_bytes=5 * 1024 * 1024,
    expanded_bytes=16 * 1024 * 1024,
    rows=10_000,
    columns=50,
    shared_strings_bytes=2 * 1024 * 1024,
)

# Christiansø has a municipality code in Statbank tables but is run by the state.
NOT_A_MUNICIPALITY = {"411"}

# Codes beyond the reader's own (core.tabular).
UNKNOWN_CODE = "unknown_code"  # value: the code
OTHER_NAME = "other_name"  # value: the name the code has
NOT_INHABITANTS = "not_inhabitants"  # value: the cell
NO_MUNICIPALITY_LINES = "no_municipality_lines"

_AREA = re.compile(r"^\s*(\d{3})\s+(.+?)\s*$")
_NUMBER = re.compile(r"^\d{1,3}(?:[.\s]\d{3})+$|^\d+$")


@dataclass(frozen=True)
class PopulationRow:
    line: int
    code: str
    name: str
    population: int


def parse_population_export(
    stream: IO[bytes], known_codes: dict[str, str]
) -> tuple[list[PopulationRow], list[Problem]]:
    """Return the rows that name a municipality and every problem found.

    `known_codes` maps each municipality code to its name. Lines that do not start
    with a three-digit code (titles, headers, "Hele landet", regions) are skipped.
    """
    reader = t.Reader(stream, LIMITS)
    rows: list[PopulationRow] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for sheet in reader.sheets():
        for line, cells in sheet.rows:
            row = _row(line, cells, known_codes, seen, problems, sheet.name)
            if row is not None:
                seen[row.code] = line
                rows.append(row)
            if t.too_many_problems(problems):
                break
        if rows or problems:
            break  # the first sheet with figures is the table
    problems[:0] = reader.problems
    if not rows and not problems:
        problems.append(Problem(0, "", NO_MUNICIPALITY_LINES))
    return rows, problems


def _row(
    line: int,
    cells: list[str],
    known_codes: dict[str, str],
    seen: dict[str, int],
    problems: list[Problem],
    sheet: str,
) -> PopulationRow | None:
    index, area = next(((i, cell) for i, cell in enumerate(cells) if cell), (0, ""))
    match = _AREA.match(area)
    if not match:
        return None
    code, name = match.group(1), match.group(2)
    if code in NOT_A_MUNICIPALITY:
        return None
    column = t.column_letter(index)
    if code not in known_codes:
        problems.append(Problem(line, column, UNKNOWN_CODE, code, sheet))
        return None
    if name.casefold() != known_codes[code].casefold():
        problems.append(Problem(line, column, OTHER_NAME, f"{code} {known_codes[code]}", sheet))
        return None
    if code in seen:
        problems.append(Problem(line, column, t.DUPLICATE, str(seen[code]), sheet))
        return None
    figure = cells[-1] if len(cells) > index + 1 else ""
    figure_column = t.column_letter(max(len(cells) - 1, index + 1))
    if not _NUMBER.match(figure) or int(re.sub(r"[.\s]", "", figure)) <= 0:
        problems.append(Problem(line, figure_column, NOT_INHABITANTS, figure, sheet))
        return None
    return PopulationRow(line, code, name, int(re.sub(r"[.\s]", "", figure)))
