"""Benchmark: import 100,000 survey answers from a generated CSV file.

Runs on a throwaway SQLite database, and also on a throwaway PostgreSQL database
(`kr_bench_surveys`) when DATABASE_URL points to PostgreSQL. Prints seconds per run;
the target is under 60 seconds. Each database is set up in a child process, because
Django reads its database settings once.

    .venv/bin/python benchmarks/import_answers.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = 100_000
BENCH_TECHNOLOGIES = 128  # 98 municipalities x 8 domains x 128 technologies > 100,000 rows
PG_NAME = "kr_bench_surveys"


def child(label: str) -> None:
    """Migrate, generate the file, import it twice (new answers, then replacing them)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "kommuneradar.test_settings"
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command

    from kommuneradar.catalog.models import Domain, Quadrant, Technology
    from kommuneradar.places.models import Municipality
    from kommuneradar.surveys import services
    from kommuneradar.surveys.models import Answer, Round

    call_command("migrate", verbosity=0)
    quadrant = Quadrant.objects.order_by("position").first()
    assert quadrant is not None
    domains = list(Domain.objects.order_by("order"))
    technologies = Technology.objects.bulk_create(
        Technology(
            slug=f"bench-{n}",
            name_da=f"Benchmark-teknologi {n}",
            name_en=f"Benchmark technology {n}",
            description_da="Til måling af import.",
            description_en="For measuring the import.",
            quadrant=quadrant,
        )
        for n in range(BENCH_TECHNOLOGIES)
    )
    technologies = list(Technology.objects.filter(slug__startswith="bench-"))
    for technology in technologies:
        technology.domains.set(domains)
    round_ = Round.objects.create(
        year=2030, opens_on=dt.date(2030, 2, 1), closes_on=dt.date(2030, 3, 31)
    )
    stages = ["I drift", "Afprøver", "Overvejer", "Overvejer ikke", "Udbredt i hele organisationen"]
    values = ["Stor", "Nogen", "Ingen", "Ved ikke"]
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="cp1252", delete=False) as out:
        out.write("kommune;fagområde;teknologi;stadie;effektivisering;kvalitet;trivsel;kommentar\n")
        written = 0
        for municipality in Municipality.objects.order_by("code"):
            for domain in domains:
                for technology in technologies:
                    if written == ANSWERS:
                        break
                    stage = stages[written % len(stages)]
                    value = values[written % len(values)]
                    out.write(
                        f"{municipality.name};{domain.name_da};{technology.name_da};{stage};"
                        f"{value};{value};{value};Målt i {municipality.name}\n"
                    )
                    written += 1
        path = Path(out.name)
    try:
        size_mb = path.stat().st_size / 1024 / 1024
        for run in ("new answers", "replacing answers"):
            started = time.perf_counter()
            with path.open("rb") as stream:
                outcome = services.import_file(round_, stream, None)
            seconds = time.perf_counter() - started
            assert outcome.ok, outcome.problems[:5]
            assert Answer.objects.filter(response__round=round_).count() == ANSWERS
            print(
                f"{label}: {outcome.answers_saved:,} answers ({size_mb:.1f} MB CSV, {run}) "
                f"imported in {seconds:.1f} s (target < 60 s)",
                flush=True,
            )
    finally:
        path.unlink()


def run_child(label: str, database_url: str) -> int:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.call([sys.executable, __file__, "--child", label], env=env, cwd=ROOT)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return 0
    status = 0
    with tempfile.TemporaryDirectory() as folder:
        status |= run_child("SQLite", f"sqlite:///{folder}/bench.sqlite3")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, _name = url.rpartition("/")
        admin_url = f"{base}/postgres"
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
            connection.execute(f"CREATE DATABASE {PG_NAME}")
        try:
            status |= run_child("PostgreSQL", f"{base}/{PG_NAME}")
        finally:
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
    else:
        print("PostgreSQL: skipped (DATABASE_URL is not a postgres:// address)")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
