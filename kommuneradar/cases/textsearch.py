"""Danish words for search, without Django: tokens, snowball stems, an FTS5 query and
highlighted snippets. Used for SQLite, where the database has no Danish stemmer."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("danish")
MAX_QUERY_TERMS = 12


def tokens(text: str) -> list[str]:
    """The words of `text`, lower-cased; punctuation and operators are dropped."""
    return [match.group(0).lower() for match in _WORD.finditer(text)]


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The Danish snowball stem of one lower-case word ("skærmbesøgene" -> "skærmbesøg")."""
    return str(_STEMMER.stemWord(word))


def stemmed_text(text: str) -> str:
    """`text` as a space-separated sequence of stems, the form stored in the FTS table."""
    return " ".join(stem(word) for word in tokens(text))


def query_stems(query: str) -> list[str]:
    """The distinct stems of a search query, in order, at most MAX_QUERY_TERMS."""
    seen: list[str] = []
    for word in tokens(query):
        stemmed = stem(word)
        if stemmed not in seen:
            seen.append(stemmed)
    return seen[:MAX_QUERY_TERMS]


_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def _quoted(stems: list[str]) -> str:
    return '"' + " ".join(stems).replace('"', '""') + '"'


def fts_match_expression(query: str) -> str:
    """An FTS5 MATCH expression in the spirit of web search: every word (as its stem) is
    required, "quoted words" must stand together, a leading minus excludes a word or
    phrase. Each term is a quoted FTS5 string, so no user input reaches FTS5 as syntax.
    Empty when the query has no required words."""
    required: list[str] = []
    excluded: list[str] = []
    for match in _PART.finditer(query):
        negated = bool(match.group(1) or match.group(3))
        text = match.group(2) if match.group(2) is not None else match.group(4)
        stems = [stem(word) for word in tokens(text)]
        if not stems:
            continue
        if match.group(2) is not None:
            terms = [_quoted(stems)]
        else:
            terms = [_quoted([one]) for one in stems]
        (excluded if negated else required).extend(terms)
    required = list(dict.fromkeys(required))[:MAX_QUERY_TERMS]
    if not required:
        return ""
    expression = " AND ".join(required)
    for term in excluded[:MAX_QUERY_TERMS]:
        expression += f" NOT {term}"
    return expression


def highlight_segments(text: str, query: str, width: int = 240) -> list[tuple[str, bool]]:
    """A snippet of at most about `width` characters of `text` around the first word whose
    stem matches a stem of `query`, as (text, is_match) segments for safe rendering."""
    wanted = set(query_stems(query))
    matches = [m for m in _WORD.finditer(text) if stem(m.group(0).lower()) in wanted]
    start = 0
    if matches and matches[0].start() > width // 3:
        start = text.rfind(" ", 0, matches[0].start() - width // 3) + 1
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    segments: list[tuple[str, bool]] = []
    position = start
    for match in matches:
        if match.start() < start:
            continue
        if match.end() > end:
            break
        if match.start() > position:
            segments.append((text[position : match.start()], False))
        segments.append((match.group(0), True))
        position = match.end()
    if position < end:
        segments.append((text[position:end], False))
    if start > 0:
        segments.insert(0, ("… ", False))
    if end < len(text):
        segments.append((" …", False))
    return segments


def marked_segments(text: str, start_mark: str, stop_mark: str) -> list[tuple[str, bool]]:
    """Split text that a database highlighted with `start_mark`/`stop_mark` into
    (text, is_match) segments."""
    segments: list[tuple[str, bool]] = []
    rest = text
    while rest:
        before, found, after = rest.partition(start_mark)
        if before:
            segments.append((before, False))
        if not found:
            break
        inside, _, rest = after.partition(stop_mark)
        if inside:
            segments.append((inside, True))
    return segments
