from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from kommuneradar.core import published
from kommuneradar.demo.demo_accounts import DEMO_PASSWORD, ensure_demo_accounts
from kommuneradar.demo.models import DemoLoad
from kommuneradar.demo.steps import DEMO_STEPS
from kommuneradar.surveys.models import Answer

DEFAULT_SEED = 2024


class Command(BaseCommand):
    help = (
        "Fill an empty database with generated, deterministic demo data (same seed, same data). "
        "Refuses a database that holds real survey answers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when the database already has data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if DemoLoad.objects.exists():
            self.stdout.write("Demo data is already loaded; nothing to do.")
            self._demo_accounts()
            return
        if Answer.objects.exists():
            message = "the database holds real survey answers; demo data is not loaded"
            if options["if_empty"]:
                self.stdout.write(f"Skipped: {message}.")
                return
            raise CommandError(f"Refused: {message}.")
        seed: int = options["seed"]
        # One load day for every step: the open round and the follow-ups are dated from it.
        today = timezone.localdate()
        with transaction.atomic():
            for step in DEMO_STEPS:
                self.stdout.write(f"{step} ...")
                importlib.import_module(step).load(seed, self.stdout, today)
            DemoLoad.objects.create(seed=seed)
            published.bump()  # most steps write in bulk, which sends no signals
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded (seed {seed})."))
        self._demo_accounts()

    def _demo_accounts(self) -> None:
        """Only a demo database gets the demo accounts, with their public password."""
        self.stdout.write("Demo accounts (log in at /log-ind/):")
        for account in ensure_demo_accounts():
            where = f" for {account.municipality}" if account.municipality else ""
            self.stdout.write(f"  {account.username} / {DEMO_PASSWORD}  ({account.role}{where})")
