"""Review and publication of a round's radar editions: drafts, ring overrides, publishing.

The radar app owns these rules; a survey round only supplies the answers and its status."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kommuneradar.accounts import audit
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Technology
from kommuneradar.surveys.models import Round
from kommuneradar.surveys.services import RoundError

from .editions import EditionError, EditionResult, compute_round
from .models import Edition, RingOverride


def compute_drafts(round_: Round, user: User | None) -> list[EditionResult]:
    """Compute draft editions for review, without publishing anything."""
    with audit.operation(user, "editions_computed", subject=round_) as op:
        try:
            results = compute_round(round_)
        except EditionError as exc:
            raise RoundError(_("The round has no answers yet.")) from exc
        op.note(f"{len(results)} editions")
    return results


def set_override(
    round_: Round, scope: str, technology: Technology, ring: str, reason: str, user: User | None
) -> RingOverride:
    """Show a technology in another ring than the computed one, with a written reason."""
    summary = f"{scope} {technology.slug} -> {ring}: {reason}"
    with audit.operation(user, "ring_override", summary=summary):
        override, _created = RingOverride.objects.update_or_create(
            round=round_,
            scope=scope,
            technology=technology,
            defaults={"ring": ring, "reason": reason, "author": user},
        )
    return override


def publish_round(round_: Round, user: User | None, change_note: str = "") -> list[EditionResult]:
    """Publish a closed round's editions (they are frozen from then on).

    On a published round this publishes a correction: every edition whose content
    changed gets a new published revision carrying `change_note`."""
    correcting = round_.status == Round.Status.PUBLISHED
    if not correcting and round_.status != Round.Status.CLOSED:
        raise RoundError(_("Close the round before publishing it."))
    if correcting and not change_note.strip():
        raise RoundError(_("A correction must say what changed and why."))
    action = "round_correction_published" if correcting else "round_published"
    with audit.operation(user, action, subject=round_) as op:
        try:
            results = compute_round(round_, publish=True)
        except EditionError as exc:
            raise RoundError(_("The round has no answers yet.")) from exc
        if correcting:
            for result in results:
                if result.outcome != "unchanged" and result.revision > 1:
                    Edition.objects.filter(
                        round=round_, scope=result.scope, revision=result.revision
                    ).update(change_note=change_note.strip())
        round_.status = Round.Status.PUBLISHED
        round_.save(update_fields=["status"])
        changed = sum(1 for result in results if result.outcome != "unchanged")
        op.note(f"{changed} editions changed. {change_note}".strip())
    return results
