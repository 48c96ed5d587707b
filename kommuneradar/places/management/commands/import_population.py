from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext_noop

from kommuneradar.core import published
from kommuneradar.core.problems import describe
from kommuneradar.places import population
from kommuneradar.places.models import Municipality
from kommuneradar.places.naming import HOME_COUNTRY

MESSAGES = {
    population.UNKNOWN_CODE: gettext_noop("Unknown municipality code %(value)s."),
    population.OTHER_NAME: gettext_noop("The code belongs to %(value)s, not to this name."),
    population.NOT_INHABITANTS: gettext_noop(
        "“%(value)s” is not a whole number of inhabitants greater than zero."
    ),
    population.NO_MUNICIPALITY_LINES: gettext_noop(
        "No line names a municipality as “101 København”."
    ),
}


class Command(BaseCommand):
    help = "Update populations from a Danmarks Statistik export (semicolon separated or XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", default="", help="Where the figures come from, e.g. 'DST FOLK1A 2025K1'"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        municipalities = {m.code: m for m in Municipality.objects.filter(country=HOME_COUNTRY)}
        known = {code: m.name for code, m in municipalities.items()}
        try:
            with path.open("rb") as stream:
                rows, problems = population.parse_population_export(stream, known)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        if problems:
            listing = "\n".join(f"  {describe(problem, MESSAGES)}" for problem in problems)
            raise CommandError(
                f"{path}: nothing was changed; {len(problems)} problem(s):\n{listing}"
            )
        source = options["source"] or f"Danmarks Statistik ({path.name})"
        with transaction.atomic():
            for row in rows:
                municipality = municipalities[row.code]
                municipality.population = row.population
                municipality.population_source = source
            Municipality.objects.bulk_update(
                [municipalities[row.code] for row in rows], ["population", "population_source"]
            )
            published.bump()  # bulk_update sends no signals
        self.stdout.write(f"Updated the population of {len(rows)} municipalities from {path}.")
