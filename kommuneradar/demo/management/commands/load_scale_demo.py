from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from kommuneradar.demo import scale
from kommuneradar.demo.scale_model import COUNTRY

DEFAULT_SEED = 2024
# Beyond this many answers SQLite's plain inserts take too long; PostgreSQL uses COPY.
SQLITE_ANSWERS = 2_000_000


class Command(BaseCommand):
    help = (
        "Write a synthetic data set for scale tests: ORGANISATIONS local governments of a "
        f"synthetic country ({COUNTRY}) answering every domain and technology in ROUNDS survey "
        "rounds ending in 2024, with PostgreSQL's COPY, then compute and publish the rounds' "
        "radar editions. Deterministic (--seed). Refuses a database that already holds scale "
        "data unless --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=10_000)
        parser.add_argument("--rounds", type=int, default=4)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--replace", action="store_true", help="delete scale data already loaded first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisations: int = options["organisations"]
        rounds: int = options["rounds"]
        if connection.vendor != "postgresql":
            answers = organisations * 8 * 30 * rounds
            if answers > SQLITE_ANSWERS:
                raise CommandError(
                    f"Refused: {answers:,} answers are too many for SQLite's plain inserts "
                    f"(at most {SQLITE_ANSWERS:,}). Load the scale data into PostgreSQL: "
                    "DATABASE_URL=postgres://… python manage.py migrate, then this command "
                    "again (it writes with COPY)."
                )
            self.stdout.write("SQLite: writing with plain inserts (slow; PostgreSQL uses COPY).")
        started = time.monotonic()

        def progress(line: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:7.1f} s] {line}")
            sys.stdout.flush()

        try:
            outcome = scale.load(
                organisations, rounds, options["seed"], progress, replace=options["replace"]
            )
        except scale.ScaleRefused as exc:
            raise CommandError(f"Refused: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data loaded (seed {options['seed']}): {outcome.organisations:,} "
                f"organisations, {outcome.responses:,} responses, {outcome.answers:,} answers "
                f"in the rounds {outcome.years[0]}–{outcome.years[-1]}; writing took "
                f"{outcome.seconds_writing:.1f} s, the editions {outcome.seconds_editions:.1f} s, "
                f"in all {time.monotonic() - started:.1f} s."
            )
        )
