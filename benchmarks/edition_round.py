"""Computing one round's editions beside the bare aggregate over the same answers, on the
database DATABASE_URL points at (the demo or the scale data), which is left as it was.

- bare: `SELECT domain, technology, stage, count(*) … GROUP BY` over the round's answers
  (the same answers the editions count), with the database's settings and with those the
  editions' statement sets (JIT off, work_mem 64MB); the faster of the two is the baseline;
- tallies: what the editions read (`scope_tallies`: per domain and for all domains);
- compute_round: every edition of the round computed and stored afresh (the round's
  editions deleted first, inside a transaction that is rolled back after each run);
- compute_round again with unchanged answers (nothing to store).

Run: DATABASE_URL=postgres://… .venv/bin/python benchmarks/edition_round.py [--year 2024]
Target (issue 10): compute_round within 1.5x of the bare aggregate.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from _setup import data_size, describe, existing_database, machine, write_results

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--year", type=int, help="the round (default: the latest published)")
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--name", default="edition_round", help="the results file's name")
arguments = parser.parse_args()

label = existing_database()
size = data_size()
print(f"[{label}] data: {describe(size)}")

from django.db import connection, transaction  # noqa: E402

from kommuneradar.radar.editions import compute_round, scope_tallies  # noqa: E402
from kommuneradar.radar.models import Edition  # noqa: E402
from kommuneradar.surveys.models import Answer, Round  # noqa: E402

rounds = Round.objects.filter(responses__answers__isnull=False).distinct().order_by("-year")
if arguments.year:
    round_ = rounds.filter(year=arguments.year).first()
else:  # the latest round with a published edition, else the latest with answers
    round_ = rounds.filter(editions__status=Edition.Status.PUBLISHED).first() or rounds.first()
if round_ is None:
    raise SystemExit("no round with answers in this database")
the_round: Round = round_
answers = Answer.objects.filter(response__round=the_round).count()
print(f"[{label}] round {the_round.year}: {answers:,} answers")

BARE = """
    SELECT r.domain_id, a.technology_id, a.stage, count(*)
    FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
    WHERE r.round_id = %s
    GROUP BY r.domain_id, a.technology_id, a.stage
"""


def bare_group_by() -> None:
    with connection.cursor() as cursor:
        cursor.execute(BARE, [the_round.pk])
        cursor.fetchall()


def bare_group_by_as_the_editions() -> None:
    """The bare GROUP BY with the settings the editions' statement runs with."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(BARE, [the_round.pk])
        cursor.fetchall()


def in_rollback(work: Callable[[], object], fresh: bool) -> Callable[[], float]:
    """Milliseconds of `work` inside a transaction that is then rolled back."""

    def run() -> float:
        with transaction.atomic():
            if fresh:
                Edition.objects.filter(round=the_round).delete()
            started = time.perf_counter()
            work()
            elapsed = (time.perf_counter() - started) * 1000
            transaction.set_rollback(True)
        return elapsed

    return run


def plain(work: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        started = time.perf_counter()
        work()
        return (time.perf_counter() - started) * 1000

    return run


def median_ms(run: Callable[[], float]) -> float:
    run()  # warm the database's cache
    return statistics.median(run() for _run in range(arguments.runs))


# The baseline is the faster of the bare GROUP BY with the database's settings and with the
# editions' (JIT off, more memory for hash tables), so that no setting flatters the ratio.
bare_default = median_ms(plain(bare_group_by))
bare_as_editions = median_ms(plain(bare_group_by_as_the_editions))
bare = min(bare_default, bare_as_editions)
figures = {
    "bare GROUP BY (domain, technology, stage)": bare,
    "bare GROUP BY, the database's settings": bare_default,
    "bare GROUP BY, the editions' settings (jit off, work_mem 64MB)": bare_as_editions,
    "tallies the editions read (scope_tallies)": median_ms(plain(lambda: scope_tallies(the_round))),
    "compute_round, every edition computed and stored": median_ms(
        in_rollback(lambda: compute_round(the_round), fresh=True)
    ),
    "compute_round again, answers unchanged": median_ms(
        in_rollback(lambda: compute_round(the_round), fresh=False)
    ),
}
editions = Edition.objects.filter(round=the_round).count()
for name, ms in figures.items():
    print(f"[{label}] {name}: {ms:,.1f} ms ({ms / bare:.2f} x the bare GROUP BY)")
ratio = figures["compute_round, every edition computed and stored"] / bare
print(
    f"[{label}] target: compute_round within 1.5 x the bare aggregate: "
    f"{ratio:.2f} x, {'met' if ratio <= 1.5 else 'NOT met'} (medians of {arguments.runs} runs)"
)
write_results(
    arguments.name,
    {
        "benchmark": "edition_round",
        "database": label,
        "data": size,
        "round": the_round.year,
        "round_answers": answers,
        "round_editions": editions,
        "runs": arguments.runs,
        "machine": machine(),
        "median_ms": {name: round(ms, 1) for name, ms in figures.items()},
        "ratio_to_bare_group_by": {name: round(ms / bare, 2) for name, ms in figures.items()},
        "target": "compute_round within 1.5x of the bare GROUP BY",
        "target_met": ratio <= 1.5,
    },
)
