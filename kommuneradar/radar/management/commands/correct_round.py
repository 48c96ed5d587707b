from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommuneradar.accounts import audit
from kommuneradar.radar import services
from kommuneradar.surveys.models import Round
from kommuneradar.surveys.services import RoundError, problem_line


class Command(BaseCommand):
    help = (
        "Correct a published round: import corrected answers (optional file, the import "
        "format) and publish a new revision of every affected radar with the note."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", help="a .csv or .xlsx file")
        parser.add_argument("--round", type=int, required=True, help="survey year, e.g. 2024")
        parser.add_argument("--note", required=True, help="what changed and why (shown publicly)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            round_ = Round.objects.get(year=options["round"])
        except Round.DoesNotExist as exc:
            raise CommandError(f"there is no survey round {options['round']}") from exc
        path: Path | None = options["file"]
        if path is not None and not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            with audit.acting_as(None):
                if path is None:
                    outcome = services.correct_round(round_, options["note"], None)
                else:
                    with path.open("rb") as stream:
                        outcome = services.correct_round(round_, options["note"], None, stream)
        except RoundError as exc:
            raise CommandError(str(exc)) from exc
        if not outcome.ok and outcome.imported is not None:
            for problem in outcome.imported.problems:
                self.stderr.write(problem_line(problem))
            raise CommandError(f"{len(outcome.imported.problems)} problems; nothing was corrected.")
        for result in outcome.revised:
            self.stdout.write(f"{round_.year} {result.scope}: revision {result.revision}")
        self.stdout.write(
            self.style.SUCCESS(f"Correction published: {len(outcome.revised)} new revisions.")
        )
