"""What analysts and respondents do to a round, as functions the views and commands call.

Each function that changes data writes an audit entry and runs in one transaction."""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kommuneradar.accounts import audit
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.core import problems as import_problems
from kommuneradar.core import tokens
from kommuneradar.core.tabular import Problem, normalise
from kommuneradar.places.models import Municipality

from . import importing, rules
from . import vocabulary as v
from .forms import RoundForm
from .models import Answer, Contact, Invitation, Response, Round

logger = logging.getLogger(__name__)


class RoundError(Exception):
    """An action that the round's status does not allow; the message says why."""


def refuse_if_published(round_: Round) -> None:
    """A published round is closed: its answers change only through a correction, which
    publishes new revisions of the affected editions with a note (radar.services)."""
    if round_.status == Round.Status.PUBLISHED:
        raise RoundError(
            _(
                "Round %(year)s is published, so its answers cannot be changed here. "
                "Publish a correction instead: it applies the change with a note saying "
                "what changed and why, and gives the affected radars a new revision."
            )
            % {"year": round_.year}
        )


def invitation_for_token(token: str) -> Invitation | None:
    """The live invitation behind a link token, or None when it is unknown, revoked,
    replaced by a newer link, or its round is not open."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("round", "municipality", "domain")
        .filter(
            token_hash=tokens.hash_token(token),
            revoked_at__isnull=True,
            round__status=Round.Status.OPEN,
        )
        .first()
    )


def create_round(form: RoundForm, user: User | None) -> Round:
    """Save a new round (a draft) from the analysts' form."""
    with audit.operation(user, "round_created", subject=form.instance) as op:
        round_ = form.save()
        op.note(str(round_.year))
    return round_


def move_round(round_: Round, wanted: str, user: User | None) -> None:
    """Change a round's status along the life cycle; opening creates the invitations."""
    if wanted not in Round.Status.values:
        raise RoundError(_("Unknown status."))
    if wanted == Round.Status.PUBLISHED:
        raise RoundError(_("Use publication to publish a round."))
    if not rules.may_move(round_.status, wanted):
        raise RoundError(
            _("A round that is %(current)s cannot become %(wanted)s.")
            % {"current": round_.get_status_display(), "wanted": Round.Status(wanted).label}
        )
    with audit.operation(user, "round_status", subject=round_) as op:
        created = create_invitations(round_) if wanted == Round.Status.OPEN else 0
        round_.status = wanted
        round_.save(update_fields=["status"])
        op.note(f"status -> {wanted}; {created} invitations created")


def create_invitations(round_: Round) -> int:
    """One invitation per municipality and domain, recipient copied from the contacts.

    Existing invitations are kept (reopening a round does not reset links)."""
    contacts = {(c.municipality_id, c.domain_id): c for c in Contact.objects.all()}
    existing = set(Invitation.objects.filter(round=round_).values_list("municipality", "domain"))
    new = []
    domain_ids = list(
        Domain.objects.filter(technologies__isnull=False).distinct().values_list("pk", flat=True)
    )
    for municipality_id in Municipality.objects.values_list("pk", flat=True):
        for domain_id in domain_ids:
            if (municipality_id, domain_id) in existing:
                continue
            contact = contacts.get((municipality_id, domain_id))
            new.append(
                Invitation(
                    round=round_,
                    municipality_id=municipality_id,
                    domain_id=domain_id,
                    recipient_name=contact.name if contact else "",
                    recipient_email=contact.email if contact else "",
                    recipient_role=contact.role if contact else "",
                )
            )
    Invitation.objects.bulk_create(new, batch_size=1000)
    return len(new)


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    without_recipient: int = 0


def _send_one(invitation: Invitation, base_url: str, *, reminder: bool) -> bool:
    """Mail a fresh link; only when the mail is handed over does the new link replace the
    old one. False when the mail server refused it."""
    token = tokens.new_token()
    link = base_url.rstrip("/") + reverse("surveys:questionnaire", args=[token])
    with translation.override("da"):
        context = {"invitation": invitation, "link": link, "reminder": reminder}
        subject = render_to_string("surveys/email/invitation_subject.txt", context)
        body = render_to_string("surveys/email/invitation_body.txt", context)
    try:
        send_mail(
            " ".join(subject.split()),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [invitation.recipient_email],
        )
    except (OSError, smtplib.SMTPException):
        logger.warning("invitation %s: the mail server refused the e-mail", invitation.pk)
        return False
    now = timezone.now()
    invitation.token_hash = tokens.hash_token(token)
    if invitation.sent_at is None:
        invitation.sent_at = now
    invitation.last_sent_at = now
    if reminder:
        invitation.reminders_sent += 1
    invitation.save(update_fields=["token_hash", "sent_at", "last_sent_at", "reminders_sent"])
    return True


