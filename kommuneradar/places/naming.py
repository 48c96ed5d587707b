"""Find a municipality from what a person types: a code ("630"), a name ("Vejle"), or the
official form ("Vejle Kommune", "Københavns Kommune", "Bornholms Regionskommune"). Pure,
no Django: the caller passes the (code, name) pairs."""

from __future__ import annotations

import re
from collections.abc import Iterable

SUFFIXES = ("regionskommune", "kommune")


def _key(text: str) -> str:
    """Case, spacing, punctuation and "å"/"aa" do not matter."""
    folded = text.casefold().replace("å", "aa")
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def municipality_code(typed: str, municipalities: Iterable[tuple[str, str]]) -> str | None:
    """The code of the municipality `typed` names, or None when it names none.

    A code may be written with leading zeros ("0101"); a name may end in "Kommune" or
    "Regionskommune", with or without the genitive s ("Københavns Kommune")."""
    text = _key(typed)
    if not text:
        return None
    pairs = list(municipalities)
    if text.isdigit():
        code = text.lstrip("0").zfill(3)
        return code if any(code == known for known, _name in pairs) else None
    words = text.split()
    if len(words) > 1 and words[-1] in SUFFIXES:
        words = words[:-1]
    stem = " ".join(words)
    by_name = {_key(name): code for code, name in pairs}
    if stem in by_name:
        return by_name[stem]
    if stem.endswith("s") and stem[:-1] in by_name:
        return by_name[stem[:-1]]
    return None
