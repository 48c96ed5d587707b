"""`manage.py import_projects FILE`: import implementation projects from CSV or XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommuneradar.benefits.importing import import_projects


class Command(BaseCommand):
    help = "Import implementation projects with business cases from CSV or XLSX (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                result = import_projects(handle, path.name, None)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        if not result.ok:
            for line in result.lines():
                self.stderr.write(line)
            raise CommandError(f"Nothing imported: {len(result.problems)} problem(s) in {path}.")
        self.stdout.write(self.style.SUCCESS(f"Imported {result.created} project(s) from {path}."))
