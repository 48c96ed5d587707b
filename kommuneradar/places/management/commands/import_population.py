from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kommuneradar.places.models import Municipality
from kommuneradar.places.population import decode_export, parse_population_export


class Command(BaseCommand):
    help = "Update populations from a Danmarks Statistik export (semicolon separated)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", default="", help="Where the figures come from, e.g. 'DST FOLK1A 2025K1'"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        municipalities = {m.code: m for m in Municipality.objects.all()}
        rows, errors = parse_population_export(
            decode_export(raw), {code: m.name for code, m in municipalities.items()}
        )
        if errors:
            listing = "\n".join(f"  {error}" for error in errors)
            raise CommandError(f"{path}: nothing was changed; {len(errors)} error(s):\n{listing}")
        source = options["source"] or f"Danmarks Statistik ({path.name})"
        with transaction.atomic():
            for row in rows:
                municipality = municipalities[row.code]
                municipality.population = row.population
                municipality.population_source = source
            Municipality.objects.bulk_update(
                [municipalities[row.code] for row in rows], ["population", "population_source"]
            )
        self.stdout.write(f"Updated the population of {len(rows)} municipalities from {path}.")
