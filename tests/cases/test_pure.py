"""The pure rules: size bands, Danish stems and FTS5 queries, snippets, the workflow."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.cases import textsearch, workflow
from kommuneradar.cases.sizebands import SIZE_BANDS, band_by_slug, band_for


@given(st.integers(min_value=0, max_value=10_000_000))
def test_every_population_falls_in_exactly_one_band(population: int) -> None:
    holding = [
        band
        for band in SIZE_BANDS
        if population >= band.low and (band.high is None or population < band.high)
    ]
    assert holding == [band_for(population)]


def test_band_edges_and_slugs() -> None:
    assert band_for(29_999).slug == "under-30000"
    assert band_for(30_000).slug == "30000-50000"
    assert band_for(100_000).slug == "over-100000"
    assert band_by_slug("over-100000") is SIZE_BANDS[-1]
    assert band_by_slug("'; DROP") is None


def test_inflected_forms_share_a_stem() -> None:
    assert textsearch.stems_of("Skærmbesøgene") == textsearch.stems_of("skærmbesøg")
    assert set(textsearch.stems_of("borgerne borgere")) == {"borg"}


def _plan(query: str) -> textsearch.SearchPlan:
    return textsearch.plan_search(query, {}, [])


@given(st.text(max_size=80))
def test_any_text_becomes_only_quoted_fts_terms(query: str) -> None:
    expression = textsearch.fts5_expression(_plan(query))
    outside_quotes = re.sub(r'"(?:[^"]|"")*"\*?', "", expression)
    assert set(outside_quotes.replace("(", " ").replace(")", " ").split()) <= {
        "AND",
        "OR",
        "NOT",
    }


@given(st.text(max_size=80))
def test_any_text_becomes_only_quoted_tsquery_lexemes(query: str) -> None:
    expression = textsearch.tsquery_expression(_plan(query))
    outside_quotes = re.sub(r"'(?:[^']|'')*'(:\*)?", "", expression)
    assert set(outside_quotes) <= set("()&|!<-> ")


def test_quotes_and_minus_work_like_web_search() -> None:
    assert textsearch.fts5_expression(_plan('"medicin dispenser" -robot')) == (
        '("medicin dispens") NOT ("robot")'
    )
    assert textsearch.tsquery_expression(_plan('"medicin dispenser" -robot')) == (
        "('medicin' <-> 'dispens') & !('robot')"
    )
    assert textsearch.fts5_expression(_plan("-kun udeladt")) == '("udelad") NOT ("kun")'
    assert textsearch.fts5_expression(_plan("-kun")) == ""


@given(st.text(max_size=400), st.text(max_size=30))
def test_snippet_segments_are_a_piece_of_the_text(text: str, query: str) -> None:
    segments = textsearch.highlight_segments(text, _plan(query), width=120)
    joined = "".join(part for part, _match in segments).removeprefix("… ").removesuffix(" …")
    assert joined in text


def test_snippet_marks_inflected_forms_and_longer_words() -> None:
    segments = textsearch.highlight_segments(
        "Vi har flere skærmbesøgene nu, også med skærmene.",
        textsearch.plan_search("skærmbesøg skærm", {"skærmbesøg": "skærmbesøg"}, []),
    )
    assert ("skærmbesøgene", True) in segments
    assert ("skærmene", True) in segments
    assert ("flere", False) not in segments


def test_only_analysts_publish_or_send_back() -> None:
    assert workflow.next_state("submitted", "publish", is_analyst=False) is None
    assert workflow.next_state("submitted", "publish", is_analyst=True) == "published"
    assert workflow.next_state("submitted", "return", is_analyst=True) == "returned"
    assert workflow.next_state("returned", "submit", is_analyst=False) == "submitted"
    assert workflow.next_state("published", "submit", is_analyst=False) is None


@given(
    st.sampled_from(["draft", "submitted", "returned", "published"]),
    st.sampled_from(["submit", "publish", "return", "edit"]),
)
def test_editors_never_reach_published(state: str, action: str) -> None:
    assert workflow.next_state(state, action, is_analyst=False) != "published"


def test_editors_edit_only_drafts_and_returned_cases() -> None:
    editable = [
        s
        for s in ("draft", "submitted", "returned", "published")
        if workflow.may_edit(s, is_analyst=False)
    ]
    assert editable == ["draft", "returned"]