def send_invitations(
    round_: Round, base_url: str, user: User | None, *, reminder: bool
) -> SendResult:
    """Mail each unsent invitation (or, as a reminder, each sent one whose response is not
    submitted) a fresh link. A new link replaces the previous one."""
    if round_.status != Round.Status.OPEN:
        raise RoundError(_("Invitations can only be sent while the round is open."))
    invitations = Invitation.objects.filter(round=round_, revoked_at__isnull=True).select_related(
        "round", "municipality", "domain"
    )
    if reminder:
        submitted = Response.objects.filter(round=round_, submitted_at__isnull=False)
        answered = set(submitted.values_list("municipality_id", "domain_id"))
        chosen = [
            i
            for i in invitations.filter(sent_at__isnull=False)
            if (i.municipality_id, i.domain_id) not in answered
        ]
    else:
        chosen = list(invitations.filter(sent_at__isnull=True))
    result = SendResult()
    action = "reminders_sent" if reminder else "invitations_sent"
    with audit.operation(user, action, subject=round_) as op:
        for invitation in chosen:
            if not invitation.has_recipient:
                result.without_recipient += 1
                continue
            if _send_one(invitation, base_url, reminder=reminder):
                result.sent += 1
            else:
                result.failed += 1
        op.note(
            f"{result.sent} sent, {result.failed} failed, {result.without_recipient} no recipient"
        )
    return result


def revoke(invitation: Invitation, user: User | None) -> None:
    """Stop the invitation's link from working."""
    with audit.operation(user, "invitation_revoked", subject=invitation):
        invitation.revoked_at = timezone.now()
        invitation.token_hash = ""
        invitation.save(update_fields=["revoked_at", "token_hash"])


def reissue(invitation: Invitation, base_url: str, user: User | None) -> None:
    """Mail a fresh link (the old one stops working) and lift any revocation."""
    if invitation.round.status != Round.Status.OPEN:
        raise RoundError(_("Invitations can only be sent while the round is open."))
    if not invitation.has_recipient:
        raise RoundError(_("The invitation has no recipient e-mail address."))
    with audit.operation(user, "invitation_reissued", subject=invitation):
        if not _send_one(invitation, base_url, reminder=False):
            raise RoundError(_("The mail server refused the e-mail; the old link still works."))
        invitation.revoked_at = None
        invitation.save(update_fields=["revoked_at"])


def set_recipient(
    invitation: Invitation, name: str, email: str, role: str, user: User | None
) -> None:
    """Change who is invited, and remember them as the contact for later rounds."""
    with audit.operation(user, "invitation_recipient", subject=invitation):
        invitation.recipient_name, invitation.recipient_email = name, email
        invitation.recipient_role = role
        invitation.save(update_fields=["recipient_name", "recipient_email", "recipient_role"])
        Contact.objects.update_or_create(
            municipality=invitation.municipality,
            domain=invitation.domain,
            defaults={"name": name, "email": email, "role": role},
        )


def questionnaire_technologies(domain: Domain) -> list[Technology]:
    """The technologies of a domain's questionnaire, by quadrant and name."""
    return list(
        Technology.objects.filter(domains=domain)
        .select_related("quadrant")
        .order_by("quadrant__position", "name_da")
    )


