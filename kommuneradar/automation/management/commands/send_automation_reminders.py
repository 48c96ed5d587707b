"""`manage.py send_automation_reminders`: e-mail the reminders due in the automation
pipeline (legal basis, not updated, measurement), each once per period."""

from __future__ import annotations

import datetime
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kommuneradar.automation.reminders import send_reminders


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {text!r}.") from exc


class Command(BaseCommand):
    help = (
        "E-mail process owners and contact persons the reminders due: legal basis not "
        "checked for 6 months, not updated for a year, a measurement due (3 months); each "
        "reminder once per period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", default="", help="count as if today were YYYY-MM-DD")
        parser.add_argument(
            "--dry-run", action="store_true", help="list what is due; send and record nothing"
        )
        parser.add_argument(
            "--base-url",
            default=os.environ.get("KOMMUNERADAR_URL", "http://127.0.0.1:8000"),
            help="the site's address for the links (default: $KOMMUNERADAR_URL or local)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["today"]) if options["today"] else timezone.localdate()
        dry_run = options["dry_run"]
        outcome = send_reminders(today, options["base_url"], dry_run=dry_run)
        for reminder in outcome.sent:
            verb = "would send" if dry_run else "sent"
            self.stdout.write(
                f"{verb}: #{reminder.process.pk} {reminder.process.title}: {reminder.kind} "
                f"({reminder.period}) to {len(reminder.recipients)} recipient(s)"
            )
        for reminder in outcome.without_recipient:
            self.stdout.write(
                self.style.WARNING(
                    f"no recipient: #{reminder.process.pk} {reminder.process.title}: "
                    f"{reminder.kind}; give the process an owner or a contact with an e-mail."
                )
            )
        summary = (
            f"{len(outcome.sent)} reminder(s) {'due' if dry_run else 'sent'} on {today}, "
            f"{outcome.already_sent} already sent for their period."
        )
        self.stdout.write(self.style.SUCCESS(("Dry run: " if dry_run else "") + summary))
        if outcome.failed:
            self.stdout.write(
                self.style.ERROR(
                    f"{len(outcome.failed)} e-mail(s) were refused by the mail server; "
                    "run again later (they are sent then)."
                )
            )
