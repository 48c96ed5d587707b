from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommuneradar.surveys import services
from kommuneradar.surveys.models import Round


class Command(BaseCommand):
    help = (
        "E-mail the invitations of an open round that have not been sent yet, each with a "
        "fresh link; with --reminder, e-mail a new link to every invited municipality and "
        "domain that has not submitted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", type=int, required=True, help="survey year, e.g. 2025")
        parser.add_argument("--reminder", action="store_true", help="send reminders")
        parser.add_argument(
            "--base-url",
            default=os.environ.get("KOMMUNERADAR_URL", "http://127.0.0.1:8000"),
            help="the site's address for the links (default: $KOMMUNERADAR_URL or local)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            round_ = Round.objects.get(year=options["round"])
        except Round.DoesNotExist as exc:
            raise CommandError(f"there is no survey round {options['round']}") from exc
        try:
            result = services.send_invitations(
                round_, options["base_url"], None, reminder=options["reminder"]
            )
        except services.RoundError as exc:
            raise CommandError(str(exc)) from exc
        kind = "reminders" if options["reminder"] else "invitations"
        self.stdout.write(self.style.SUCCESS(f"{result.sent} {kind} sent for round {round_.year}."))
        if result.failed:
            self.stdout.write(
                self.style.ERROR(
                    f"{result.failed} e-mails were refused by the mail server; run again later."
                )
            )
        if result.without_recipient:
            self.stdout.write(
                self.style.WARNING(
                    f"{result.without_recipient} invitations have no recipient e-mail address; "
                    f"add one on /runder/{round_.year}/."
                )
            )
