"""`manage.py import_radar FILE --format byor|backstage --name NAME`: another radar tool's
file as an editorial radar (rings set by hand), all or nothing."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommuneradar.radar.importing import import_radar
from kommuneradar.radar.models import EditorialRadar


def _names(text: str) -> list[str]:
    try:
        names = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"not a JSON list of names: {text}") from exc
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise CommandError(f"not a JSON list of names: {text}")
    return names


class Command(BaseCommand):
    help = (
        "Import a Build Your Own Radar CSV/JSON or a Backstage tech-radar JSON as an "
        "editorial radar (rings set by hand); all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=EditorialRadar.Source.values)
        parser.add_argument("--name", required=True, help="the radar's name")
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="BYOR: the edition's date"
        )
        parser.add_argument("--rings", default="[]", help="BYOR: RINGS, e.g. '[\"Adopt\", …]'")
        parser.add_argument("--quadrants", default="[]", help="BYOR: QUADRANTS, a JSON list")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        result = import_radar(
            content,
            path.name,
            options["format"],
            options["name"],
            None,
            date=options["date"],
            rings=_names(options["rings"]),
            quadrants=_names(options["quadrants"]),
        )
        if result.radar is None:
            for line in result.lines():
                self.stderr.write(line)
            raise CommandError(f"Nothing imported: {len(result.problems)} problem(s) in {path}.")
        editions = result.radar.editions.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported editorial radar {result.radar.pk} ({result.radar.name}) with "
                f"{editions} edition(s) from {path}."
            )
        )
