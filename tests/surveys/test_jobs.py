"""Long jobs run in the background (surveys.jobs, django-tasks): an import, a computation, a
publication or a correction started on its page becomes a job whose own page shows its
progress and result, to its starter and (for a round's job) to analysts only.

The suite runs tasks with the immediate backend (the job is done when its page first
shows); the tests at the end queue them in the database and run `db_worker --batch`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from kommuneradar.accounts import access
from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.radar.models import Edition
from kommuneradar.radar.services import publish_round
from kommuneradar.surveys import importing, jobs, services
from kommuneradar.surveys.models import Answer, Job, Round

from .test_import import HEADER, grid_rows

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
STAGES = ["in_operation", "scaled", "in_operation", "piloting", "considering"] * 2


def _sign_in(client: Client, username: str) -> None:
    answer = client.post("/log-ind/", {"username": username, "password": "pw"})
    assert answer.status_code == 302, "the login page refused the test user"


def _answers(rows: int) -> SimpleUploadedFile:
    text = HEADER + "\n" + "\n".join(grid_rows(rows)) + "\n"
    return SimpleUploadedFile("svar.csv", text.encode())


def _bad_answers() -> SimpleUploadedFile:
    text = HEADER + "\n630;Sundhed og ældre;Skærmbesøg;Hmm;;;;\n"
    return SimpleUploadedFile("svar.csv", text.encode())


def _break_saving(monkeypatch: Any, error: str) -> None:
    """Saving answers fails with an unexpected error (`error`)."""

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError(error)

    monkeypatch.setattr(services, "_save_answers", broken)


def _start_import(client: Client, upload: SimpleUploadedFile) -> Job:
    answer = client.post("/runder/2025/import/", {"file": upload})
    assert answer.status_code == 302
    job = Job.objects.get()
    assert answer["Location"] == f"/opgaver/{job.pk}/"
    return job


def test_an_import_becomes_a_job_whose_page_shows_its_result(
    client: Client, draft_round: Round, analyst: User
) -> None:
    _sign_in(client, "anna")
    job = _start_import(client, _answers(300))
    job.refresh_from_db()
    assert (job.status, job.kind, job.started_by) == (
        Job.Status.SUCCEEDED,
        "import_answers",
        analyst,
    )
    assert (job.rows_done, job.rows_total, job.share_done) == (300, 300, 1.0)
    assert job.upload is None  # the file is not kept once imported
    assert Answer.objects.count() == 300
    assert AuditEntry.objects.get(action="answers_imported").user == analyst
    page = client.get(f"/opgaver/{job.pk}/").content.decode()
    assert "Import af besvarelser, runde 2025" in page
    assert "Behandlede 300 rækker" in page and "Færdig" in page
    assert "job.js" not in page  # a finished job's page polls nothing
    status = client.get(f"/opgaver/{job.pk}/status.json").json()
    assert status["finished"] is True and status["status"] == "succeeded"
    assert status["rows_done"] == 300
    # the import page lists the round's recent import jobs, so a job's page is found again
    assert f'href="/opgaver/{job.pk}/"' in client.get("/runder/2025/import/").content.decode()


def test_a_refused_file_lists_every_problem_on_the_job_page_and_changes_nothing(
    client: Client, draft_round: Round, analyst: User
) -> None:
    _sign_in(client, "anna")
    job = _start_import(client, _bad_answers())
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.problems[0]["line"] == 2 and job.problems[0]["column"] == "stadie"
    assert job.problems[0]["message"] == "Ukendt stadie “Hmm”."
    assert not Answer.objects.exists()
    page = client.get(f"/opgaver/{job.pk}/").content.decode()
    assert "Intet blev ændret" in page and "Ukendt stadie “Hmm”." in page


def test_a_file_beyond_the_size_limit_is_refused_before_it_is_stored(
    client: Client, draft_round: Round, analyst: User, monkeypatch: Any
) -> None:
    monkeypatch.setattr(importing, "LIMITS", dataclasses.replace(importing.LIMITS, file_bytes=100))
    _sign_in(client, "anna")
    answer = client.post("/runder/2025/import/", {"file": _answers(20)})
    assert answer.status_code == 400
    assert "Filen er større end 0 MB." in answer.content.decode()
    assert not Job.objects.exists()


def test_an_unexpected_error_fails_the_job_with_a_general_message_and_changes_nothing(
    client: Client, draft_round: Round, analyst: User, monkeypatch: Any
) -> None:
    _break_saving(monkeypatch, "disk full")
    _sign_in(client, "anna")
    job = _start_import(client, _answers(5))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Jobbet stoppede på grund af en uventet fejl; intet blev ændret."
    assert "disk full" not in client.get(f"/opgaver/{job.pk}/").content.decode()
    assert not Answer.objects.exists()


def test_computing_and_publishing_run_as_jobs_that_list_the_radars(
    client: Client, make_round: Any, analyst: User
) -> None:
    round_ = make_round(2024, {"skaermbesoeg": STAGES})
    _sign_in(client, "anna")
    answer = client.post("/runder/2024/udgivelse/", {"action": "compute"})
    compute = Job.objects.get(kind=Job.Kind.COMPUTE_DRAFTS)
    assert answer["Location"] == f"/opgaver/{compute.pk}/"
    assert compute.status == Job.Status.SUCCEEDED
    assert {e["outcome"] for e in compute.result["editions"]} == {"created"}
    page = client.get(f"/opgaver/{compute.pk}/").content.decode()
    assert "Beregnede radarer" in page and "Alle fagområder" in page
    assert Edition.objects.filter(status=Edition.Status.DRAFT).exists()
    assert (
        f'href="/opgaver/{compute.pk}/"' in client.get("/runder/2024/udgivelse/").content.decode()
    )

    client.post("/runder/2024/udgivelse/", {"action": "publish"})
    publish = Job.objects.get(kind=Job.Kind.PUBLISH_ROUND)
    assert publish.status == Job.Status.SUCCEEDED
    round_.refresh_from_db()
    assert round_.status == Round.Status.PUBLISHED
    assert not Edition.objects.filter(status=Edition.Status.DRAFT).exists()


def test_publishing_an_open_round_is_refused_at_once(
    client: Client, draft_round: Round, analyst: User
) -> None:
    _sign_in(client, "anna")
    answer = client.post("/runder/2025/udgivelse/", {"action": "publish"}, follow=True)
    assert "Luk runden, før den udgives." in answer.content.decode()
    assert not Job.objects.exists()


def test_only_who_may_start_a_job_sees_it_and_may_retry_or_cancel_it(
    draft_round: Round, analyst: User, vejle_editor: User, aarhus_editor: User
) -> None:
    colleague = User.objects.create_user("bo", "bo@kl.example", "pw", role=User.Role.ANALYST)
    round_job = Job.objects.create(
        kind=Job.Kind.IMPORT_ANSWERS, round=draft_round, started_by=analyst
    )
    own_job = Job.objects.create(kind=Job.Kind.IMPORT_ANSWERS, started_by=analyst)
    for user, sees in [
        (analyst, {round_job, own_job}),
        (colleague, {round_job}),  # a round's jobs are every analyst's
        (vejle_editor, set()),
        (aarhus_editor, set()),
        (None, set()),
    ]:
        assert set(access.restrict(Job.objects, user, access.VIEW)) == sees
        for job in (round_job, own_job):
            assert access.may(user, access.VIEW, job) == (job in sees)
            # who sees a job may also retry or cancel it (while they may start one)
            assert access.may(user, access.CHANGE, job) == (job in sees)


def test_an_editor_gets_404_and_a_visitor_the_login_page_for_a_job(
    client: Client, draft_round: Round, analyst: User, vejle_editor: User
) -> None:
    job = Job.objects.create(kind=Job.Kind.IMPORT_ANSWERS, round=draft_round, started_by=analyst)
    for path in (f"/opgaver/{job.pk}/", f"/opgaver/{job.pk}/status.json"):
        assert client.get(path)["Location"].startswith("/log-ind/")
    _sign_in(client, "victor")
    for path in (f"/opgaver/{job.pk}/", f"/opgaver/{job.pk}/status.json"):
        assert client.get(path).status_code == 404
    assert client.post(f"/opgaver/{job.pk}/").status_code == 405


# The database backend and its worker -------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_queued_import_waits_for_the_worker_which_runs_it_and_records_its_progress(
    client: Client, draft_round: Round, analyst: User, monkeypatch: Any
) -> None:
    _sign_in(client, "anna")
    job = _start_import(client, _answers(50))
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_id
    assert not Answer.objects.exists()
    page = client.get(f"/opgaver/{job.pk}/").content.decode()
    assert "Venter på, at en baggrundsproces starter jobbet." in page
    assert "surveys/job.js" in page  # the page follows the job while it runs
    assert client.get(f"/opgaver/{job.pk}/status.json").json()["finished"] is False

    seen: list[tuple[str, int]] = []  # (status, rows done) as another reader sees the row
    report = jobs.Progress.__call__

    def watched(self: jobs.Progress, share: float, rows: int) -> None:
        report(self, share, rows)
        row = Job.objects.get(pk=self.job.pk)
        seen.append((row.status, row.rows_done))

    monkeypatch.setattr(jobs.Progress, "__call__", watched)
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 10)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert seen[0] == ("running", 10) and seen[-1] == ("running", 50)
    job.refresh_from_db()
    assert (job.status, job.stage, job.rows_done, job.rows_total) == ("succeeded", "done", 50, 50)
    assert job.upload is None
    assert Answer.objects.count() == 50
    assert "Behandlede 50 rækker" in client.get(f"/opgaver/{job.pk}/").content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_round_published_while_its_import_waited_refuses_the_import(
    client: Client, make_round: Any, analyst: User
) -> None:
    round_ = make_round(2025, {"skaermbesoeg": STAGES})
    _sign_in(client, "anna")
    upload = io.BytesIO((HEADER + "\n" + grid_rows(1)[0] + "\n").encode())
    upload.name = "svar.csv"
    answer = client.post("/runder/2025/import/", {"file": upload})
    assert answer.status_code == 302
    publish_round(round_, analyst)
    before = Answer.objects.count()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "offentliggjort" in job.error
    assert Answer.objects.count() == before


# Stalled jobs, retrying and cancelling ---------------------------------------------------


def _silent_import(round_: Round, user: User, minutes: int, rows: int = 5) -> Job:
    """An import whose worker was killed `minutes` ago: still running, its file kept."""
    text = HEADER + "\n" + "\n".join(grid_rows(rows)) + "\n"
    long_ago = timezone.now() - dt.timedelta(minutes=minutes)
    job = Job.objects.create(
        kind=Job.Kind.IMPORT_ANSWERS,
        round=round_,
        started_by=user,
        status=Job.Status.RUNNING,
        stage=jobs.SAVING,
        file_name="svar.csv",
        upload=text.encode(),
        return_url="/runder/2025/import/",
    )
    Job.objects.filter(pk=job.pk).update(
        created_at=long_ago, started_at=long_ago, progress_at=long_ago
    )
    return Job.objects.get(pk=job.pk)


@override_settings(JOB_STALLED_AFTER_MINUTES=20)
def test_a_job_silent_longer_than_the_setting_is_shown_as_stalled(
    client: Client, draft_round: Round, analyst: User
) -> None:
    quiet = _silent_import(draft_round, analyst, minutes=10)
    stalled = _silent_import(draft_round, analyst, minutes=30)
    _sign_in(client, "anna")
    assert "Jobbet er gået i stå" not in client.get(f"/opgaver/{quiet.pk}/").content.decode()
    assert client.get(f"/opgaver/{quiet.pk}/status.json").json()["stalled"] is False
    page = client.get(f"/opgaver/{stalled.pk}/").content.decode()
    assert "Jobbet er gået i stå." in page
    assert "ikke meldt om fremskridt i mere end 20 minutter" in page
    assert "Start jobbet igen" in page
    assert client.get(f"/opgaver/{stalled.pk}/status.json").json()["stalled"] is True


def test_a_stalled_import_is_started_again_with_its_file_and_linked_to_the_old_one(
    client: Client, draft_round: Round, analyst: User
) -> None:
    old = _silent_import(draft_round, analyst, minutes=120, rows=7)
    _sign_in(client, "anna")
    answer = client.post(f"/opgaver/{old.pk}/igen/")
    new = Job.objects.get(retry_of=old)
    assert answer["Location"] == f"/opgaver/{new.pk}/"
    assert (new.status, new.file_name, new.started_by) == ("succeeded", "svar.csv", analyst)
    assert Answer.objects.count() == 7
    old.refresh_from_db()
    assert old.status == Job.Status.FAILED and old.upload is None
    assert "blev startet igen som et nyt job" in old.error
    entry = AuditEntry.objects.get(action="job_retried")
    assert (entry.user, entry.object_type, entry.object_id) == (analyst, "surveys.Job", str(old.pk))
    assert str(new.pk) in entry.summary
    page = client.get(f"/opgaver/{new.pk}/").content.decode()
    assert f'href="/opgaver/{old.pk}/"' in page


def test_another_analyst_may_start_a_failed_computation_again(
    client: Client, make_round: Any, analyst: User
) -> None:
    round_ = make_round(2024, {"skaermbesoeg": STAGES})
    failed = Job.objects.create(
        kind=Job.Kind.COMPUTE_DRAFTS, round=round_, started_by=analyst, status="failed"
    )
    User.objects.create_user("bo", "bo@kl.example", "pw", role=User.Role.ANALYST)
    _sign_in(client, "bo")
    client.post(f"/opgaver/{failed.pk}/igen/")
    new = Job.objects.get(retry_of=failed)
    assert new.status == Job.Status.SUCCEEDED and new.result["editions"]
    assert Edition.objects.filter(round=round_).exists()


def test_a_failed_import_keeps_no_file_so_it_asks_for_the_file_again(
    client: Client, draft_round: Round, analyst: User
) -> None:
    _sign_in(client, "anna")
    job = _start_import(client, _bad_answers())
    page = client.get(f"/opgaver/{job.pk}/").content.decode()
    assert "Filen til dette job gemmes ikke" in page and "Start jobbet igen" not in page
    answer = client.post(f"/opgaver/{job.pk}/igen/", follow=True)
    assert "upload filen igen" in answer.content.decode()
    assert Job.objects.count() == 1
    assert not AuditEntry.objects.filter(action="job_retried").exists()


def test_an_import_that_stopped_on_an_unexpected_error_is_started_again_with_its_file(
    client: Client, draft_round: Round, analyst: User, monkeypatch: Any
) -> None:
    saving = services._save_answers
    _break_saving(monkeypatch, "the database went away")
    _sign_in(client, "anna")
    failed = _start_import(client, _answers(6))
    failed.refresh_from_db()
    assert failed.status == Job.Status.FAILED and failed.upload is not None
    assert "Start jobbet igen" in client.get(f"/opgaver/{failed.pk}/").content.decode()

    monkeypatch.setattr(services, "_save_answers", saving)  # the cause has gone away
    answer = client.post(f"/opgaver/{failed.pk}/igen/")
    new = Job.objects.get(retry_of=failed)
    assert answer["Location"] == f"/opgaver/{new.pk}/"
    assert (new.status, new.file_name) == (Job.Status.SUCCEEDED, "svar.csv")
    assert Answer.objects.count() == 6
    failed.refresh_from_db()
    assert failed.upload is None  # handed over, and not imported twice
    answer = client.post(f"/opgaver/{failed.pk}/igen/", follow=True)
    assert "upload filen igen" in answer.content.decode()
    assert Answer.objects.count() == 6


def test_a_file_kept_after_an_error_is_deleted_a_week_later(
    client: Client, draft_round: Round, analyst: User
) -> None:
    def failed(days_ago: int) -> Job:
        return Job.objects.create(
            kind=Job.Kind.IMPORT_ANSWERS,
            round=draft_round,
            started_by=analyst,
            status=Job.Status.FAILED,
            upload=b"svar",
            file_name="svar.csv",
            finished_at=timezone.now() - dt.timedelta(days=days_ago),
        )

    kept, old = failed(6), failed(8)
    _sign_in(client, "anna")
    _ = client.post("/runder/2025/import/", {"file": _answers(2)})  # any job that runs
    kept.refresh_from_db()
    old.refresh_from_db()
    assert kept.upload is not None and old.upload is None
    page = client.get(f"/opgaver/{old.pk}/").content.decode()
    assert "gemmes i 7 dage" in page and "Start jobbet igen" not in page


def test_a_queued_job_is_cancelled_and_a_worker_then_leaves_it_alone(
    client: Client, draft_round: Round, analyst: User
) -> None:
    job = Job.objects.create(
        kind=Job.Kind.IMPORT_ANSWERS,
        round=draft_round,
        started_by=analyst,
        file_name="svar.csv",
        upload=b"x",
    )
    _sign_in(client, "anna")
    assert "Annullér jobbet" in client.get(f"/opgaver/{job.pk}/").content.decode()
    page = client.post(f"/opgaver/{job.pk}/annuller/", follow=True).content.decode()
    assert "Jobbet blev annulleret; intet blev ændret." in page
    job.refresh_from_db()
    assert (job.status, job.upload) == (Job.Status.CANCELLED, None)
    assert AuditEntry.objects.get(action="job_cancelled").user == analyst

    def never(job: Job, progress: jobs.Progress) -> jobs.Outcome:
        raise AssertionError("a cancelled job ran")

    assert jobs.run(str(job.pk), never) == "cancelled"


def test_a_job_that_has_started_cannot_be_cancelled(
    client: Client, draft_round: Round, analyst: User
) -> None:
    job = _silent_import(draft_round, analyst, minutes=1)
    _sign_in(client, "anna")
    page = client.post(f"/opgaver/{job.pk}/annuller/", follow=True).content.decode()
    assert "Kun et job, der venter på at starte, kan annulleres" in page
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert not AuditEntry.objects.filter(action="job_cancelled").exists()


def test_only_who_may_start_a_job_may_retry_or_cancel_it(
    client: Client, draft_round: Round, analyst: User, vejle_editor: User
) -> None:
    stalled = _silent_import(draft_round, analyst, minutes=120)
    queued = Job.objects.create(kind=Job.Kind.COMPUTE_DRAFTS, round=draft_round, started_by=analyst)
    _sign_in(client, "victor")  # an editor: a round's jobs are not theirs to see
    assert client.post(f"/opgaver/{stalled.pk}/igen/").status_code == 404
    assert client.post(f"/opgaver/{queued.pk}/annuller/").status_code == 404
    # The starter, no longer an analyst, still sees the job but may not act on it.
    User.objects.filter(pk=analyst.pk).update(
        role=User.Role.EDITOR, municipality=vejle_editor.municipality
    )
    client.logout()
    _sign_in(client, "anna")
    page = client.get(f"/opgaver/{stalled.pk}/").content.decode()
    assert "Start jobbet igen" not in page
    assert client.post(f"/opgaver/{stalled.pk}/igen/").status_code == 403
    assert client.post(f"/opgaver/{queued.pk}/annuller/").status_code == 403
    assert client.get(f"/opgaver/{queued.pk}/annuller/").status_code == 405
    assert Job.objects.count() == 2
    assert not AuditEntry.objects.filter(action__in=["job_retried", "job_cancelled"]).exists()


def test_retrying_and_cancelling_need_the_csrf_token(draft_round: Round, analyst: User) -> None:
    queued = Job.objects.create(kind=Job.Kind.COMPUTE_DRAFTS, round=draft_round, started_by=analyst)
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    assert client.post(f"/opgaver/{queued.pk}/annuller/").status_code == 403
    queued.refresh_from_db()
    assert queued.status == Job.Status.QUEUED
