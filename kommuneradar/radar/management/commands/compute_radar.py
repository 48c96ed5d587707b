from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommuneradar.radar.editions import EditionError, compute_round
from kommuneradar.surveys.models import Round


class Command(BaseCommand):
    help = (
        "Compute the radar editions of a round: one per domain and one for all domains. "
        "Running it again with unchanged answers changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", type=int, required=True, help="survey year, e.g. 2024")
        parser.add_argument(
            "--publish", action="store_true", help="publish the editions (they are then frozen)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            round_ = Round.objects.get(year=options["round"])
        except Round.DoesNotExist as exc:
            raise CommandError(f"there is no survey round {options['round']}") from exc
        # A published round changes only by a correction, which carries a note: here its
        # changed editions become drafts, and publishing them is refused.
        closed = round_.status == Round.Status.PUBLISHED
        try:
            results = compute_round(round_, publish=options["publish"] and not closed)
        except EditionError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(
                f"{round_.year} {result.scope:<32} revision {result.revision}: {result.outcome} "
                f"({result.placed} placed, {result.suppressed} with too few answers)"
            )
        changed = [result for result in results if result.outcome != "unchanged"]
        if options["publish"] and closed and changed:
            raise CommandError(
                f"round {round_.year} is published: {len(changed)} changed editions were kept "
                "as drafts. Publishing a change takes a correction with a note: "
                f"python manage.py correct_round --round {round_.year} --note TEXT"
            )
