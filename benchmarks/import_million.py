"""Importing a million survey answers with the import service the page and the command use
(`surveys.services.import_file`: read, check every row, save all or nothing) beside
PostgreSQL's COPY of the same rows, on the database DATABASE_URL points at.

Everything happens in one transaction that is rolled back at the end, so the database is
left as it was: a new round (the year after the latest), the municipalities and domains
there are, the technologies of each domain (and generated technologies of every domain
when there are too few pairs for --answers rows), a CSV file of --answers rows; then the
import, timed (also the reading and checking alone); then the same rows, as ids, deleted
and written again by COPY, timed.

Run: DATABASE_URL=postgres://… .venv/bin/python benchmarks/import_million.py
     [--answers 1000000]
Target (issue 10): the import within 5x of COPY.
"""

from __future__ import annotations

import argparse
import io
import itertools
import math
import tempfile
import time
from pathlib import Path

from _setup import data_size, describe, existing_database, machine, write_results

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--answers", type=int, default=1_000_000)
arguments = parser.parse_args()
ANSWERS = arguments.answers

label = existing_database()
size = data_size()
print(f"[{label}] data: {describe(size)}")

import datetime as dt  # noqa: E402

from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402

from kommuneradar.catalog.models import Domain, Quadrant, Technology  # noqa: E402
from kommuneradar.places.models import Municipality  # noqa: E402
from kommuneradar.surveys import importing, services  # noqa: E402
from kommuneradar.surveys.models import Answer, Round  # noqa: E402

STAGES = ["I drift", "Afprøver", "Overvejer", "Udbredt i hele organisationen", "Udfaset"]
VALUES = ["Stor", "Nogen", "Ingen", "Ved ikke"]
COLUMNS = (
    "response_id, technology_id, stage, value_efficiency, value_quality, value_wellbeing, comment"
)


class Done(Exception):
    """Leave the transaction (rolled back)."""


def prepare(folder: Path) -> tuple[Round, Path]:
    """A round, enough technologies and the CSV file of ANSWERS rows (inside the transaction)."""
    year = (Round.objects.aggregate(year=Max("year"))["year"] or 2020) + 1
    round_ = Round.objects.create(
        year=year, opens_on=dt.date(year, 2, 1), closes_on=dt.date(year, 3, 31)
    )
    municipalities = list(Municipality.objects.order_by("code").values_list("code", flat=True))
    domains = list(Domain.objects.order_by("order"))
    by_domain = {
        domain.pk: list(
            Technology.objects.filter(domains=domain)
            .order_by("slug")
            .values_list("slug", flat=True)
        )
        for domain in domains
    }
    pairs = len(municipalities) * len(domains)
    have = sum(len(municipalities) * len(slugs) for slugs in by_domain.values())
    if have < ANSWERS:
        extra = math.ceil((ANSWERS - have) / pairs)
        quadrant = Quadrant.objects.order_by("position").first()
        made = Technology.objects.bulk_create(
            Technology(
                slug=f"bench-{n}",
                name_da=f"Målingsteknologi {n}",
                name_en=f"Benchmark technology {n}",
                description_da="Til måling af import.",
                description_en="For measuring the import.",
                quadrant=quadrant,
            )
            for n in range(extra)
        )
        made = list(Technology.objects.filter(slug__startswith="bench-"))
        Technology.domains.through.objects.bulk_create(
            Technology.domains.through(technology_id=technology.pk, domain_id=domain.pk)
            for technology in made
            for domain in domains
        )
        for domain in domains:
            by_domain[domain.pk] += [technology.slug for technology in made]
        print(f"[{label}] {extra:,} technologies generated for every domain")
    path = folder / "answers.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("kommune;fagområde;teknologi;stadie;effektivisering;kvalitet;trivsel;kommentar\n")
        rows = (
            (code, domain.slug, slug)
            for domain in domains
            for slug in by_domain[domain.pk]
            for code in municipalities
        )
        for n, (code, domain_slug, slug) in enumerate(itertools.islice(rows, ANSWERS)):
            value = VALUES[n % len(VALUES)]
            out.write(
                f"{code};{domain_slug};{slug};{STAGES[n % len(STAGES)]};"
                f"{value};{value};{value};Målt i {code}\n"
            )
    return round_, path


figures: dict[str, float] = {}
cpu: dict[str, float] = {}  # this process's CPU time (COPY's work is PostgreSQL's, not here)
with tempfile.TemporaryDirectory() as folder:
    try:
        with transaction.atomic():
            round_, path = prepare(Path(folder))
            megabytes = path.stat().st_size / 1024 / 1024
            print(f"[{label}] {ANSWERS:,} answers, {megabytes:.0f} MB CSV, round {round_.year}")
            started, cpu_started = time.perf_counter(), time.process_time()
            with path.open("rb") as stream:
                parsed = importing.parse(stream, services.catalogue())
            figures["reading and checking the file (importing.parse)"] = (
                time.perf_counter() - started
            )
            cpu["reading and checking the file (importing.parse)"] = (
                time.process_time() - cpu_started
            )
            assert not parsed.problems, parsed.problems[:3]
            del parsed
            started, cpu_started = time.perf_counter(), time.process_time()
            with path.open("rb") as stream:
                outcome = services.import_file(round_, stream, None)
            figures["import_file (read, check, save)"] = time.perf_counter() - started
            cpu["import_file (read, check, save)"] = time.process_time() - cpu_started
            assert outcome.ok, outcome.problems[:3]
            saved = Answer.objects.filter(response__round=round_)
            assert saved.count() == ANSWERS
            # The same rows as ids, written again by COPY.
            buffer = io.BytesIO()
            with connection.cursor() as cursor:
                raw = cursor.connection
                with raw.cursor().copy(
                    f"COPY (SELECT {COLUMNS} FROM surveys_answer WHERE response_id IN "
                    f"(SELECT id FROM surveys_response WHERE round_id = {round_.pk})) TO STDOUT"
                ) as copy:
                    for block in copy:
                        buffer.write(block)
            saved._raw_delete(saved.db)
            started = time.perf_counter()
            with raw.cursor().copy(f"COPY surveys_answer ({COLUMNS}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
            figures["COPY of the same rows"] = time.perf_counter() - started
            assert saved.count() == ANSWERS
            raise Done
    except Done:
        pass

copy_seconds = figures["COPY of the same rows"]
for name, seconds in figures.items():
    own = f", {cpu[name]:.1f} s CPU in this process" if name in cpu else ""
    print(f"[{label}] {name}: {seconds:.1f} s ({seconds / copy_seconds:.1f} x COPY){own}")
ratio = figures["import_file (read, check, save)"] / copy_seconds
verdict = "met" if ratio <= 5 else "NOT met"
print(f"[{label}] target: import within 5 x COPY: {ratio:.1f} x, {verdict}")
write_results(
    "import_million",
    {
        "benchmark": "import_million",
        "database": label,
        "data": size,
        "answers": ANSWERS,
        "csv_megabytes": round(megabytes, 1),
        "machine": machine(),
        "seconds": {name: round(seconds, 2) for name, seconds in figures.items()},
        "cpu_seconds_of_this_process": {name: round(seconds, 2) for name, seconds in cpu.items()},
        "ratio_to_copy": {
            name: round(seconds / copy_seconds, 1) for name, seconds in figures.items()
        },
        "target": "import within 5x of COPY",
        "target_met": ratio <= 5,
    },
)
