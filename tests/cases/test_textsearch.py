"""The pure search rules: edit distance, lossless prefilters, compound words, catalogue
terms, the index entry, and the promise that the database's prefetch never changes a plan."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kommuneradar.cases import fuzzy, textsearch
from kommuneradar.cases.textsearch import CatalogueTerm, Phrase

# No deadlines: a test never fails for being slow on a busy machine.
unhurried = settings(deadline=None)
letters = st.text(alphabet="abcdeklmnorstæøå", min_size=0, max_size=12)
words = st.text(alphabet="abcdeklmnorstæøå", min_size=1, max_size=12)


def full_distance(first: str, second: str) -> int:
    """The textbook Levenshtein distance, every cell computed: the reference."""
    previous = list(range(len(second) + 1))
    for row, char in enumerate(first, start=1):
        current = [row]
        for column, other in enumerate(second, start=1):
            current.append(
                min(previous[column] + 1, current[-1] + 1, previous[column - 1] + (char != other))
            )
        previous = current
    return previous[-1]


@unhurried
@given(letters, letters)
def test_edit_distance_is_symmetric_and_zero_only_for_equal_words(a: str, b: str) -> None:
    assert full_distance(a, b) == full_distance(b, a)
    assert (full_distance(a, b) == 0) == (a == b)
    assert abs(len(a) - len(b)) <= full_distance(a, b) <= max(len(a), len(b))


@unhurried
@given(letters, letters, letters)
def test_edit_distance_obeys_the_triangle_inequality(a: str, b: str, c: str) -> None:
    assert full_distance(a, c) <= full_distance(a, b) + full_distance(b, c)


@unhurried
@given(letters, letters, st.integers(min_value=0, max_value=13))
def test_a_limited_distance_is_exact_up_to_its_limit(a: str, b: str, limit: int) -> None:
    assert fuzzy.edit_distance(a, b, limit) == min(full_distance(a, b), limit + 1)


def test_known_distances() -> None:
    assert fuzzy.edit_distance("skærmbesøk", "skærmbesøg", 2) == 1
    assert fuzzy.edit_distance("medicindispesn", "medicindispens", 2) == 2
    assert fuzzy.edit_distance("robot", "robotplæneklip", 2) == 3


@st.composite
def word_and_slip(draw: st.DrawFn) -> tuple[str, str, int]:
    """A word and the same word after up to its typo limit of random edits."""
    word = draw(st.text(alphabet="abcdeklmnorstæøå", min_size=4, max_size=14))
    limit = fuzzy.typo_limit(word)
    slipped = word
    for _edit in range(draw(st.integers(min_value=0, max_value=limit))):
        position = draw(st.integers(min_value=0, max_value=len(slipped)))
        letter = draw(st.sampled_from("abcdeklmnorstæøå"))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        if kind == "insert":
            slipped = slipped[:position] + letter + slipped[position:]
        elif kind == "delete":
            slipped = slipped[:position] + slipped[position + 1 :]
        else:
            slipped = slipped[:position] + letter + slipped[position + 1 :]
    return word, slipped, limit


@unhurried
@given(word_and_slip())
def test_every_word_within_the_limit_holds_a_piece_in_place(case: tuple[str, str, int]) -> None:
    word, slipped, limit = case
    assert fuzzy.edit_distance(word, slipped, limit) <= limit
    assert fuzzy.may_be_near(word, slipped, limit)
    assert "".join(piece for _offset, piece in fuzzy.pieces(word, limit)) == word


@unhurried
@given(letters, letters, st.integers(min_value=0, max_value=3))
def test_the_cheap_test_never_rejects_a_near_word(a: str, b: str, limit: int) -> None:
    if full_distance(a, b) <= limit:
        assert fuzzy.may_be_near(a, b, limit)


@unhurried
@given(st.text(max_size=30), st.text(max_size=30))
def test_trigram_similarity_is_a_symmetric_share(a: str, b: str) -> None:
    similarity = fuzzy.trigram_similarity(a, b)
    assert 0.0 <= similarity <= 1.0
    assert similarity == fuzzy.trigram_similarity(b, a)
    if a.split() and a.lower() == b.lower():
        assert similarity == 1.0


CATALOGUE = [
    CatalogueTerm("rpa", "Robotic Process Automation"),
    CatalogueTerm("rpa", "RPA"),
    CatalogueTerm("rpa", "softwarerobot"),
    CatalogueTerm("skaermbesoeg", "Skærmbesøg"),
    CatalogueTerm("skaermbesoeg", "velfærdsteknologi", expands=False),
    CatalogueTerm("sensorer", "Sensorer"),
    CatalogueTerm("sensorer", "velfærdsteknologi", expands=False),
    CatalogueTerm("machine-learning", "Machine Learning"),
    CatalogueTerm("machine-learning", "kunstig intelligens", expands=False),
]
KNOWN_WORDS = (
    "skærmbesøg skærmbesøgene hygiejnerobotter softwarerobotten robotter skærm løsningen "
    "velfærdsteknologi teknologi natten robotic process automation intelligens"
)
VOCABULARY = {word: textsearch.stem(word) for word in textsearch.tokens(KNOWN_WORDS)}


def plan(query: str) -> textsearch.SearchPlan:
    return textsearch.plan_search(query, VOCABULARY, CATALOGUE)


def alternatives(query: str) -> set[tuple[Phrase, ...]]:
    (group,) = plan(query).required
    return set(group.alternatives)


def test_a_word_also_finds_longer_words_and_compounds_it_ends() -> None:
    found = alternatives("robot")
    assert (Phrase(("robot",), prefix=True),) in found
    assert (Phrase(("hygiejnerobot",)),) in found
    assert (Phrase(("softwarerobot",)),) in found


def test_short_words_match_only_themselves() -> None:
    assert plan("it").required[0].alternatives == ((Phrase(("it",)),),)


def test_an_abbreviation_expands_to_the_technologys_names_and_synonyms() -> None:
    (group,) = plan("RPA").required
    assert group.technologies == ("rpa",)
    phrases = {alternative[0].stems for alternative in group.alternatives}
    assert {("rpa",), ("softwarerobot",), textsearch.stems_of("Robotic Process Automation")} <= (
        phrases
    )


def test_a_broader_term_leads_to_every_technology_it_covers_but_not_back() -> None:
    assert plan("velfærdsteknologi").technologies == ("sensorer", "skaermbesoeg")
    phrases = {a[0].stems for a in plan("velfærdsteknologi").required[0].alternatives}
    assert ("skærmbesøg",) in phrases and ("sensor",) in phrases
    skaerm = {a[0].stems for a in plan("skærmbesøg").required[0].alternatives}
    assert ("velfærdsteknologi",) not in skaerm and ("sensor",) not in skaerm


def test_a_slip_is_corrected_to_the_nearest_known_word() -> None:
    assert (Phrase(("skærmbesøg",), prefix=True),) in alternatives("skærmbesøk")
    assert (Phrase(("hygiejnerobot",), prefix=True),) in alternatives("hygiejnerobbot")
    assert plan("kunstig inteligens").technologies == ("machine-learning",)


def test_an_unknown_compound_is_split_into_known_words() -> None:
    assert textsearch.split_compound("skærmløsning", {"skærm": "skærm", "løsning": "løsning"}) == (
        "skærm",
        "løsning",
    )
    assert textsearch.split_compound("velfærdsteknologi", {"velfærd": "velfærd"}) is None
    split = (Phrase(("skærm",), prefix=True), Phrase(("løsning",), prefix=True))
    assert split in alternatives("skærmløsning")


def test_stop_words_are_not_required_among_other_words() -> None:
    assert len(plan("robotter i natten").required) == 2
    assert len(plan("i").required) == 1


query_words = st.lists(
    st.sampled_from(
        [
            "robot",
            "robbot",
            "skærm",
            "skærmløsning",
            "skærmbesøk",
            "rpa",
            "ai",
            "velfærdsteknologi",
            "kunstig",
            "inteligens",
            "natten",
            "-robotter",
            '"skærm løsningen"',
            "i",
            "zzz",
        ]
    )
    | words,
    max_size=5,
)
vocabularies = st.dictionaries(words, words, max_size=30).map(
    lambda pairs: {word: textsearch.stem(word) for word in pairs} | VOCABULARY
)


@settings(max_examples=150, deadline=None)
@given(query_words, vocabularies)
def test_the_databases_prefetch_never_changes_the_plan(
    typed: list[str], vocabulary: dict[str, str]
) -> None:
    assert_prefetch_keeps_the_plan(" ".join(typed), vocabulary)


def test_the_prefetch_keeps_the_plan_of_a_very_long_query() -> None:
    query = " ".join(["robbot", "skærm", "rpa"] * 10 + ["velfærdsteknologi", "skærmløsning"])
    assert_prefetch_keeps_the_plan(query, VOCABULARY | {"løsning": "løsning"})


def assert_prefetch_keeps_the_plan(query: str, vocabulary: dict[str, str]) -> None:
    """The database fetches only the rows the lookups select; the plan made from them is
    the plan made from the whole vocabulary."""
    lookups = textsearch.vocabulary_lookups(query)
    fetched = {w: s for w, s in vocabulary.items() if lookups.selects(w, s)}
    unknown = textsearch.unknown_words(query, fetched, CATALOGUE)
    assert unknown == textsearch.unknown_words(query, vocabulary, CATALOGUE)
    spelling = textsearch.spelling_lookups(unknown)
    fetched |= {w: s for w, s in vocabulary.items() if any(x.selects(w, s) for x in spelling)}
    assert textsearch.plan_search(query, fetched, CATALOGUE) == textsearch.plan_search(
        query, vocabulary, CATALOGUE
    )


@unhurried
@given(st.text(max_size=60), st.text(max_size=200))
def test_the_index_entry_agrees_on_both_databases(title: str, body: str) -> None:
    indexed = textsearch.index_case(title, "Kort resumé.", "Skærmbesøg · Vejle", body, "")
    columns = indexed.columns()
    assert columns[0].split() == [textsearch.stem(w) for w in textsearch.tokens(title)]
    lexemes = re.findall(r"'((?:[^']|'')*)':", indexed.tsvector())
    assert {lexeme.replace("''", "'") for lexeme in lexemes} == {
        one for column in columns for one in column.split()
    }
    assert {word for word, _stem in indexed.words} <= set(
        textsearch.tokens(f"{title} Kort resumé. Skærmbesøg · Vejle {body}")
    )


def test_fields_are_one_position_apart_so_phrases_stay_inside_one() -> None:
    indexed = textsearch.index_case("Robot", "natten", "", "", "")
    assert indexed.tsvector() == "'robot':1A 'nat':3B"
    assert indexed.tsvector(textsearch.RANKED_FIELDS) == "'robot':1A 'nat':3B"


def test_a_query_renders_the_same_plan_for_both_databases() -> None:
    query_plan = plan("robot -natten")
    fts = textsearch.fts5_expression(query_plan)
    tsquery = textsearch.tsquery_expression(query_plan)
    assert fts.startswith('("robot"* OR "hygiejnerobot" OR "softwarerobot")')
    assert tsquery.startswith("('robot':* | 'hygiejnerobot' | 'softwarerobot')")
    assert fts.endswith(' NOT ("nat")') and tsquery.endswith(" & !('nat')")


def test_technologies_near_a_query_come_first() -> None:
    closeness = textsearch.technology_closeness("skærmbesøk", CATALOGUE)
    assert max(closeness, key=lambda slug: closeness[slug]) == "skaermbesoeg"
