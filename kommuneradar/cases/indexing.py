"""Keep a case's search keywords, its index entry and the vocabulary up to date.

Every write path (views, admin, demo, API) calls `reindex` after saving a case with its
technologies, domains, municipalities and effects. The index entry is computed once in
Python (`textsearch.index_case`) and written where the database searches it: an FTS5 row
on SQLite, the tsvector columns on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model, Prefetch

from . import textsearch
from .models import FTS_TABLE, Case, Effect, SearchWord

# (case id, title, summary, keywords, body, lessons)
IndexRow = tuple[int, str, str, str, str, str]

POSTGRES_UPDATE = (
    "UPDATE cases_case SET search_vector = %s::tsvector, rank_vector = %s::tsvector WHERE id = %s"
)
FTS_INSERT = (
    f"INSERT INTO {FTS_TABLE} (rowid, title, summary, keywords, body, lessons) "  # noqa: S608
    "VALUES (%s, %s, %s, %s, %s, %s)"
)


def keywords_for(case: Case) -> str:
    """The names a searcher may type that live outside the case's own text."""
    words: list[str] = []
    for technology in case.technologies.all():
        words += [technology.name_da, technology.name_en]
    for domain in case.domains.all():
        words += [domain.name_da, domain.name_en]
    words.append(case.lead_municipality.name)
    words += [municipality.name for municipality in case.partner_municipalities.all()]
    words += [f"{effect.description} {effect.unit}" for effect in case.effects.all()]
    return " · ".join(words)


def reindex(cases: Iterable[int] | Case) -> None:
    """Recompute search keywords and the index entry for one case or many case ids."""
    ids = [cases.pk] if isinstance(cases, Case) else list(cases)
    queryset = (
        Case.objects.filter(pk__in=ids)
        .select_related("lead_municipality")
        .prefetch_related(
            "technologies",
            "domains",
            "partner_municipalities",
            Prefetch("effects", queryset=Effect.objects.order_by()),
        )
    )
    rows: list[IndexRow] = []
    for case in queryset:
        keywords = keywords_for(case)
        if keywords != case.search_text:
            Case.objects.filter(pk=case.pk).update(search_text=keywords)
        rows.append((case.pk, case.title, case.summary, keywords, case.body, case.lessons))
    write_index(rows, SearchWord)


def write_index(rows: list[IndexRow], word_model: type[Model]) -> None:
    """Write the index entries of these cases and add their words to the vocabulary.
    `word_model`: SearchWord, or its historical model in a migration."""
    words: set[tuple[str, str]] = set()
    entries = []
    for pk, *texts in rows:
        indexed = textsearch.index_case(*texts)
        words |= indexed.words
        entries.append((pk, indexed))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                POSTGRES_UPDATE,
                [
                    (indexed.tsvector(), indexed.tsvector(textsearch.RANKED_FIELDS), pk)
                    for pk, indexed in entries
                ],
            )
        elif connection.vendor == "sqlite" and entries:
            remove_from_fts([pk for pk, _indexed in entries])
            cursor.executemany(FTS_INSERT, [(pk, *indexed.columns()) for pk, indexed in entries])
    word_model._default_manager.bulk_create(
        [word_model(word=word, stem=stem) for word, stem in sorted(words)],
        batch_size=1000,
        ignore_conflicts=True,
    )


def remove_from_fts(ids: list[int]) -> None:
    """Drop the FTS rows of these cases (SQLite only)."""
    if connection.vendor != "sqlite" or not ids:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608
