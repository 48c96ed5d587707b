"""How close computing a round's editions comes to the database's own counting: the editions
of the demo's 2024 round (9 editions) beside a bare `SELECT … GROUP BY` over the same answers.

Also the two ways of reading the answers: the counted tallies the editions use now (one
statement: GROUPING SETS on PostgreSQL, its portable form on SQLite) and the former loop over
every answer (kept in the tests as the reference).

Run: .venv/bin/python benchmarks/edition_sql.py [--json FILE]  (DATABASE_URL=postgres://… for
PostgreSQL)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from _setup import ROOT, throwaway_database

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument(
    "--json", type=Path, default=None, help="where to write the figures (default: results/)"
)
arguments = parser.parse_args()
label = throwaway_database("edition")

from django.db.models import Count  # noqa: E402

from kommuneradar.demo import survey_data  # noqa: E402
from kommuneradar.radar.editions import compute_round, scope_tallies  # noqa: E402
from kommuneradar.radar.models import Edition  # noqa: E402
from kommuneradar.surveys.models import Answer, Round  # noqa: E402
from tests.radar.test_edition_sql import loop_over_every_answer  # noqa: E402

RUNS = 7
survey_data.load(7, io.StringIO())
round_2024 = Round.objects.get(year=2024)
answers = Answer.objects.filter(response__round=round_2024).count()


def median_ms(work: Callable[[], object], prepare: Callable[[], object] = lambda: None) -> float:
    timings = []
    for _run in range(RUNS):
        prepare()
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def bare_group_by() -> list[object]:
    return list(
        Answer.objects.filter(response__round=round_2024)
        .values("response__domain_id", "technology_id", "stage")
        .annotate(answers=Count("id"))
        .order_by()
    )


def fresh() -> None:
    Edition.objects.filter(round=round_2024).delete()


figures = {
    "bare GROUP BY (domain, technology, stage)": median_ms(bare_group_by),
    "tallies for the 9 editions (one statement)": median_ms(lambda: scope_tallies(round_2024)),
    "former loop over every answer": median_ms(lambda: loop_over_every_answer(round_2024)),
    "compute_round, 9 editions computed and stored": median_ms(
        lambda: compute_round(round_2024), fresh
    ),
    "compute_round again, answers unchanged": median_ms(lambda: compute_round(round_2024)),
}
bare = figures["bare GROUP BY (domain, technology, stage)"]
for name, ms in figures.items():
    print(f"[{label}] {name}: {ms:.1f} ms ({ms / bare:.1f} x the bare GROUP BY)")
print(f"[{label}] ({answers} answers in the 2024 round; medians of {RUNS} runs)")

if arguments.json is None:
    arguments.json = ROOT / "benchmarks" / "results" / f"edition_sql-{label.lower()}.json"
if arguments.json:
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(
        json.dumps(
            {
                "benchmark": "edition_sql",
                "database": label,
                "answers": answers,
                "machine": f"{platform.node()}, {os.cpu_count()} cores, shared",
                "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "median_ms": {name: round(ms, 1) for name, ms in figures.items()},
                "ratio_to_bare_group_by": {
                    name: round(ms / bare, 1) for name, ms in figures.items()
                },
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"figures written to {arguments.json}")