def save_questionnaire(
    invitation: Invitation, answers: dict[int, dict[str, str]], *, submit: bool
) -> Response:
    """Store the questionnaire's answers (technology id -> fields); stage "" stores nothing.

    A submitted response cannot be changed here (an analyst must reopen it first)."""
    if invitation.round.status != Round.Status.OPEN:
        raise RoundError(_("The round is not open; the questionnaire cannot be changed."))
    action = "response_submitted" if submit else "response_draft_saved"
    response = Response(
        round=invitation.round, municipality=invitation.municipality, domain=invitation.domain
    )
    with audit.operation(None, action, subject=response, summary=invitation.recipient_email):
        response, _created = Response.objects.select_for_update().get_or_create(
            round=invitation.round, municipality=invitation.municipality, domain=invitation.domain
        )
        audit.about(response)
        if response.submitted_at is not None:
            raise RoundError(_("This questionnaire has already been submitted."))
        kept = {tid: fields for tid, fields in answers.items() if fields.get("stage")}
        response.answers.exclude(technology_id__in=kept).delete()
        Answer.objects.bulk_create(
            [
                Answer(response=response, technology_id=tid, **fields)
                for tid, fields in kept.items()
            ],
            update_conflicts=True,
            unique_fields=["response", "technology"],
            update_fields=["stage", *v.VALUE_FIELDS, "comment"],
        )
        if submit:
            response.submitted_at = timezone.now()
            response.save(update_fields=["submitted_at"])
    return response


def reopen_response(response: Response, user: User | None) -> None:
    """Let the respondent change a submitted questionnaire again (not in a published round)."""
    refuse_if_published(response.round)
    with audit.operation(user, "response_reopened", subject=response):
        response.submitted_at = None
        response.save(update_fields=["submitted_at"])


def save_ratings(year: int, ratings: dict[int, tuple[int, str]], user: User | None) -> int:
    """Store the analysts' maturity ratings (technology id -> (rating 1-9, rationale))."""
    with audit.operation(user, "maturity_rated"):
        for tid, (rating, rationale) in ratings.items():
            MaturityRating.objects.update_or_create(
                technology_id=tid, year=year, defaults={"rating": rating, "rationale": rationale}
            )
    return len(ratings)


# Importing


def catalogue() -> importing.Catalogue:
    """Every name an import file may use, as lookups for the pure parser."""
    domains: dict[str, int] = {}
    for pk, slug, name_da, name_en in Domain.objects.values_list(
        "pk", "slug", "name_da", "name_en"
    ):
        for key in (slug, name_da, name_en):
            domains[normalise(key)] = pk
    technologies: dict[str, int] = {}
    for pk, slug, name_da, name_en in Technology.objects.values_list(
        "pk", "slug", "name_da", "name_en"
    ):
        for key in (name_en, name_da, slug):
            technologies[normalise(key)] = pk
    relevant = frozenset(
        Technology.domains.through.objects.values_list("domain_id", "technology_id")
    )
    return importing.Catalogue(Municipality.objects.lookup_table(), domains, technologies, relevant)


PROBLEM_MESSAGES = {
    importing.UNKNOWN_MUNICIPALITY: gettext_noop("Unknown municipality “%(value)s”."),
    importing.UNKNOWN_DOMAIN: gettext_noop("Unknown domain “%(value)s”."),
    importing.UNKNOWN_TECHNOLOGY: gettext_noop("Unknown technology “%(value)s”."),
    importing.NOT_IN_DOMAIN: gettext_noop(
        "“%(value)s” is not part of this domain's questionnaire."
    ),
    importing.BAD_RATING: gettext_noop("“%(value)s” is not a whole number from 1 to 9."),
    rules.MISSING: gettext_noop("A value is required."),
    rules.UNKNOWN_STAGE: gettext_noop("Unknown adoption stage “%(value)s”."),
    rules.UNKNOWN_VALUE: gettext_noop(
        "Unknown value “%(value)s” (use Ingen, Nogen, Stor or Ved ikke)."
    ),
    rules.VALUE_FOR_NOT_RELEVANT: gettext_noop(
        "Leave the value empty when the technology is not relevant."
    ),
}


def problem_message(problem: Problem) -> str:
    """The translated reason for one import problem."""
    return import_problems.reason(problem, PROBLEM_MESSAGES)


def problem_line(problem: Problem) -> str:
    """One import problem as a command prints it."""
    return import_problems.describe(problem, PROBLEM_MESSAGES)


@dataclass
class ImportOutcome:
    """What an import did: rows read and saved, or the problems that stopped it."""

    rows_read: int = 0
    answers_saved: int = 0
    responses_touched: int = 0
    ratings_saved: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_file(
    stream: IO[bytes], progress: importing.Progress = importing.no_progress
) -> importing.Parsed:
    """Read and check a CSV or XLSX file of answers and/or maturity ratings (writes
    nothing, so it runs before the import's transaction opens)."""
    return importing.parse(stream, catalogue(), progress)


