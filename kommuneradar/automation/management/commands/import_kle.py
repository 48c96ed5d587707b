"""`manage.py import_kle FILE`: bring the KLE numbers in step with KL's KLE plan (XML)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommuneradar.automation.importing import import_kle


class Command(BaseCommand):
    help = (
        "Import KL's KLE plan (the KLE-Emneplan XML file): main groups, groups and topics, "
        "matched by number (all or nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                result = import_kle(handle, path.name)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        if not result.ok:
            for line in result.lines():
                self.stderr.write(line)
            raise CommandError(f"Nothing imported: {len(result.problems)} problem(s) in {path}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"KLE plan {path}: {result.created} entries created, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
