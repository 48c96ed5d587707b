"""`manage.py import_projects FILE`: import implementation projects from CSV or XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommuneradar.benefits.importing import import_projects
from kommuneradar.benefits.spreadsheet import MAX_BYTES


class Command(BaseCommand):
    help = "Import implementation projects with business cases from CSV or XLSX (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                content = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        result = import_projects(content, path.name, None)
        if not result.ok:
            for error in result.errors:
                where = f"line {error.line}" if error.line else "file"
                column = f", column {error.column}" if error.column else ""
                value = f" ({error.value!r})" if error.value else ""
                self.stderr.write(f"{where}{column}{value}: {error.reason}")
            raise CommandError(f"Nothing imported: {len(result.errors)} problem(s) in {path}.")
        self.stdout.write(self.style.SUCCESS(f"Imported {result.created} project(s) from {path}."))
