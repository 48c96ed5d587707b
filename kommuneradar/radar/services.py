"""Review and publication of a round's radar editions: drafts, ring overrides, publishing.

The radar app owns these rules; a survey round only supplies the answers and its status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from kommuneradar.accounts import audit, personal
from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.catalog.models import Technology
from kommuneradar.surveys.importing import Parsed
from kommuneradar.surveys.models import Contact, Invitation, Response, Round
from kommuneradar.surveys.services import ImportOutcome, RoundError, read_file, save_parsed

from .editions import EditionError, EditionResult, answer_digests, compute_round
from .models import ALL_DOMAINS, Edition, EditionStory, RingOverride, RingReason


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


def write_story(
    round_: Round,
    scope: str,
    user: User | None,
    *,
    introduction: str,
    expert_panel: str = "",
    contact_name: str = "",
    contact_role: str = "",
    contact_email: str = "",
) -> EditionStory:
    """A new revision of an edition's introduction, expert panel and contact (the earlier
    ones stay as its history)."""
    with audit.operation(user, "edition_story", summary=f"{round_.year} {scope}"):
        return EditionStory.objects.create(
            round=round_,
            scope=scope,
            introduction=introduction,
            expert_panel=expert_panel,
            contact_name=contact_name,
            contact_role=contact_role,
            contact_email=contact_email,
            author=user,
        )


def write_ring_reason(
    round_: Round, scope: str, technology: Technology, text: str, user: User | None
) -> RingReason:
    """A new revision of why a technology is in its ring (the earlier ones stay as its
    history)."""
    summary = f"{round_.year} {scope} {technology.slug}: {text}"
    with audit.operation(user, "ring_reason", summary=summary):
        return RingReason.objects.create(
            round=round_, scope=scope, technology=technology, text=text, author=user
        )


def refuse_unless_closed(round_: Round) -> None:
    """Only a closed round is published (its answers no longer change)."""
    if round_.status != Round.Status.CLOSED:
        raise RoundError(_("Close the round before publishing it."))


def publish_round(round_: Round, user: User | None, change_note: str = "") -> list[EditionResult]:
    """Publish a closed round's editions (they are frozen from then on).

    On a published round this publishes a correction (`correct_round` without a file):
    every edition whose content changed gets a new published revision carrying
    `change_note`."""
    if round_.status == Round.Status.PUBLISHED:
        return correct_round(round_, change_note, user).results
    refuse_unless_closed(round_)
    with audit.operation(user, "round_published", subject=round_) as op:
        try:
            results = compute_round(round_, publish=True)
        except EditionError as exc:
            raise RoundError(_("The round has no answers yet.")) from exc
        round_.status = Round.Status.PUBLISHED
        round_.save(update_fields=["status"])
        changed = sum(1 for result in results if result.outcome != "unchanged")
        op.note(f"{changed} editions changed.")
    return results


@dataclass
class CorrectionOutcome:
    """What a correction did: the import (when a file was given) and the editions."""

    imported: ImportOutcome | None = None
    results: list[EditionResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.imported is None or self.imported.ok

    @property
    def revised(self) -> list[EditionResult]:
        """The editions that got a new published revision."""
        return [result for result in self.results if result.outcome != "unchanged"]


def correct_round(
    round_: Round,
    change_note: str,
    user: User | None,
    stream: IO[bytes] | None = None,
    *,
    parsed: Parsed | None = None,
) -> CorrectionOutcome:
    """Change a published round: import the corrected answers in `stream` (if any; or
    `parsed`, a file already read by `surveys.services.read_file`), then publish a new
    revision of every edition the change affects, carrying `change_note`.

    A published edition is never changed; the note is required and shown with the revision.
    All or nothing: a file with problems changes nothing (the problems are returned). The
    file is read before the transaction opens; its answers and the new revisions are
    saved in one."""
    note = change_note.strip()
    if round_.status != Round.Status.PUBLISHED:
        raise RoundError(_("Only a published round is corrected; publish it first."))
    if not note:
        raise RoundError(_("A correction must say what changed and why."))
    if stream is not None and parsed is None:
        parsed = read_file(stream)
    outcome = CorrectionOutcome()
    with transaction.atomic():
        before = answer_digests(round_)
        if parsed is not None:
            outcome.imported = save_parsed(round_, parsed, user, correction=True)
            if not outcome.imported.ok:
                return outcome
        after = answer_digests(round_)
        touched = {
            slug for slug in before.keys() | after.keys() if before.get(slug) != after.get(slug)
        }
        renew = frozenset(touched | {ALL_DOMAINS}) if touched else frozenset()
        with audit.operation(user, "round_corrected", subject=round_) as op:
            try:
                outcome.results = compute_round(round_, publish=True, renew=renew)
            except EditionError as exc:
                raise RoundError(_("The round has no answers yet.")) from exc
            for result in outcome.revised:
                Edition.objects.filter(
                    round=round_, scope=result.scope, revision=result.revision
                ).update(change_note=note)
            revised = ", ".join(f"{r.scope} r{r.revision}" for r in outcome.revised) or "none"
            op.note(f"correction: {note} (new revisions: {revised})")
    return outcome


@dataclass(frozen=True)
class Purged:
    """One round whose respondents' names and addresses were removed."""

    year: int
    published_at: dt.datetime
    invitations: int


@dataclass
class Purge:
    """What the retention purge did: rounds, and audit texts cleaned."""

    rounds: list[Purged] = field(default_factory=list)
    audit_texts: int = 0


def purge_respondents(days: int, now: dt.datetime | None = None) -> Purge:
    """Remove the respondents' names, addresses and roles from the invitations of every
    round first published more than `days` days ago, and from the audit entries about
    survey invitations, responses and contacts (unless the same name or address is still
    in use: a standing contact, or a later round's invitation). Idempotent."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    rounds = list(
        Round.objects.filter(status=Round.Status.PUBLISHED)
        .annotate(first_published=Min("editions__published_at"))
        .filter(first_published__lte=cutoff)
        .order_by("year")
    )
    outcome = Purge()
    held = Invitation.objects.filter(round__in=rounds).exclude(
        recipient_name="", recipient_email="", recipient_role=""
    )
    with transaction.atomic():
        terms: set[str] = set()
        for name, email in held.values_list("recipient_name", "recipient_email"):
            terms.update(term for term in (name.strip(), email.strip()) if term)
        in_use: set[str] = set()
        for name, email in Contact.objects.values_list("name", "email"):
            in_use.update((name.strip().lower(), email.strip().lower()))
        later = Invitation.objects.exclude(round__in=rounds)
        for name, email in later.values_list("recipient_name", "recipient_email"):
            in_use.update((name.strip().lower(), email.strip().lower()))
        for round_ in rounds:
            count = held.filter(round=round_).update(
                recipient_name="", recipient_email="", recipient_role=""
            )
            if count:
                outcome.rounds.append(Purged(round_.year, round_.first_published, count))  # type: ignore[attr-defined]
        entries = AuditEntry.objects.filter(
            object_type__in=[m._meta.label for m in (Invitation, Response, Contact)]
        )
        outcome.audit_texts = personal.replace_in_texts(
            entries, [term for term in terms if term.lower() not in in_use]
        )
    return outcome