def save_parsed(
    round_: Round,
    parsed: importing.Parsed,
    user: User | None,
    *,
    correction: bool = False,
    started: float | None = None,
) -> ImportOutcome:
    """Save what `read_file` read, in one transaction; nothing when it found a problem."""
    if not correction:
        refuse_if_published(round_)
    started = time.perf_counter() if started is None else started
    outcome = ImportOutcome(rows_read=parsed.rows_read, problems=parsed.problems)
    if parsed.problems:
        outcome.seconds = time.perf_counter() - started
        return outcome
    with audit.operation(user, "answers_imported", subject=round_) as op:
        outcome.answers_saved, outcome.responses_touched = _save_answers(round_, parsed.answers)
        if parsed.ratings:
            save_ratings(
                round_.year,
                {r.technology_id: (r.rating, r.rationale) for r in parsed.ratings},
                user,
            )
            outcome.ratings_saved = len(parsed.ratings)
        op.note(f"{outcome.answers_saved} answers, {outcome.ratings_saved} ratings")
    outcome.seconds = time.perf_counter() - started
    return outcome


def import_file(
    round_: Round,
    stream: IO[bytes],
    user: User | None,
    progress: importing.Progress = importing.no_progress,
    *,
    correction: bool = False,
) -> ImportOutcome:
    """Import a CSV or XLSX file of answers and/or maturity ratings into a round.

    All or nothing: any problem in any row saves nothing. Imported answers replace
    existing answers for the same municipality, domain and technology; their responses
    count as submitted. A published round is refused (RoundError) unless the import is
    part of a correction (`radar.services.correct_round`)."""
    if not correction:
        refuse_if_published(round_)
    started = time.perf_counter()
    parsed = read_file(stream, progress)
    return save_parsed(round_, parsed, user, correction=correction, started=started)


ANSWER_FIELDS = (
    "response_id",
    "technology_id",
    "stage",
    "value_efficiency",
    "value_quality",
    "value_wellbeing",
    "comment",
)


def _copy_answers(
    rows: list[importing.AnswerRow], responses: dict[tuple[int, int], int], *, replacing: bool
) -> None:
    """PostgreSQL: the rows go by COPY, in the caller's transaction: a fraction of the time of
    INSERTs in batches for a million rows. When none of the responses has an answer yet
    (`replacing` False: a first import into a round), straight into the answers' table;
    otherwise into a temporary table, then one INSERT … ON CONFLICT writes them (an imported
    answer replaces the one there was), which costs PostgreSQL about twice a COPY. The
    statements hold only the model's own table and column names, never a value from the
    file."""
    columns = ", ".join(ANSWER_FIELDS)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in ANSWER_FIELDS[2:])
    table = Answer._meta.db_table
    target = "imported_answer" if replacing else table
    with transaction.atomic(), connection.cursor() as cursor:
        if replacing:
            cursor.execute(
                "CREATE TEMPORARY TABLE imported_answer ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
        with cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    (
                        responses[(row.municipality_id, row.domain_id)],
                        row.technology_id,
                        row.stage,
                        row.efficiency,
                        row.quality,
                        row.wellbeing,
                        row.comment,
                    )
                )
        if replacing:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM imported_answer "  # noqa: S608
                f"ON CONFLICT (response_id, technology_id) DO UPDATE SET {updates}"
            )
            cursor.execute("DROP TABLE imported_answer")


