from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommuneradar.surveys import services
from kommuneradar.surveys.models import Round


class ProgressBar:
    """A one-line progress bar on a terminal (redrawn in place), quiet elsewhere."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.live = stream.isatty()

    def __call__(self, share: float, rows: int) -> None:
        if not self.live:
            return
        filled = int(share * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\rReading [{bar}] {share:4.0%}  {rows:,} rows")
        self.stream.flush()

    def done(self) -> None:
        if self.live:
            self.stream.write("\n")


class Command(BaseCommand):
    help = (
        "Import survey answers (and maturity ratings) from a CSV or XLSX file into a round. "
        "All or nothing: a file with any bad row changes nothing and every problem is listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
        parser.add_argument("--round", type=int, required=True, help="survey year, e.g. 2025")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            round_ = Round.objects.get(year=options["round"])
        except Round.DoesNotExist as exc:
            raise CommandError(f"there is no survey round {options['round']}") from exc
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            services.refuse_if_published(round_)
        except services.RoundError as exc:
            raise CommandError(
                f"{exc} (python manage.py correct_round FILE --round {round_.year} --note TEXT)"
            ) from exc
        bar = ProgressBar(sys.stderr)
        with path.open("rb") as stream:
            outcome = services.import_file(round_, stream, None, bar)
        bar.done()
        if not outcome.ok:
            for problem in outcome.problems:
                self.stderr.write(services.problem_line(problem))
            raise CommandError(
                f"{len(outcome.problems)} problems in {path.name}; nothing was imported."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {outcome.answers_saved:,} answers in {outcome.responses_touched:,} "
                f"responses and {outcome.ratings_saved} maturity ratings from "
                f"{outcome.rows_read:,} rows in {outcome.seconds:.1f} s."
            )
        )
