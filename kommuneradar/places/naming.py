"""How a file, a filter or a URL names a municipality (pure, no Django).

"630", "0630", "Vejle", "vejle kommune", "Vejle Kommune", "Københavns Kommune",
"Bornholms Regionskommune", "Århus" and the slug all name the same municipality.
Municipalities of other countries than Denmark are named by their code or name too, and
always by "<country>:<code>" ("xs:S00001"); where a Danish and a foreign name or code
coincide, the Danish municipality wins."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from kommuneradar.core.tabular import normalise

HOME_COUNTRY = "DK"

_SUFFIXES = (" regionskommune", " kommune")
_FOREIGN_URL = re.compile(r"^([a-z]{2})[/:](.+)$")

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


def place_table(rows: Iterable[tuple[K, str, str, str, str]]) -> dict[str, K]:
    """Lookup key -> id from (id, country, code, name, slug) rows: Denmark's names and
    codes first, then every foreign one by "<country>:<code>", then their plain names and
    codes where no Danish one has taken them."""
    rows = list(rows)
    home = [
        (pk, code, name, slug) for pk, country, code, name, slug in rows if country == HOME_COUNTRY
    ]
    foreign = [row for row in rows if row[1] != HOME_COUNTRY]
    table = municipality_table(home)
    for pk, country, code, _name, _slug in foreign:
        table.setdefault(municipality_key(f"{country}:{code}"), pk)
    for key, pk in municipality_table(
        (pk, code, name, slug) for pk, _country, code, name, slug in foreign
    ).items():
        table.setdefault(key, pk)
    return table


def find_municipality(table: dict[str, K], text: str) -> K | None:
    """The municipality `text` names in a table of `municipality_table`, or None."""
    return table.get(municipality_key(text))


def place_slug(name: str) -> str:
    """The slug of a name, Danish letters spelt out ("Tårnby" -> "taarnby"), as the
    municipalities' slugs were made: lower-case ASCII letters, digits and hyphens."""
    for letter, spelt in (
        ("æ", "ae"),
        ("ø", "oe"),
        ("å", "aa"),
        ("Æ", "Ae"),
        ("Ø", "Oe"),
        ("Å", "Aa"),
    ):
        name = name.replace(letter, spelt)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^\w\s-]", "", ascii_name.lower())
    return re.sub(r"[-\s]+", "-", ascii_name).strip("-_")


def municipality_slug(country: str, name: str) -> str:
    """A municipality's slug, unique over every country: Denmark's from its name
    ("taarnby"), another country's with the country in front ("xs-syntetisk-00001")."""
    slug = place_slug(name)
    return slug if country == HOME_COUNTRY else f"{country.lower()}-{slug}"


def lookup_candidates(typed: str) -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """What a database may be asked to find what a person typed: the codes, the slugs, and
    (country, code) pairs it may mean. Every municipality `find_municipality` would find in
    a table of all municipalities has one of them (tested), so a lookup reads only these
    rows and then decides with the same table."""
    text = typed.strip()
    key = municipality_key(text)
    codes = {text, key, key.upper()}
    if key.isdigit():
        codes |= {key.zfill(width) for width in range(len(key), 11)}
    bare = key.removesuffix("s")
    slugs = {place_slug(key), place_slug(bare), place_slug(text)}
    qualified: set[tuple[str, str]] = set()
    match = re.match(r"^([A-Za-z]{2})\s*[:/ ]\s*(\S.*)$", text)
    if match:
        qualified.add((match.group(1).upper(), match.group(2).strip()))
    return codes - {""}, slugs - {""}, qualified


def url_code(country: str, code: str) -> str:
    """A municipality in a URL: Denmark's by its code ("101"), another country's by the
    country in lower case and the code ("xs/S00001")."""
    return code if country == HOME_COUNTRY else f"{country.lower()}/{code}"


def split_url_code(text: str) -> tuple[str, str]:
    """(country, code) of a URL's municipality (the inverse of `url_code`)."""
    match = _FOREIGN_URL.match(text)
    if match:
        return match.group(1).upper(), match.group(2)
    return HOME_COUNTRY, text
