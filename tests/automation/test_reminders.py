"""Reminders: legal basis not checked for 6 months, not updated for a year, a measurement
due after 3 months; e-mailed to the owner and contacts, each once per period."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.accounts.models import User
from kommuneradar.automation import reminding
from kommuneradar.automation.models import (
    Measurement,
    Process,
    ProcessContact,
    ReminderSent,
)
from kommuneradar.places.models import Municipality

from .io_helpers import make_process

CREATED = dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC)


# The periods (pure) ---------------------------------------------------------------------


def test_a_reminder_is_due_once_the_months_have_passed_and_names_its_period() -> None:
    anchor = dt.date(2025, 3, 1)
    assert reminding.due_period(anchor, dt.date(2025, 8, 31), 6) is None
    assert reminding.due_period(anchor, dt.date(2025, 9, 1), 6) == "2025-03-01+6m"
    assert reminding.due_period(anchor, dt.date(2026, 2, 28), 6) == "2025-03-01+6m"
    assert reminding.due_period(anchor, dt.date(2026, 3, 1), 6) == "2025-03-01+12m"


def test_a_month_later_is_the_last_day_of_a_shorter_month() -> None:
    assert reminding.add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert reminding.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert reminding.add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)


days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1))


@given(
    anchor=days, later=st.integers(min_value=0, max_value=4000), months=st.sampled_from([3, 6, 12])
)
def test_the_period_never_goes_back_and_changes_only_every_so_many_months(
    anchor: dt.date, later: int, months: int
) -> None:
    today = anchor + dt.timedelta(days=later)
    period = reminding.due_period(anchor, today, months)
    passed = reminding.months_passed(anchor, today)
    assert reminding.add_months(anchor, passed) <= today
    assert reminding.add_months(anchor, passed + 1) > today
    if period is None:
        assert passed < months
    else:
        cycles = int(period.split("+")[1].rstrip("m")) // months
        assert cycles >= 1 and cycles * months <= passed < (cycles + 1) * months
        tomorrow = reminding.due_period(anchor, today + dt.timedelta(days=1), months)
        assert tomorrow is not None
        assert int(tomorrow.split("+")[1].rstrip("m")) >= cycles * months


# The command ----------------------------------------------------------------------------


def _set_times(process: Process, moment: dt.datetime) -> None:
    Process.objects.filter(pk=process.pk).update(created_at=moment, updated_at=moment)
    process.refresh_from_db()


@pytest.fixture
def processes(vejle: Municipality, vejle_editor: User, db: Any) -> dict[str, Process]:
    in_operation = make_process(
        vejle,
        "Straffeattester i drift",
        phase=Process.Phase.OPERATION,
        owner=vejle_editor,
        legal_basis="Børneattestloven",
        legal_basis_checked_on=dt.date(2025, 2, 1),
        technologies=["rpa"],
    )
    ProcessContact.objects.create(
        process=in_operation, name="Kim Kontakt", email="kim@vejle.example"
    )
    Measurement.objects.create(
        process=in_operation,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 3, 31),
        baseline_hours=Decimal(100),
        actual_hours=Decimal(20),
    )
    idea = make_process(vejle, "Gammel idé", owner=vejle_editor)
    rejected = make_process(vejle, "Afvist idé", status=Process.Status.REJECTED, owner=vejle_editor)
    nobody = make_process(vejle, "Idé uden ejer")
    for process in (in_operation, idea, rejected, nobody):
        _set_times(process, CREATED)
    return {"operation": in_operation, "idea": idea, "rejected": rejected, "nobody": nobody}


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_automation_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_nothing_is_due_before_its_time(processes: dict[str, Process]) -> None:
    _run("--today", "2025-06-29")
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


@pytest.mark.django_db
def test_each_reminder_is_sent_once_per_period_to_the_owner_and_contacts(
    processes: dict[str, Process],
) -> None:
    # 1 Aug 2025: the legal basis (checked 1 Feb) is 6 months old; the latest measured
    # period ended 31 Mar, 4 months ago. Not a year since any update yet.
    output = _run("--today", "2025-08-01")
    kinds = sorted(ReminderSent.objects.values_list("process__title", "kind", "period"))
    assert kinds == [
        ("Straffeattester i drift", "legal_basis", "2025-02-01+6m"),
        ("Straffeattester i drift", "measurement", "2025-03-31+3m"),
    ]
    assert len(mail.outbox) == 2
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        "Kontrollér lovgrundlaget for “Straffeattester i drift”",
        "Tid til at måle de realiserede timer for “Straffeattester i drift”",
    ]
    assert set(mail.outbox[0].to) == {"victor@vejle.example", "kim@vejle.example"}
    assert f"/automatisering/{processes['operation'].pk}/" in mail.outbox[0].body
    assert "2 reminder(s) sent on 2025-08-01" in output
    # the same day, and the next month: the same periods, nothing new
    _run("--today", "2025-08-01")
    _run("--today", "2025-09-15")
    assert len(mail.outbox) == 2
    # three more months: the measurement is due for its next period
    _run("--today", "2025-10-01")
    assert ReminderSent.objects.filter(kind="measurement", period="2025-03-31+6m").exists()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_processes_not_updated_for_a_year_are_reminded_unless_closed(
    processes: dict[str, Process],
) -> None:
    output = _run("--today", "2026-01-15")
    stale = set(
        ReminderSent.objects.filter(kind="not_updated").values_list("process__title", flat=True)
    )
    assert stale == {"Straffeattester i drift", "Gammel idé"}
    assert "no recipient: " in output and "Idé uden ejer" in output
    body = next(m.body for m in mail.outbox if "Gammel idé" in m.subject)
    assert "ikke ændret siden 15. januar 2025" in body


@pytest.mark.django_db
def test_checking_the_legal_basis_starts_a_new_period(processes: dict[str, Process]) -> None:
    _run("--today", "2025-08-01")
    process = processes["operation"]
    process.legal_basis_checked_on = dt.date(2025, 8, 10)
    process.save()
    _run("--today", "2026-01-31")
    assert not ReminderSent.objects.filter(
        kind="legal_basis", period__startswith="2025-08-10"
    ).exists()
    _run("--today", "2026-02-10")
    assert ReminderSent.objects.filter(kind="legal_basis", period="2025-08-10+6m").exists()


@pytest.mark.django_db
def test_a_dry_run_lists_what_is_due_and_sends_and_records_nothing(
    processes: dict[str, Process],
) -> None:
    output = _run("--today", "2025-08-01", "--dry-run")
    assert "would send: " in output and "Dry run: 2 reminder(s) due" in output
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


@pytest.mark.django_db
def test_a_bad_date_is_refused() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_automation_reminders", "--today", "1. august")


@pytest.mark.django_db
def test_without_today_the_command_counts_from_today(processes: dict[str, Process]) -> None:
    assert "reminder(s) sent on " + str(timezone.localdate()) in _run()
