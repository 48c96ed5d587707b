"""How a file or a filter may name a municipality (pure, no Django).

"630", "0630", "Vejle", "vejle kommune", "Vejle Kommune", "Københavns Kommune",
"Bornholms Regionskommune", "Århus" and the slug all name the same municipality."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TypeVar

from kommuneradar.core.tabular import normalise

_SUFFIXES = (" regionskommune", " kommune")

K = TypeVar("K")


@functools.lru_cache(maxsize=16384)
def municipality_key(text: str) -> str:
    """The lookup key of a name or code: normalised ("å" as "aa", as in "Aarhus"), without
    leading zeros or a trailing "Kommune"."""
    key = normalise(text).replace("å", "aa")
    if key.isdigit():
        return key.lstrip("0") or "0"
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            return key[: -len(suffix)].strip()
    return key


def municipality_table(rows: Iterable[tuple[K, str, str, str]]) -> dict[str, K]:
    """Lookup key -> id (or whatever the first item is) from (id, code, name, slug) rows.
    The genitive of the official name ("Københavns Kommune") is accepted too."""
    rows = list(rows)
    table: dict[str, K] = {}
    for pk, code, name, slug in rows:
        for text in (code, name, slug):
            table.setdefault(municipality_key(text), pk)
    for pk, _code, name, _slug in rows:
        table.setdefault(municipality_key(f"{name}s Kommune"), pk)
    return table


def find_municipality(table: dict[str, K], text: str) -> K | None:
    """The municipality `text` names in a table of `municipality_table`, or None."""
    return table.get(municipality_key(text))
