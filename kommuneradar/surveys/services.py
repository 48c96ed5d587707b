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
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kommuneradar.accounts import audit
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.core import paging, tokens
from kommuneradar.core import problems as import_problems
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

PAIRS_PER_PAGE = paging.PAGE_SIZE


@dataclass(frozen=True)
class PairRow:
    """One municipality and domain in the monitoring table."""

    municipality: Municipality
    domain: Domain
    state: str  # "submitted", "draft" or "none"
    submitted_at: Any
    invitation: Invitation | None
    response_id: int | None


# The monitoring table's status filter: which pairs each choice keeps.
STATE_FILTERS = {
    "submitted": "r.submitted_at IS NOT NULL",
    "not_submitted": "r.submitted_at IS NULL",
    "draft": "r.id IS NOT NULL AND r.submitted_at IS NULL",
    "none": "r.id IS NULL",
}


class PairQuery:
    """The round's municipality × domain pairs among `municipalities` (a queryset) and
    `domains`, ordered by municipality name and domain, in the state `state` (a key of
    `STATE_FILTERS`, or "" for every pair). Read by a slice, so that a page reads only its
    own rows: one query for the slice of pairs, one each for their municipalities,
    responses and invitations, however many pairs there are."""

    def __init__(
        self,
        round_: Round,
        domains: list[Domain],
        municipalities: Any,
        state: str = "",
    ) -> None:
        self.round = round_
        self.domains = {domain.pk: domain for domain in domains}
        self.municipalities = municipalities
        self.state = state

    def _pair_keys(
        self, start: int, stop: int | None
    ) -> list[tuple[int, int, int | None, int | None]]:
        if not self.domains:
            return []
        quote = connection.ops.quote_name
        municipalities = self.municipalities.order_by()
        if not self.state and stop is not None:
            # Every municipality has a pair in each domain: a page's municipalities are
            # found first (a sort of the municipalities, not of every pair).
            size = len(self.domains)
            first, last = start // size, (stop - 1) // size + 1
            ids = list(
                self.municipalities.order_by("name", "pk").values_list("pk", flat=True)[first:last]
            )
            if not ids:
                return []
            municipalities = Municipality.objects.filter(pk__in=ids)
            start, stop = start - first * size, stop - first * size
        chosen, chosen_params = municipalities.values("pk").query.sql_with_params()
        domain_marks = ", ".join(["%s"] * len(self.domains))
        state = STATE_FILTERS.get(self.state)
        limit = ""
        window: list[int] = []
        if stop is not None:
            limit, window = " LIMIT %s OFFSET %s", [stop - start, start]
        elif start:
            limit, window = (
                " LIMIT -1 OFFSET %s" if connection.vendor == "sqlite" else " OFFSET %s",
                [start],
            )
        sql = (
            # Names come from the models and STATE_FILTERS, every value is a parameter.
            f"SELECT m.id, d.id, r.id, i.id FROM {quote(Municipality._meta.db_table)} m "  # noqa: S608
            f"CROSS JOIN {quote(Domain._meta.db_table)} d "
            f"LEFT JOIN {quote(Response._meta.db_table)} r ON r.round_id = %s "
            "AND r.municipality_id = m.id AND r.domain_id = d.id "
            f"LEFT JOIN {quote(Invitation._meta.db_table)} i ON i.round_id = %s "
            "AND i.municipality_id = m.id AND i.domain_id = d.id "
            f"WHERE m.id IN ({chosen}) AND d.id IN ({domain_marks})"
            + (f" AND {state}" if state else "")
            + f" ORDER BY m.name, m.id, d.{quote('order')}, d.id"
            + limit
        )
        params = [self.round.pk, self.round.pk, *chosen_params, *self.domains, *window]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [tuple(row) for row in cursor.fetchall()]  # type: ignore[misc]

    def __getitem__(self, index: slice) -> list[PairRow]:
        keys = self._pair_keys(index.start or 0, index.stop)
        if not keys:
            return []
        municipalities = Municipality.objects.select_related("region").in_bulk(
            {key[0] for key in keys}
        )
        responses = Response.objects.only("pk", "submitted_at").in_bulk(
            {key[2] for key in keys if key[2] is not None}
        )
        invitations = Invitation.objects.in_bulk({key[3] for key in keys if key[3] is not None})
        pairs = []
        for municipality_id, domain_id, response_id, invitation_id in keys:
            response = responses.get(response_id) if response_id is not None else None
            if response is None:
                state = "none"
            else:
                state = "submitted" if response.submitted_at else "draft"
            pairs.append(
                PairRow(
                    municipalities[municipality_id],
                    self.domains[domain_id],
                    state,
                    response.submitted_at if response else None,
                    invitations.get(invitation_id) if invitation_id is not None else None,
                    response_id,
                )
            )
        return pairs


