"""How a file or a filter may name a municipality (pure, no Django).

"630", "0630", "Vejle", "vejle kommune", "Vejle Kommune", "Københavns Kommune",
"Bornholms Regionskommune" and the slug all name the same municipality."""

from __future__ import annotations

from collections.abc import Iterable

from kommuneradar.core.tabular import normalise

_SUFFIXES = (" regionskommune", " kommune")


def municipality_key(text: str) -> str:
    """The lookup key of a name or code: normalised, without leading zeros or a trailing
    "Kommune"."""
    key = normalise(text)
    if key.isdigit():
        return key.lstrip("0") or "0"
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            return key[: -len(suffix)].strip()
    return key


def municipality_table(rows: Iterable[tuple[int, str, str, str]]) -> dict[str, int]:
    """Lookup key -> id from (id, code, name, slug) rows. The genitive of the official
    name ("Københavns Kommune") is accepted too."""
    rows = list(rows)
    table: dict[str, int] = {}
    for pk, code, name, slug in rows:
        for text in (code, name, slug):
            table.setdefault(municipality_key(text), pk)
    for pk, _code, name, _slug in rows:
        table.setdefault(municipality_key(f"{name}s Kommune"), pk)
    return table


def find_municipality(table: dict[str, int], text: str) -> int | None:
    return table.get(municipality_key(text))