def _save_answers(round_: Round, rows: Iterable[importing.AnswerRow]) -> tuple[int, int]:
    rows = list(rows)
    if not rows:
        return 0, 0
    now = timezone.now()
    wanted = {(row.municipality_id, row.domain_id) for row in rows}
    current = {
        (m, d): pk
        for m, d, pk in Response.objects.filter(round=round_).values_list(
            "municipality_id", "domain_id", "pk"
        )
    }
    touched = sorted(current[key] for key in wanted if key in current)
    # The responses the file answers stay locked until the import commits: a questionnaire
    # saved meanwhile (`save_questionnaire` locks its response first) waits, and cannot add
    # an answer the import did not see.
    if touched:
        locked = Response.objects.select_for_update().filter(pk__in=touched).order_by("pk")
        list(locked.values_list("pk", flat=True))
    replacing = bool(touched) and Answer.objects.filter(response_id__in=touched).exists()
    Response.objects.bulk_create(
        [
            Response(round=round_, municipality_id=m, domain_id=d, submitted_at=now)
            for m, d in wanted
            if (m, d) not in current
        ],
        batch_size=1000,
    )
    Response.objects.filter(pk__in=touched, submitted_at__isnull=True).update(submitted_at=now)
    current = {
        (m, d): pk
        for m, d, pk in Response.objects.filter(round=round_).values_list(
            "municipality_id", "domain_id", "pk"
        )
    }
    if connection.vendor == "postgresql":
        _copy_answers(rows, current, replacing=replacing)
    else:
        Answer.objects.bulk_create(
            (
                Answer(
                    response_id=current[(row.municipality_id, row.domain_id)],
                    technology_id=row.technology_id,
                    stage=row.stage,
                    value_efficiency=row.efficiency,
                    value_quality=row.quality,
                    value_wellbeing=row.wellbeing,
                    comment=row.comment,
                )
                for row in rows
            ),
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["response", "technology"],
            update_fields=[*ANSWER_FIELDS[2:]],
        )
    return len(rows), len(wanted)


# Monitoring


@dataclass(frozen=True)
class PairRow:
    """One municipality and domain in the monitoring table."""

    municipality: Municipality
    domain: Domain
    state: str  # "submitted", "draft" or "none"
    submitted_at: Any
    invitation: Invitation | None
    response_id: int | None


@dataclass
class Monitoring:
    round: Round
    previous: Round | None
    pairs: list[PairRow]
    by_domain: list[rules.Rate]
    by_region: list[rules.Rate]
    changes: list[rules.Change]

    @property
    def not_submitted(self) -> list[PairRow]:
        return [pair for pair in self.pairs if pair.state != "submitted"]

    @property
    def total(self) -> rules.Rate:
        return rules.response_rates(("all", pair.state) for pair in self.pairs)[0]


def _in_use_counts(round_: Round | None) -> dict[str, int]:
    if round_ is None:
        return {}
    rows = (
        Answer.objects.filter(
            response__round=round_,
            response__submitted_at__isnull=False,
            stage__in=v.USING_STAGES,
        )
        .values("response__municipality__name")
        .annotate(count=Count("technology", distinct=True))
    )
    return {row["response__municipality__name"]: row["count"] for row in rows}


def _submitted_counts(round_: Round | None) -> dict[str, int]:
    if round_ is None:
        return {}
    rows = (
        Response.objects.filter(round=round_, submitted_at__isnull=False)
        .values("municipality__name")
        .annotate(count=Count("pk"))
    )
    return {row["municipality__name"]: row["count"] for row in rows}


def monitoring(round_: Round) -> Monitoring:
    """Everything the monitoring page shows, in a fixed number of queries."""
    municipalities = list(Municipality.objects.select_related("region").order_by("code"))
    domains = list(Domain.objects.filter(technologies__isnull=False).distinct().order_by("order"))
    invitations = {
        (i.municipality_id, i.domain_id): i for i in Invitation.objects.filter(round=round_)
    }
    responses = {(r.municipality_id, r.domain_id): r for r in Response.objects.filter(round=round_)}
    pairs = []
    for municipality in municipalities:
        for domain in domains:
            response = responses.get((municipality.pk, domain.pk))
            if response is None:
                state = "none"
            else:
                state = "submitted" if response.submitted_at else "draft"
            pairs.append(
                PairRow(
                    municipality,
                    domain,
                    state,
                    response.submitted_at if response else None,
                    invitations.get((municipality.pk, domain.pk)),
                    response.pk if response else None,
                )
            )
    previous = Round.objects.filter(year__lt=round_.year).order_by("-year").first()
    names = [m.name for m in municipalities]
    return Monitoring(
        round_,
        previous,
        pairs,
        rules.response_rates((pair.domain.name, pair.state) for pair in pairs),
        rules.response_rates(
            (pair.municipality.region_name, pair.state)
            for pair in sorted(pairs, key=lambda p: p.municipality.region_code)
        ),
        rules.changes(
            names,
            _submitted_counts(round_),
            _submitted_counts(previous),
            _in_use_counts(round_),
            _in_use_counts(previous),
        ),
    )