@dataclass
class Monitoring:
    """What the monitoring page shows: the response rates over every pair in scope (the
    chosen country, or all), one page of pairs, and the change from the previous round
    for the municipalities on that page."""

    round: Round
    previous: Round | None
    page: Any  # core.paging.Page of PairRow
    by_domain: list[rules.Rate]
    by_region: list[rules.Rate]
    changes: list[rules.Change]
    countries: list[str]
    country: str  # the country chosen, "" for every one

    @property
    def pairs(self) -> list[PairRow]:
        return list(self.page.rows)

    @property
    def total(self) -> rules.Rate:
        return rules.total_rate(self.by_domain)


def _in_use_counts(round_: Round | None, municipality_ids: Iterable[int]) -> dict[int, int]:
    if round_ is None:
        return {}
    rows = (
        Answer.objects.filter(
            response__round=round_,
            response__submitted_at__isnull=False,
            response__municipality_id__in=list(municipality_ids),
            stage__in=v.USING_STAGES,
        )
        .values("response__municipality_id")
        .annotate(count=Count("technology", distinct=True))
    )
    return {row["response__municipality_id"]: row["count"] for row in rows}


def _submitted_counts(round_: Round | None, municipality_ids: Iterable[int]) -> dict[int, int]:
    if round_ is None:
        return {}
    rows = (
        Response.objects.filter(
            round=round_, submitted_at__isnull=False, municipality_id__in=list(municipality_ids)
        )
        .values("municipality_id")
        .annotate(count=Count("pk"))
    )
    return {row["municipality_id"]: row["count"] for row in rows}


def monitored_domains() -> list[Domain]:
    """The domains a round asks about (those with technologies), in their order."""
    return list(Domain.objects.filter(technologies__isnull=False).distinct().order_by("order"))


def _rates(
    round_: Round, domains: list[Domain], places: Any, country: str
) -> tuple[list[rules.Rate], list[rules.Rate]]:
    """Response rates per domain and per region over every pair in `places` (every
    municipality, or those of `country`), counted in the database (two queries, however
    many municipalities)."""
    per_region = list(
        places.order_by()
        .values("region_id", "region__name")
        .annotate(count=Count("pk"))
        .order_by("region__country", "region__code")
    )
    responses = Response.objects.filter(round=round_, domain__in=domains)
    if country:
        responses = responses.filter(municipality__country=country)
    # One pass over the round's responses, per domain and region together (at most
    # domains × regions rows); the two tables are sums of it.
    rows = [
        (row["domain_id"], row["municipality__region_id"], row["submitted"], row["drafts"])
        for row in responses.values("domain_id", "municipality__region_id").annotate(
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
            drafts=Count("pk", filter=Q(submitted_at__isnull=True)),
        )
    ]
    domain_counts = rules.counts_by((domain, done, drafts) for domain, _r, done, drafts in rows)
    region_counts = rules.counts_by((region, done, drafts) for _d, region, done, drafts in rows)
    places_in_scope = sum(row["count"] for row in per_region)
    by_domain = rules.rates_from_counts(
        [(domain.pk, domain.name, places_in_scope) for domain in domains], domain_counts
    )
    by_region = rules.rates_from_counts(
        [
            (row["region_id"], row["region__name"] or _("No region"), row["count"] * len(domains))
            for row in per_region
        ],
        region_counts,
    )
    return by_domain, by_region


def monitoring(
    round_: Round,
    *,
    typed: str = "",
    country: str = "",
    state: str = "",
    side: str | None = None,
) -> Monitoring:
    """One page of the monitoring table (municipalities whose name, code or region
    contains `typed`, of `country` if it has any, pairs in `state`), the rates of every
    pair of the country (or of all), and the change for the page's municipalities: a
    fixed number of queries, however many municipalities there are."""
    domains = monitored_domains()
    countries = list(
        Municipality.objects.order_by("country").values_list("country", flat=True).distinct()
    )
    places = Municipality.objects.all()
    if country not in countries:
        country = ""
    if country:
        places = places.filter(country=country)
    by_domain, by_region = _rates(round_, domains, places, country)
    page = paging.page_of(
        PairQuery(round_, domains, places.search(typed), state), side, PAIRS_PER_PAGE
    )
    previous = Round.objects.filter(year__lt=round_.year).order_by("-year").first()
    shown = list({pair.municipality.pk: pair.municipality for pair in page.rows}.values())
    ids = [municipality.pk for municipality in shown]
    changes = rules.changes(
        [(m.pk, m.name) for m in shown],
        _submitted_counts(round_, ids),
        _submitted_counts(previous, ids),
        _in_use_counts(round_, ids),
        _in_use_counts(previous, ids),
    )
    return Monitoring(round_, previous, page, by_domain, by_region, changes, countries, country)


def monitoring_pairs(round_: Round) -> list[PairRow]:
    """Every pair of the round, for the export."""
    return PairQuery(round_, monitored_domains(), Municipality.objects.all())[0:None]
