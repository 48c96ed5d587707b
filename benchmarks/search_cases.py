"""How fast the knowledge centre's search is on 10,000 generated cases: the work of one
list page (count and first page of `find_cases`) and the whole page over HTTP.

Run: .venv/bin/python benchmarks/search_cases.py  (DATABASE_URL=postgres://… for PostgreSQL)
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics
import time
from decimal import Decimal
from pathlib import Path

from _setup import throwaway_database

label = throwaway_database("cases")

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from kommuneradar.cases.indexing import reindex  # noqa: E402
from kommuneradar.cases.models import Case, Effect  # noqa: E402
from kommuneradar.cases.search import (  # noqa: E402
    CaseCriteria,
    attach_snippets,
    find_cases,
    plan_for,
)
from kommuneradar.catalog.models import Domain, Technology  # noqa: E402
from kommuneradar.places.models import Municipality  # noqa: E402

CASES = 10_000
RUNS = 30
WORDS = [
    "borgere",
    "medarbejderne",
    "systemet",
    "data",
    "planlægning",
    "kørsel",
    "tryghed",
    "pårørende",
    "hjemmeplejen",
    "samtaler",
    "henvendelser",
    "påmindelser",
    "træningen",
    "ansøgninger",
    "bygninger",
    "skolerne",
    "børnene",
    "forældrene",
    "ledige",
    "beboerne",
    "medicinen",
    "analyser",
    "dagtilbud",
    "eleverne",
    "borgerservice",
    "genbrug",
    "affald",
    "billeder",
    "skader",
    "videoer",
    "natten",
    "genoptræning",
    "jobcentret",
    "plejecentret",
    "rådgiverne",
    "selvbetjening",
    "dashboards",
    "ventilation",
    "energiforbruget",
    "bogholderiet",
    "fakturaer",
    "robotten",
    "chatbotten",
    "journalnotater",
    "diktering",
    "kørekort",
    "pas",
    "tage",
    "skærmbesøgene",
    "sensormåtter",
    "dispenseren",
    "vandledninger",
    "græsslåning",
    "boldbaner",
    "droner",
    "loftlifte",
    "forflytninger",
    "arbejdsskader",
]
TITLE_HEADS = (
    "Skærmbesøg", "Softwarerobot", "Træningsvideoer", "Sensormåtter", "Chatbot",
    "Medicindispensere", "Videosamtaler", "Robotplæneklippere", "Diktering", "Droner",
    "Loftlifte", "Dataplatform", "Selvbetjening", "Prædiktiv analyse", "GPS-ure",
)  # fmt: skip
QUERIES = [
    "borgere",  # the most common word: the slowest case
    "skærmbesøg",
    "skærmbesøgene",
    "softwarerobot fakturaer",
    "sensormåtter natten",
    "hjemmeplejen",
    '"medicinen dispenseren"',
    "robot -fakturaer",
    "vandledninger",
    "kørekort pas",
    "ingenting-matcher-dette",
]
# Compound words, catalogue terms and spelling slips (the vocabulary and the catalogue at work).
EXPANDING_QUERIES = [
    "robot",
    "velfærdsteknologi",
    "RPA",
    "kunstig intelligens",
    "medicindispesnere",  # a spelling slip
    "skærmbesøk",  # a spelling slip
]


SYLLABLES = [
    "bo",
    "ka",
    "ret",
    "ling",
    "sted",
    "fal",
    "mer",
    "und",
    "vik",
    "hus",
    "lan",
    "ter",
    "ord",
    "sam",
    "fø",
    "gen",
    "bil",
    "ko",
]
# Filler words, so that, as in real texts, most words are rare. Domain words follow
# Zipf's law: "borgere" (first) is in most cases, words far down the list in a few percent.
FILLER = sorted(
    {a + b + c for a in SYLLABLES for b in SYLLABLES for c in ("", "en", "er", "et", "ne")}
)

ZIPF = [1 / rank for rank in range(1, len(WORDS) + 1)]


def sentence(rng: random.Random, length: int) -> str:
    words = (
        rng.choices(WORDS, ZIPF)[0] if rng.random() < 0.04 else rng.choice(FILLER)
        for _ in range(length)
    )
    return " ".join(words).capitalize() + "."


@transaction.atomic
def generate(rng: random.Random) -> list[int]:
    municipalities = list(Municipality.objects.all())
    technologies = list(Technology.objects.all())
    domains = list(Domain.objects.all())
    published = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    cases = [
        Case(
            title=f"{rng.choice(TITLE_HEADS)} {sentence(rng, 4).lower().rstrip('.')}",
            summary=" ".join(sentence(rng, 12) for _ in range(2)),
            body="\n\n".join(sentence(rng, 25) for _ in range(6)),
            lessons=sentence(rng, 20),
            lead_municipality=rng.choice(municipalities),
            stage=rng.choice(list(Case.Stage.values)),
            state=Case.State.PUBLISHED if rng.random() < 0.9 else Case.State.DRAFT,
            published_at=published - dt.timedelta(hours=number),
        )
        for number in range(CASES)
    ]
    created = Case.objects.bulk_create(cases, batch_size=1000)
    ids = [case.pk for case in created]
    tech_links = Case.technologies.through
    domain_links = Case.domains.through
    tech_links.objects.bulk_create(
        [
            tech_links(case_id=pk, technology_id=technology.pk)
            for pk in ids
            for technology in rng.sample(technologies, rng.randint(1, 3))
        ],
        batch_size=5000,
    )
    domain_links.objects.bulk_create(
        [domain_links(case_id=pk, domain_id=rng.choice(domains).pk) for pk in ids],
        batch_size=5000,
    )
    Effect.objects.bulk_create(
        [
            Effect(
                case_id=pk,
                description=sentence(rng, 3),
                dimension=rng.choice(list(Effect.Dimension.values)),
                value=Decimal(rng.randint(10, 5000)),
                unit="timer om året",
                measured_on=dt.date(2023, 6, 1),
                method="Optælling",
                is_headline=True,
            )
            for pk in ids
            if rng.random() < 0.6
        ],
        batch_size=5000,
    )
    for start in range(0, len(ids), 1000):
        reindex(ids[start : start + 1000])
    return ids


def percentile_95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[max(int(0.95 * len(ordered)) - 1, 0)]


def measure(name: str, action: object) -> list[float]:
    assert callable(action)
    action()
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def page_of(criteria: CaseCriteria) -> None:
    plan = plan_for(criteria.query) if criteria.query else None
    cases = find_cases(criteria, plan=plan)
    cases.count()
    page = list(cases[:20])
    attach_snippets(page, plan)


def main() -> None:
    started = time.perf_counter()
    generate(random.Random(404))
    print(
        f"[{label}] generated {CASES} cases "
        f"({Case.objects.published().count()} published): {time.perf_counter() - started:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    queries = QUERIES + EXPANDING_QUERIES
    all_timings: list[float] = []
    for query in queries:
        timings = measure(query, lambda q=query: page_of(CaseCriteria(query=q)))
        all_timings += timings
        hits = find_cases(CaseCriteria(query=query)).count()
        print(
            f"[{label}] search {query!r} ({hits} cases): "
            f"median {statistics.median(timings):.1f} ms, "
            f"95th percentile {percentile_95(timings):.1f} ms ({RUNS} runs)"
        )
    faceted = CaseCriteria(
        query="hjemmeplejen", technology="skaermbesoeg", with_effects=True, size_band="over-100000"
    )
    timings = measure("faceted", lambda: page_of(faceted))
    all_timings += timings
    print(
        f"[{label}] search with three facets: median {statistics.median(timings):.1f} ms, "
        f"95th percentile {percentile_95(timings):.1f} ms"
    )
    print(
        f"[{label}] ALL searches (count + first page of 20, {len(all_timings)} runs): "
        f"median {statistics.median(all_timings):.1f} ms, "
        f"95th percentile {percentile_95(all_timings):.1f} ms (target: under 100 ms)"
    )
    client = Client()
    page_timings = measure("page", lambda: client.get("/cases/", {"q": "skærmbesøgene"}))
    print(
        f"[{label}] GET /cases/?q=skærmbesøgene (whole page): "
        f"median {statistics.median(page_timings):.1f} ms, "
        f"95th percentile {percentile_95(page_timings):.1f} ms"
    )


def clean_up() -> None:
    """Drop the throwaway PostgreSQL database or delete the temporary SQLite file."""
    settings = connection.settings_dict
    connection.close()
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.connect(
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
    else:
        shutil.rmtree(Path(str(settings["NAME"])).parent, ignore_errors=True)


try:
    main()
finally:
    if not os.environ.get("KR_BENCH_KEEP"):  # keep the database to study query plans
        clean_up()
