"""Reminders about processes in the pipeline, e-mailed to the process owner and contact
persons by `manage.py send_automation_reminders` (scheduled by the operator, e.g. daily).

Three kinds, each counted from an anchor date (`reminding.due_period`):

- **legal basis**: a process in operation whose legal basis was last checked 6 months ago
  or more (never checked: counted from the day the process was created);
- **not updated**: a process not changed for a year, in any phase but decommissioned, and
  not rejected, failed or no longer relevant;
- **measurement**: a process in operation whose latest measured period ended 3 months ago
  or more (never measured: counted from the day the process was created), so that the
  realised hours keep flowing into the benefits follow-up.

Each reminder is sent once per period: a `ReminderSent` row (process, kind, period) is
written when the mail has been handed over, and a row already there means nothing is sent.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Max, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation

from kommuneradar.accounts import audit

from . import reminding
from .models import Phase, Process, ProcessContact, ReminderSent, Status

logger = logging.getLogger(__name__)

CLOSED_STATUSES = (Status.REJECTED, Status.FAILED, Status.NOT_RELEVANT)


@dataclass(frozen=True)
class Due:
    """One reminder to send."""

    process: Process
    kind: str
    period: str
    anchor: datetime.date
    recipients: tuple[str, ...]


@dataclass
class Outcome:
    sent: list[Due] = field(default_factory=list)
    failed: list[Due] = field(default_factory=list)
    without_recipient: list[Due] = field(default_factory=list)
    already_sent: int = 0


def recipients(process: Process) -> tuple[str, ...]:
    """The owner's and the contact persons' addresses, each once."""
    addresses = []
    if process.owner is not None and process.owner.is_active and process.owner.email:
        addresses.append(process.owner.email)
    addresses += [contact.email for contact in process.contacts.all() if contact.email]
    return tuple(dict.fromkeys(address.strip().lower() for address in addresses))


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def candidates() -> list[Process]:
    """The processes a reminder may concern, with what deciding needs (three queries)."""
    return list(
        Process.objects.exclude(phase=Phase.DECOMMISSIONED)
        .select_related("owner", "municipality")
        .prefetch_related(Prefetch("contacts", queryset=ProcessContact.objects.order_by("id")))
        .annotate(last_measured=Max("measurements__period_end"))
        .order_by("id")
    )


def due(processes: list[Process], today: datetime.date) -> Iterator[Due]:
    """Every reminder due on `today` for `processes`, sent or not."""
    for process in processes:
        created = _local_day(process.created_at)
        found: list[tuple[str, datetime.date, int]] = []
        if process.phase == Phase.OPERATION:
            found.append(
                (
                    ReminderSent.Kind.LEGAL_BASIS,
                    process.legal_basis_checked_on or created,
                    reminding.LEGAL_BASIS_MONTHS,
                )
            )
            last: datetime.date | None = getattr(process, "last_measured", None)
            found.append(
                (ReminderSent.Kind.MEASUREMENT, last or created, reminding.MEASUREMENT_MONTHS)
            )
        if process.status not in CLOSED_STATUSES:
            found.append(
                (
                    ReminderSent.Kind.NOT_UPDATED,
                    _local_day(process.updated_at),
                    reminding.NOT_UPDATED_MONTHS,
                )
            )
        for kind, anchor, months in found:
            period = reminding.due_period(anchor, today, months)
            if period is not None:
                yield Due(process, str(kind), period, anchor, recipients(process))


def _mail(reminder: Due, base_url: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "process": reminder.process,
            "kind": reminder.kind,
            "anchor": reminder.anchor,
            "link": base_url.rstrip("/") + reminder.process.get_absolute_url(),
        }
        subject = render_to_string("automation/email/reminder_subject.txt", context)
        body = render_to_string("automation/email/reminder_body.txt", context)
    send_mail(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, list(reminder.recipients)
    )


def send_reminders(today: datetime.date, base_url: str, *, dry_run: bool = False) -> Outcome:
    """Send every reminder due on `today` that has not been sent for its period. A dry run
    lists them and sends and records nothing."""
    outcome = Outcome()
    sent_before = set(ReminderSent.objects.values_list("process_id", "kind", "period"))
    for reminder in due(candidates(), today):
        if (reminder.process.pk, reminder.kind, reminder.period) in sent_before:
            outcome.already_sent += 1
            continue
        if not reminder.recipients:
            outcome.without_recipient.append(reminder)
            continue
        if dry_run:
            outcome.sent.append(reminder)
            continue
        try:
            _mail(reminder, base_url)
        except (OSError, smtplib.SMTPException):
            logger.warning("process %s: the mail server refused a reminder", reminder.process.pk)
            outcome.failed.append(reminder)
            continue
        summary = f"{reminder.process.title}: {reminder.kind} reminder for {reminder.period}"
        with audit.operation(None, "send_reminder", summary=summary):
            ReminderSent.objects.create(
                process=reminder.process,
                kind=reminder.kind,
                period=reminder.period,
                recipients=len(reminder.recipients),
            )
        outcome.sent.append(reminder)
    return outcome
