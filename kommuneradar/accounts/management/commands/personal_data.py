from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommuneradar.accounts import personal


class Command(BaseCommand):
    help = (
        "Export or erase everything stored about one person, found by e-mail address, in "
        "every table (the audit trail included). Erasure runs in one transaction; "
        "--dry-run shows what would change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("--email", required=True, help="the person's e-mail address")
        parser.add_argument("--output", type=Path, help="export: write the JSON to this file")
        parser.add_argument(
            "--dry-run", action="store_true", help="erase: show what would change, change nothing"
        )
        parser.add_argument(
            "--only-email",
            action="store_true",
            help="find the person by the address alone (when another address shares the name)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            person = personal.find(options["email"], only_email=options["only_email"])
        except personal.PersonalDataError as exc:
            raise CommandError(str(exc)) from exc
        if options["action"] == "export":
            self._export(person, options["output"])
        else:
            self._erase(person, dry_run=options["dry_run"])

    def _export(self, person: personal.Person, output: Path | None) -> None:
        text = json.dumps(personal.export(person), ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(text)
            return
        output.write_text(text + "\n", encoding="utf-8")
        self.stderr.write(f"Wrote everything stored about {person.email} to {output}.")

    def _erase(self, person: personal.Person, *, dry_run: bool) -> None:
        result = personal.erase(person, dry_run=dry_run)
        if result.empty:
            self.stdout.write(f"Nothing is stored about {person.email}.")
            return
        if dry_run:
            self.stdout.write(f"Dry run: nothing changed. Erasing {person.email} would:")
        else:
            personal.record_erasure(result)
            self.stdout.write(f"Erased {person.email}:")
        for line in result.lines():
            self.stdout.write(f"  {line}")
