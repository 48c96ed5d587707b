"""`manage.py import_os2autoproces FILE --municipality CODE`: import an OS2autoproces
Excel export into one municipality's pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommuneradar.accounts.models import User
from kommuneradar.automation.importing import import_os2autoproces
from kommuneradar.places.models import Municipality, municipality_code_for


class Command(BaseCommand):
    help = (
        "Import processes from an OS2autoproces Excel export (XLSX or CSV with its headings) "
        "into a municipality's pipeline (all or nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--municipality", required=True, help="the municipality's code or name, e.g. 630"
        )
        parser.add_argument(
            "--owner",
            default="",
            help="username or e-mail of the user who owns the imported processes "
            "(needed for personal ones)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        code = municipality_code_for(options["municipality"])
        if code is None:
            raise CommandError(f"No municipality is called or numbered {options['municipality']}.")
        municipality = Municipality.objects.get(code=code)
        owner = None
        if options["owner"]:
            typed = options["owner"]
            owner = (
                User.objects.filter(username=typed).first()
                or User.objects.filter(email__iexact=typed).first()
            )
            if owner is None or not owner.is_active:
                raise CommandError(f"No active user has the username or e-mail {typed}.")
        try:
            with path.open("rb") as handle:
                result = import_os2autoproces(handle, path.name, municipality, None, owner)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        if not result.ok:
            for line in result.lines():
                self.stderr.write(line)
            raise CommandError(f"Nothing imported: {len(result.problems)} problem(s) in {path}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.created} process(es) into {municipality.name} from {path}."
            )
        )
