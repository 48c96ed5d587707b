from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from kommuneradar.radar import services


class Command(BaseCommand):
    help = (
        "Remove the survey respondents' names and e-mail addresses from every round first "
        "published more than RESPONDENT_RETENTION_DAYS days ago (invitations and their audit "
        "entries). Idempotent: schedule it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="override RESPONDENT_RETENTION_DAYS for this run",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.RESPONDENT_RETENTION_DAYS if options["days"] is None else options["days"]
        if days < 0:
            days = 0
        purged = services.purge_respondents(days)
        if not purged.rounds and not purged.audit_texts:
            self.stdout.write(
                f"Nothing to purge: no round published more than {days} days ago still "
                "holds respondents' names or addresses."
            )
            return
        for row in purged.rounds:
            self.stdout.write(
                f"Round {row.year} (first published {row.published_at:%Y-%m-%d}): "
                f"{row.invitations} invitations anonymised."
            )
        self.stdout.write(f"{purged.audit_texts} audit texts cleaned.")
