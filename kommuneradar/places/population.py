"""Parse a Danmarks Statistik population export (pure functions, no Django).

Statbank exports are semicolon separated, may carry title and header lines, name
a municipality as "101 København" and put the figure in the last column. The
file may be UTF-8 (with or without BOM) or Windows-1252.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

# Christiansø has a municipality code in Statbank tables but is run by the state.
NOT_A_MUNICIPALITY = {"411"}

_AREA = re.compile(r"^\s*(\d{3})\s+(.+?)\s*$")
_NUMBER = re.compile(r"^\d{1,3}(?:[.\s]\d{3})+$|^\d+$")


@dataclass(frozen=True)
class PopulationRow:
    line: int
    code: str
    name: str
    population: int


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.reason}"


def decode_export(raw: bytes) -> str:
    """Decode bytes as UTF-8 (BOM stripped) or, failing that, Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def parse_population_export(
    text: str, known_codes: dict[str, str]
) -> tuple[list[PopulationRow], list[RowError]]:
    """Return the rows that name a municipality and every error found.

    `known_codes` maps each municipality code to its name. Lines that do not start
    with a three-digit code (titles, headers, "Hele landet", regions) are skipped.
    """
    rows: list[PopulationRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text), delimiter=";", quotechar='"')
    for line_no, cells in enumerate(reader, start=1):
        cells = [cell.strip() for cell in cells]
        area_cell = next((cell for cell in cells if cell), "")
        match = _AREA.match(area_cell)
        if not match:
            continue
        code, name = match.group(1), match.group(2)
        if code in NOT_A_MUNICIPALITY:
            continue
        if code not in known_codes:
            errors.append(RowError(line_no, "municipality", f"unknown municipality code {code}"))
            continue
        if name.casefold() != known_codes[code].casefold():
            errors.append(
                RowError(
                    line_no,
                    "municipality",
                    f"code {code} is {known_codes[code]}, but the line says {name!r}",
                )
            )
            continue
        if code in seen:
            errors.append(
                RowError(
                    line_no, "municipality", f"{code} {name} already given on line {seen[code]}"
                )
            )
            continue
        figure = cells[-1] if len(cells) > 1 else ""
        if not _NUMBER.match(figure):
            errors.append(
                RowError(line_no, "population", f"{figure!r} is not a whole number of inhabitants")
            )
            continue
        population = int(re.sub(r"[.\s]", "", figure))
        if population <= 0:
            errors.append(RowError(line_no, "population", "must be greater than zero"))
            continue
        seen[code] = line_no
        rows.append(PopulationRow(line_no, code, name, population))
    if not rows and not errors:
        errors.append(RowError(0, "file", "no line names a municipality as '101 København'"))
    return rows, errors
