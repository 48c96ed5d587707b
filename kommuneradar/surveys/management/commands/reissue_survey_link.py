from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kommuneradar.catalog.models import Domain
from kommuneradar.places.models import Municipality
from kommuneradar.places.naming import find_municipality
from kommuneradar.surveys import services
from kommuneradar.surveys.models import Invitation, Round


class Command(BaseCommand):
    help = (
        "After a survey link has leaked: stop every link of one municipality in a round from "
        "working and e-mail its recipient a new one (or, where there is no recipient or the "
        "round is not open, only stop the old link). --domain limits it to one domain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", type=int, required=True, help="survey year, e.g. 2025")
        parser.add_argument(
            "--municipality", required=True, help='code or name, e.g. "630" or "Vejle"'
        )
        parser.add_argument("--domain", help="a domain's slug, e.g. sundhed-og-aeldre")
        parser.add_argument(
            "--base-url",
            default=os.environ.get("KOMMUNERADAR_URL", "http://127.0.0.1:8000"),
            help="the site's address for the links (default: $KOMMUNERADAR_URL or local)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            round_ = Round.objects.get(year=options["round"])
        except Round.DoesNotExist as exc:
            raise CommandError(f"there is no survey round {options['round']}") from exc
        municipality_id = find_municipality(
            Municipality.objects.lookup_table(), options["municipality"]
        )
        if municipality_id is None:
            raise CommandError(f"no municipality is called {options['municipality']!r}")
        invitations = Invitation.objects.filter(
            round=round_, municipality_id=municipality_id
        ).select_related("round", "municipality", "domain")
        if options["domain"]:
            if not Domain.objects.filter(slug=options["domain"]).exists():
                raise CommandError(f"no domain has the slug {options['domain']!r}")
            invitations = invitations.filter(domain__slug=options["domain"])
        if not invitations:
            raise CommandError("the round has no invitation for that municipality")
        for invitation in invitations:
            self.stdout.write(f"{invitation.domain}: {self._replace(invitation, options)}")

    def _replace(self, invitation: Invitation, options: dict[str, Any]) -> str:
        if invitation.revoked_at is not None:
            return "already revoked (reissue it on /runder/ when wanted)"
        if not invitation.token_hash:
            return "no link has been sent, nothing to stop"
        if invitation.round.status == Round.Status.OPEN and invitation.has_recipient:
            try:
                services.reissue(invitation, options["base_url"], None)
            except services.RoundError as exc:
                services.revoke(invitation, None)
                return self.style.ERROR(f"old link revoked, but no new one was sent: {exc}")
            return self.style.SUCCESS(
                f"old link stopped, new link e-mailed to {invitation.recipient_email}"
            )
        services.revoke(invitation, None)
        why = "the round is not open" if invitation.has_recipient else "there is no recipient"
        return self.style.WARNING(
            f"old link revoked; no new link sent because {why} (reissue it on "
            f"/runder/{invitation.round.year}/ later)"
        )
