"""Keep a case's search keywords and, on SQLite, its FTS5 row of Danish stems up to date.

Every write path (views, admin, demo, API) calls `reindex` after saving a case with its
technologies, domains, municipalities and effects."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Prefetch

from . import textsearch
from .models import FTS_TABLE, Case, Effect


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
    """Recompute search keywords (and the SQLite FTS rows) for one case or many case ids."""
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
    rows = []
    for case in queryset:
        keywords = keywords_for(case)
        if keywords != case.search_text:
            Case.objects.filter(pk=case.pk).update(search_text=keywords)
        rows.append(
            (
                case.pk,
                textsearch.stemmed_text(case.title),
                textsearch.stemmed_text(case.summary),
                textsearch.stemmed_text(keywords),
                textsearch.stemmed_text(case.body),
                textsearch.stemmed_text(case.lessons),
            )
        )
    if connection.vendor == "sqlite" and rows:
        with connection.cursor() as cursor:
            remove_from_fts(ids)
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, summary, keywords, body, lessons) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
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
