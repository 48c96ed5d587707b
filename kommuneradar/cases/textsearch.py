"""Danish search, without Django: what the index holds and what a query asks for.

Both databases index the same thing, computed here: the Danish snowball stems of each
field of a case at the same positions (an FTS5 row on SQLite, a tsvector on PostgreSQL).
A query becomes a `SearchPlan`, also computed here, from the typed words, the vocabulary
of indexed words and the technology catalogue: each typed word may match as itself, as
the start of a longer word (prefix), inside a compound ("robot" in "hygiejnerobotter"),
through the catalogue's names, abbreviations and synonyms ("RPA"), or, when nothing
knows it, as the nearest indexed words (spelling slips) or the two known words it is
made of. The plan is rendered as an FTS5 MATCH expression or a tsquery, so both
databases find the same cases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import snowballstemmer

from . import fuzzy

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("danish")
MAX_QUERY_TERMS = 12
MAX_QUERY_PARTS = 2 * MAX_QUERY_TERMS  # words and phrases read from one query (stop words too)
PREFIX_MIN = 3  # a typed word of at least 3 letters also finds longer words it starts
INFIX_MIN = 4  # ... and from 4 letters, compounds it ends or sits inside
CATALOGUE_PREFIX_MIN = 5  # a typed stem of 5+ letters also spells catalogue terms it begins
MAX_INFIX_WORDS = 40
SPLIT_PART_MIN = 3
MAX_WORD_LENGTH = 60  # longer tokens are indexed but kept out of the vocabulary
# PostgreSQL keeps word positions up to 16383 and 256 positions per word: words after the
# 16383rd position are indexed on neither database, so both find the same cases.
MAX_POSITION = 16_383
MAX_POSITIONS_PER_WORD = 256
FIELD_WEIGHTS = ("A", "B", "C", "D", "D")  # title, summary, keywords, body, lessons
RANKED_FIELDS = 3  # title, summary and keywords make the small ranking vector

# Common Danish function words: indexed, but not required when typed among other words.
STOP_WORDS = frozenset((
    "af", "alle", "at", "blev", "bliver", "da", "de", "dem", "den", "denne", "der", "deres",
    "det", "dette", "dig", "din", "dog", "du", "efter", "eller", "en", "end", "er", "et",
    "for", "fra", "ham", "han", "hans", "har", "havde", "have", "hende", "hendes", "her",
    "hos", "hun", "hvad", "hvis", "hvor", "i", "ikke", "ind", "jeg", "jer", "kan", "kun",
    "man", "mange", "med", "meget", "men", "mig", "min", "mod", "ned", "noget", "nogle", "nu",
    "når", "og", "også", "om", "op", "os", "over", "på", "sig", "sin", "sine", "sit", "skal",
    "som", "så", "til", "ud", "under", "var", "ved", "vi", "vil", "være", "været",
))  # fmt: skip


def tokens(text: str) -> list[str]:
    """The words of `text`, lower-cased; punctuation, underscores and operators are dropped."""
    return [match.group(0).lower() for match in _WORD.finditer(text)]


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """The Danish snowball stem of one lower-case word ("skærmbesøgene" -> "skærmbesøg")."""
    return str(_STEMMER.stemWord(word))


def stems_of(text: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in tokens(text))


# --- the index -------------------------------------------------------------------------


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass(frozen=True)
class IndexedCase:
    """A case as the index holds it: the stems of each field (title, summary, keywords,
    body, lessons) and the (word, stem) pairs that join the vocabulary."""

    fields: tuple[tuple[str, ...], ...]
    words: frozenset[tuple[str, str]]

    def columns(self) -> tuple[str, ...]:
        """One text of space-separated stems per field: an FTS5 row."""
        return tuple(" ".join(stems) for stems in self.fields)

    def tsvector(self, fields: int = len(FIELD_WEIGHTS)) -> str:
        """A PostgreSQL tsvector literal of the first `fields` fields, each stem with its
        positions and field weight. Fields are one position apart, so no phrase spans two
        fields (as in FTS5, where each field is a column)."""
        positions: dict[str, list[str]] = {}
        offset = 0
        for stems, weight in zip(self.fields[:fields], FIELD_WEIGHTS, strict=False):
            for index, one in enumerate(stems, start=offset + 1):
                kept = positions.setdefault(one, [])
                if len(kept) < MAX_POSITIONS_PER_WORD:
                    kept.append(f"{index}{weight}")
            offset += len(stems) + 1
        return " ".join(f"{_lexeme(one)}:{','.join(kept)}" for one, kept in positions.items())


def index_case(title: str, summary: str, keywords: str, body: str, lessons: str) -> IndexedCase:
    """The index entry of a case's texts (keywords: names of its technologies, domains,
    municipalities and effects)."""
    fields: list[tuple[str, ...]] = []
    words: set[tuple[str, str]] = set()
    room = MAX_POSITION
    for text in (title, summary, keywords, body, lessons):
        typed = tokens(text)[: max(room, 0)]
        room -= len(typed) + 1
        stems = tuple(stem(word) for word in typed)
        fields.append(stems)
        words.update(
            (word, one)
            for word, one in zip(typed, stems, strict=True)
            if len(word) <= MAX_WORD_LENGTH
        )
    return IndexedCase(tuple(fields), frozenset(words))


# --- the catalogue ---------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueTerm:
    """A name, abbreviation or synonym of a technology (`expands`: a search for the
    technology also looks for it), or a broader term (only leads to the technology)."""

    technology: str
    text: str
    expands: bool = True


@dataclass(frozen=True)
class _Catalogue:
    by_stems: dict[tuple[str, ...], list[CatalogueTerm]]
    expansions: dict[str, list[tuple[str, ...]]]
    words: dict[str, str]  # every word of every term -> its stem
    longest: int


def _prepare(catalogue: Sequence[CatalogueTerm]) -> _Catalogue:
    return _prepared(tuple(catalogue))


@lru_cache(maxsize=4)
def _prepared(catalogue: tuple[CatalogueTerm, ...]) -> _Catalogue:
    """The catalogue indexed for matching (cached: it changes only when analysts edit it,
    and then the cache key changes with it)."""
    by_stems: dict[tuple[str, ...], list[CatalogueTerm]] = {}
    expansions: dict[str, list[tuple[str, ...]]] = {}
    words: dict[str, str] = {}
    for term in catalogue:
        stems = stems_of(term.text)
        if not stems:
            continue
        by_stems.setdefault(stems, []).append(term)
        if term.expands and stems not in expansions.setdefault(term.technology, []):
            expansions[term.technology].append(stems)
        words.update((word, stem(word)) for word in tokens(term.text))
    longest = max((len(stems) for stems in by_stems), default=0)
    return _Catalogue(by_stems, expansions, words, longest)


# --- the query -------------------------------------------------------------------------

_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass(frozen=True)
class QueryPart:
    """A typed word, or a quoted phrase; `excluded` when it had a leading minus."""

    words: tuple[str, ...]
    quoted: bool
    excluded: bool


def parse_query(query: str) -> list[QueryPart]:
    """The parts of a query in the spirit of web search: words, "quoted phrases" and
    -excluded words or phrases. Unquoted text splits into single words."""
    parts: list[QueryPart] = []
    for match in _PART.finditer(query):
        excluded = bool(match.group(1) or match.group(3))
        quoted = match.group(2) is not None
        words = tokens(match.group(2) if quoted else match.group(4))
        if quoted and words:
            parts.append(QueryPart(tuple(words), True, excluded))
        elif not quoted:
            parts.extend(QueryPart((word,), False, excluded) for word in words)
    return parts[:MAX_QUERY_PARTS]


def _free_words(query: str) -> list[str]:
    """The unquoted, wanted words: the ones that may be expanded or corrected."""
    return [part.words[0] for part in parse_query(query) if not part.quoted and not part.excluded]


def _split_affixes(word: str) -> list[str]:
    """Every first part and last part a compound `word` could be made of (a linking s or e
    between them is dropped)."""
    affixes: list[str] = []
    for cut in range(SPLIT_PART_MIN, len(word) - SPLIT_PART_MIN + 1):
        affixes.append(word[:cut])
        affixes.append(word[cut:])
        if word[cut] in "se" and len(word) - cut - 1 >= SPLIT_PART_MIN:
            affixes.append(word[cut + 1 :])
    return affixes


@dataclass(frozen=True)
class Lookups:
    """Which vocabulary rows a query needs (what the database fetches): words or stems
    containing a typed word or its stem, and exact words or stems."""

    containing_words: tuple[str, ...] = ()
    containing_stems: tuple[str, ...] = ()
    exact_words: tuple[str, ...] = ()
    exact_stems: tuple[str, ...] = ()

    def selects(self, word: str, word_stem: str) -> bool:
        """Whether the database query for these lookups returns this vocabulary row."""
        return (
            word in self.exact_words
            or word_stem in self.exact_stems
            or any(part in word for part in self.containing_words)
            or any(part in word_stem for part in self.containing_stems)
        )


def vocabulary_lookups(query: str) -> Lookups:
    """The vocabulary rows a plan for `query` may depend on, apart from spelling slips:
    rows containing a typed word or its stem (3+ letters), short words and stems exactly,
    and every part a typed compound could be split into, as a word or a stem."""
    words = _free_words(query)
    stems = [stem(word) for word in words]
    affixes = {affix for word in words for affix in _split_affixes(word)}
    return Lookups(
        containing_words=tuple(sorted({w for w in words if len(w) >= PREFIX_MIN})),
        containing_stems=tuple(sorted({s for s in stems if len(s) >= PREFIX_MIN})),
        exact_words=tuple(sorted({w for w in words if len(w) < PREFIX_MIN} | affixes)),
        exact_stems=tuple(sorted({s for s in stems if len(s) < PREFIX_MIN} | affixes)),
    )


@dataclass(frozen=True)
class SpellingLookup:
    """Vocabulary rows whose word or stem may lie within `limit` edits of `word`: its length
    is close and it contains one of the word's pieces (see `fuzzy.pieces`; `corrections`
    then also checks where the piece stands)."""

    word: str
    limit: int

    @property
    def pieces(self) -> tuple[str, ...]:
        return tuple(piece for _offset, piece in fuzzy.pieces(self.word, self.limit))

    @property
    def shortest(self) -> int:
        return len(self.word) - self.limit

    @property
    def longest(self) -> int:
        return len(self.word) + self.limit

    def near(self, text: str) -> bool:
        return self.shortest <= len(text) <= self.longest and any(
            piece in text for piece in self.pieces
        )

    def selects(self, word: str, word_stem: str) -> bool:
        return self.near(word) or self.near(word_stem)


def _is_known(
    word: str, vocabulary: Mapping[str, str], stems: set[str], catalogue: _Catalogue
) -> bool:
    """A typed word is known when it or its stem is indexed or in the catalogue, when it
    begins a catalogue word, or when it begins (3+ letters) or sits inside (4+ letters) an
    indexed word."""
    word_stem = stem(word)
    if word in vocabulary or word_stem in stems or word in catalogue.words:
        return True
    if word_stem in catalogue.words.values():
        return True
    if len(word_stem) >= CATALOGUE_PREFIX_MIN and any(
        other.startswith(word_stem) for other in catalogue.words.values()
    ):
        return True
    if len(word) >= PREFIX_MIN and any(other.startswith(word) for other in vocabulary):
        return True
    return len(word) >= INFIX_MIN and any(word in other for other in vocabulary)


def _spelling_space(vocabulary: Mapping[str, str], catalogue: _Catalogue) -> dict[str, str]:
    """Every known word and every known stem (standing for itself), with its stem: typed
    words are corrected and split against these."""
    space = {one: one for one in (*vocabulary.values(), *catalogue.words.values())}
    space.update(catalogue.words)
    space.update(vocabulary)
    return space


def unknown_words(
    query: str, vocabulary: Mapping[str, str], catalogue: Sequence[CatalogueTerm]
) -> list[str]:
    """The typed words that neither the vocabulary nor the catalogue knows (spelling slips
    or words no case uses), in order, without repeats."""
    prepared = _prepare(catalogue)
    stems = set(vocabulary.values())
    unknown: list[str] = []
    for word in _free_words(query):
        if word not in unknown and not _is_known(word, vocabulary, stems, prepared):
            unknown.append(word)
    return unknown


def spelling_lookups(words: Iterable[str]) -> list[SpellingLookup]:
    """What the database fetches to correct these words (none for words under 4 letters)."""
    return [SpellingLookup(word, limit) for word in words if (limit := fuzzy.typo_limit(word))]


def corrections(word: str, space: Mapping[str, str]) -> list[tuple[str, str]]:
    """The (word, stem) pairs of `space` nearest to `word` within its typo limit (all of
    those at the smallest distance), sorted; empty when none is near enough."""
    limit = fuzzy.typo_limit(word)
    if not limit:
        return []
    best = limit + 1
    nearest: list[tuple[str, str]] = []
    places = fuzzy.placements(word, limit)
    for other, other_stem in sorted(space.items()):
        if abs(len(other) - len(word)) > limit or not any(
            other[offset : offset + len(piece)] == piece for offset, piece in places
        ):
            continue  # surely too far (see fuzzy.may_be_near)
        distance = fuzzy.edit_distance(word, other, limit)
        if distance < best:
            best, nearest = distance, [(other, other_stem)]
        elif distance == best and distance <= limit:
            nearest.append((other, other_stem))
    return nearest


def split_compound(word: str, space: Mapping[str, str]) -> tuple[str, str] | None:
    """The stems of the two known words that `word` is made of ("skærmløsning" ->
    "skærm" + "løsning"; a linking s or e may join them), the most even split first; None
    when it is not made of two known words."""
    best: tuple[int, str, str] | None = None
    for cut in range(SPLIT_PART_MIN, len(word) - SPLIT_PART_MIN + 1):
        head = word[:cut]
        if head not in space:
            continue
        tails = [word[cut:]]
        if word[cut] in "se":
            tails.append(word[cut + 1 :])
        for tail in tails:
            if len(tail) >= SPLIT_PART_MIN and tail in space:
                evenness = min(len(head), len(tail))
                if best is None or evenness > best[0]:
                    best = (evenness, space[head], space[tail])
    return None if best is None else (best[1], best[2])


@dataclass(frozen=True)
class Phrase:
    """Stems that must stand together in this order; `prefix`: the last one may also be
    the start of a longer word."""

    stems: tuple[str, ...]
    prefix: bool = False


Alternative = tuple[Phrase, ...]  # all of its phrases must match (one, or a split compound)


@dataclass(frozen=True)
class Group:
    """One wanted (or excluded) thing: a case matches when any alternative matches.
    `technologies`: the catalogue technologies the typed words named."""

    alternatives: tuple[Alternative, ...]
    technologies: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchPlan:
    """What the databases look for: every required group, none of the excluded ones."""

    required: tuple[Group, ...]
    excluded: tuple[Group, ...] = ()

    @property
    def technologies(self) -> tuple[str, ...]:
        """The technologies named by the query, in catalogue order of first mention."""
        return tuple(dict.fromkeys(slug for group in self.required for slug in group.technologies))

    @cached_property
    def _wanted(self) -> tuple[frozenset[str], tuple[str, ...]]:
        phrases = [
            phrase
            for group in self.required
            for alternative in group.alternatives
            for phrase in alternative
        ]
        exact = frozenset(one for phrase in phrases for one in phrase.stems)
        prefixes = tuple(sorted({phrase.stems[-1] for phrase in phrases if phrase.prefix}))
        return exact, prefixes

    def highlights(self, word_stem: str) -> bool:
        """Whether a word with this stem in a case is one the plan looked for."""
        exact, prefixes = self._wanted
        return word_stem in exact or any(word_stem.startswith(p) for p in prefixes)


def _single(word_stem: str, prefix: bool = False) -> Alternative:
    return (Phrase((word_stem,), prefix),)


def _word_alternatives(
    word: str,
    known: bool,
    fixes: list[tuple[str, str]],
    stems: set[str],
    space: Mapping[str, str],
) -> list[Alternative]:
    word_stem = stem(word)
    if known:
        found = [_single(word_stem, len(word_stem) >= PREFIX_MIN)]
        if len(word_stem) >= INFIX_MIN:
            inside = sorted(
                (
                    other
                    for other in stems
                    if word_stem in other and not other.startswith(word_stem)
                ),
                key=lambda other: (len(other), other),
            )
            found += [_single(other) for other in inside[:MAX_INFIX_WORDS]]
        return found
    found = [_single(fix_stem, len(fix_stem) >= PREFIX_MIN) for _fix, fix_stem in fixes]
    parts = split_compound(word, space)
    if parts is not None:
        found.append((Phrase((parts[0],), True), Phrase((parts[1],), True)))
    return found or [_single(word_stem)]


@dataclass
class _Slot:
    word: str
    known: bool
    fixes: list[tuple[str, str]]
    candidates: set[str]


def _catalogue_match(
    slots: list[_Slot], start: int, catalogue: _Catalogue
) -> tuple[int, list[tuple[str, ...]]]:
    """The longest run of slots from `start` that spells catalogue terms: its length and
    the term stems it spells (0 and [] when none). A single typed word of 5+ letters also
    spells the one-word terms it begins ("velfærd" -> "velfærdsteknologi")."""
    for length in range(min(catalogue.longest, len(slots) - start), 0, -1):
        run = slots[start : start + length]
        spelled = [
            term_stems
            for term_stems in catalogue.by_stems
            if len(term_stems) == length
            and all(one in slot.candidates for one, slot in zip(term_stems, run, strict=True))
        ]
        if length == 1:
            typed = stem(run[0].word)
            if len(typed) >= CATALOGUE_PREFIX_MIN:
                spelled += [
                    term_stems
                    for term_stems in catalogue.by_stems
                    if len(term_stems) == 1
                    and term_stems[0].startswith(typed)
                    and term_stems not in spelled
                ]
        if spelled:
            return length, sorted(spelled)
    return 0, []


def _dedupe(alternatives: Iterable[Alternative]) -> tuple[Alternative, ...]:
    return tuple(dict.fromkeys(alternatives))


def plan_search(
    query: str, vocabulary: Mapping[str, str], catalogue: Sequence[CatalogueTerm]
) -> SearchPlan:
    """The plan for `query`, given the vocabulary (indexed word -> stem; the rows that
    `vocabulary_lookups` and `spelling_lookups` select are enough) and the catalogue.
    Empty `required` when the query wants nothing (only excluded words, or none)."""
    prepared = _prepare(catalogue)
    stems = set(vocabulary.values())
    space = _spelling_space(vocabulary, prepared)
    required: list[tuple[Group, bool]] = []  # (group, only a stop word)
    excluded: list[Group] = []
    run: list[_Slot] = []

    def close_run() -> None:
        position = 0
        while position < len(run):
            length, spelled = _catalogue_match(run, position, prepared)
            slots = run[position : position + max(length, 1)]
            alternatives: list[Alternative] = []
            technologies: list[str] = []
            if length <= 1:
                slot = slots[0]
                alternatives += _word_alternatives(slot.word, slot.known, slot.fixes, stems, space)
            for term_stems in spelled:
                alternatives.append((Phrase(term_stems),))
                for term in prepared.by_stems[term_stems]:
                    if term.technology not in technologies:
                        technologies.append(term.technology)
            for slug in sorted(technologies):
                alternatives += [(Phrase(one),) for one in prepared.expansions.get(slug, [])]
            stop = length == 0 and slots[0].word in STOP_WORDS
            required.append((Group(_dedupe(alternatives), tuple(sorted(technologies))), stop))
            position += max(length, 1)
        run.clear()

    for part in parse_query(query):
        if part.quoted or part.excluded:
            close_run()
            group = Group(((Phrase(tuple(stem(word) for word in part.words)),),))
            if part.excluded:
                excluded.append(group)
            else:
                required.append((group, False))
            continue
        word = part.words[0]
        known = _is_known(word, vocabulary, stems, prepared)
        fixes = [] if known else corrections(word, space)
        run.append(_Slot(word, known, fixes, {stem(word)} | {fix for _w, fix in fixes}))
    close_run()

    wanted = [group for group, stop in required if not stop] or [g for g, _stop in required]
    wanted = list(dict.fromkeys(wanted))[:MAX_QUERY_TERMS]
    excluded = list(dict.fromkeys(excluded))[:MAX_QUERY_TERMS]
    return SearchPlan(tuple(wanted), tuple(excluded))


# --- rendering for the two databases ---------------------------------------------------


def _render(
    plan: SearchPlan,
    phrase: Callable[[Phrase], str],
    conjunction: str,
    disjunction: str,
    negation: Callable[[str], str],
) -> str:
    def group_text(group: Group) -> str:
        options = []
        for alternative in group.alternatives:
            joined = conjunction.join(phrase(one) for one in alternative)
            options.append(f"({joined})" if len(alternative) > 1 else joined)
        return "(" + disjunction.join(options) + ")"

    if not plan.required:
        return ""
    expression = conjunction.join(group_text(group) for group in plan.required)
    for group in plan.excluded:
        expression += negation(group_text(group))
    return expression


def _fts5_phrase(phrase: Phrase) -> str:
    text = '"' + " ".join(phrase.stems).replace('"', '""') + '"'
    return text + "*" if phrase.prefix else text


def fts5_expression(plan: SearchPlan) -> str:
    """The plan as an SQLite FTS5 MATCH expression; every stem is a quoted string, so no
    typed text reaches FTS5 as syntax. Empty when the plan requires nothing."""
    return _render(plan, _fts5_phrase, " AND ", " OR ", lambda group: f" NOT {group}")


def _tsquery_phrase(phrase: Phrase) -> str:
    lexemes = [_lexeme(one) for one in phrase.stems]
    if phrase.prefix:
        lexemes[-1] += ":*"
    return " <-> ".join(lexemes)


def tsquery_expression(plan: SearchPlan) -> str:
    """The plan as a PostgreSQL tsquery literal (cast with ::tsquery, which takes the
    quoted stems as they are). Empty when the plan requires nothing."""
    return _render(plan, _tsquery_phrase, " & ", " | ", lambda group: f" & !{group}")


# --- snippets and suggestions ----------------------------------------------------------


def highlight_segments(text: str, plan: SearchPlan, width: int = 240) -> list[tuple[str, bool]]:
    """A snippet of at most about `width` characters of `text` around the first word the
    plan looked for, as (text, is_match) segments for safe rendering."""
    matches = [m for m in _WORD.finditer(text) if plan.highlights(stem(m.group(0).lower()))]
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


def technology_closeness(query: str, catalogue: Sequence[CatalogueTerm]) -> dict[str, float]:
    """How close `query` comes to each technology (0..1): the best trigram similarity of the
    query, or one of its words, to one of the technology's terms or their words."""
    typed = " ".join(tokens(query))
    typed_words = [word for word in typed.split() if len(word) >= PREFIX_MIN] or [typed]
    closeness: dict[str, float] = {}
    for term in catalogue:
        text = " ".join(tokens(term.text))
        if not text or not typed:
            continue
        score = fuzzy.trigram_similarity(typed, text)
        for word in typed_words:
            for other in text.split():
                score = max(score, fuzzy.trigram_similarity(word, other))
        closeness[term.technology] = max(closeness.get(term.technology, 0.0), score)
    return closeness
