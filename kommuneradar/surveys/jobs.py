"""Long jobs off the request: a page stores what a job needs in a `Job` row and enqueues a
task (django-tasks, `settings.TASKS`); the task runs the job's service function and reports
its progress on the row, which the job's page shows as it changes.

With the database backend a `manage.py db_worker` process runs the task; with the
immediate backend (the tests, or TASKS_BACKEND=immediate) it runs inside the request that
starts it, so the job is finished when its page first shows. Progress is written outside
the import's transaction (the file is read before it opens), so another process sees it at
once; the writes themselves stay all or nothing, in one transaction, in the service."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kommuneradar.accounts import access, audit
from kommuneradar.accounts.models import User
from kommuneradar.core import problems as import_problems
from kommuneradar.core.tabular import MEGABYTE, TOO_LARGE, Limits, Problem

from .models import Job, Round
from .services import RoundError

logger = logging.getLogger(__name__)

# The stages a job reports (shown on its page by `stage_label`).
QUEUED = ""
READING = "reading"
SAVING = "saving"
COMPUTING = "computing"
DONE = "done"

# The task that runs each kind of job, registered by the module that defines it
# (surveys.tasks, radar.tasks), so that a job can be started again by its kind alone.
TASKS: dict[str, Any] = {}


class JobError(Exception):
    """A job cannot be retried or cancelled; the message says why (nothing changed)."""


def register(kind: str, task: Any) -> Any:
    """Name the task that runs jobs of `kind` (see `retry`)."""
    TASKS[kind] = task
    return task


def start(
    kind: str,
    task: Any,
    user: User,
    *,
    round_: Round | None = None,
    upload: bytes | None = None,
    file_name: str = "",
    note: str = "",
    return_url: str = "",
    retry_of: Job | None = None,
) -> Job:
    """Store a job and queue its task (`task.enqueue(job_id)`). The task is queued in the
    same database as the job (the database backend), so a caller inside a transaction
    makes both visible to a worker together, or neither."""
    job = Job.objects.create(
        kind=kind,
        round=round_,
        started_by=user,
        language=translation.get_language() or "da",
        upload=upload,
        file_name=file_name[:255],
        note=note,
        return_url=return_url,
        retry_of=retry_of,
    )
    result = task.enqueue(str(job.pk))
    job.task_id = str(result.id)[:64]
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)
    return job


def uploaded_within(form: forms.Form, field: str, limits: Limits) -> UploadedFile[Any] | None:
    """The form's valid upload in `field` if it is no larger than `limits` allow (else
    the form says why, and None). Checked before the file is stored for its job."""
    if not form.is_valid():
        return None
    upload: UploadedFile[Any] | None = form.cleaned_data[field]
    if upload is not None and (upload.size or 0) > limits.file_bytes:
        too_large = Problem(0, "", TOO_LARGE, str(limits.file_bytes // MEGABYTE))
        form.add_error(field, import_problems.reason(too_large, {}))
        return None
    return upload


class Progress:
    """Reports a job's progress on its row (a callable for the importers' `progress`)."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def stage(self, stage: str, **fields: Any) -> None:
        Job.objects.filter(pk=self.job.pk).update(stage=stage, progress_at=timezone.now(), **fields)

    def __call__(self, share: float, rows: int) -> None:
        Job.objects.filter(pk=self.job.pk).update(
            share_done=max(0.0, min(1.0, share)), rows_done=rows, progress_at=timezone.now()
        )


Outcome = tuple[bool, dict[str, Any], list[dict[str, Any]]]  # ok, result, problems
Work = Callable[[Job, "Progress"], Outcome]


def problem_rows(
    problems: list[Problem], message: Callable[[Problem], str]
) -> list[dict[str, Any]]:
    """An import's problems as stored on the job, each with its reason in the job's
    language (the language of the page that started it)."""
    return [{**asdict(problem), "message": message(problem)} for problem in problems]


def run(job_id: str, work: Work) -> str:
    """Run `work(job, progress)` for the job: it returns (ok, result, problems). Marks the
    job running, then succeeded or failed; an unexpected error fails the job with a
    general message (the traceback goes to the log) and changes nothing, since every
    service writes in one transaction, and keeps its file for a retry; a `RoundError`
    (the round was published meanwhile) fails it with its own message. Returns the final
    status."""
    job = Job.objects.get(pk=job_id)
    now = timezone.now()
    forget_old_uploads(now)
    # Only a queued job starts: one cancelled (or already taken) meanwhile is left alone.
    started = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, progress_at=now
    )
    if not started:
        return Job.objects.get(pk=job.pk).status
    progress = Progress(job)
    unexpected = False
    with translation.override(job.language):
        try:
            ok, result, problems = work(job, progress)
        except RoundError as exc:  # the round moved on since the job was started
            ok, result, problems = False, {}, []
            error = str(exc)
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            ok, result, problems = False, {}, []
            error = _("The job stopped because of an unexpected error; nothing was changed.")
            unexpected = True
        else:
            error = ""
    status = Job.Status.SUCCEEDED if ok else Job.Status.FAILED
    with transaction.atomic():
        # A job given up as stalled and started again meanwhile keeps what it says.
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=status,
            stage=DONE,
            share_done=1.0,
            result=result,
            problems=problems,
            error=error,
            # A file that was imported or refused is not kept; one that stopped on an
            # unexpected error is kept for KEPT_AFTER_ERROR, so that the job can be
            # started again without it.
            **({} if unexpected else {"upload": None}),
            finished_at=timezone.now(),
        )
    return str(status)


# How long the file of a job that stopped on an unexpected error is kept for a retry.
KEPT_AFTER_ERROR = timedelta(days=7)


def forget_old_uploads(now: datetime | None = None) -> int:
    """Delete the files kept by failed jobs that finished more than KEPT_AFTER_ERROR ago
    (run whenever a job runs); returns how many."""
    cutoff = (now or timezone.now()) - KEPT_AFTER_ERROR
    return Job.objects.filter(finished_at__lt=cutoff, upload__isnull=False).update(upload=None)


RECENT = 5  # jobs listed on the pages that start them


def recent(round_: Round, user: User, kinds: tuple[str, ...]) -> list[Job]:
    """The latest jobs of these kinds about the round that the user may see (for the
    pages that start them: a job's page can be found again after leaving it)."""
    jobs = access.restrict(Job.objects, user, access.VIEW).filter(round=round_, kind__in=kinds)
    return list(jobs.defer("upload").order_by("-created_at")[:RECENT])


def stalled_after() -> timedelta:
    return timedelta(minutes=settings.JOB_STALLED_AFTER_MINUTES)


def last_sign_of_life(job: Job) -> datetime:
    """When the job last reported progress (or started, or was queued)."""
    return job.progress_at or job.started_at or job.created_at


def stalled(job: Job, now: datetime | None = None) -> bool:
    """An unfinished job silent for longer than settings.JOB_STALLED_AFTER_MINUTES: its
    worker was stopped during the job, or no worker runs. A job writes all or nothing,
    so a stalled job has changed nothing."""
    if job.finished:
        return False
    return (now or timezone.now()) - last_sign_of_life(job) > stalled_after()


def retry_refusal(job: Job) -> str:
    """Why the job cannot be started again, or "" when it can."""
    if job.status in (Job.Status.SUCCEEDED, Job.Status.CANCELLED):
        return _("Only a job that stopped or stalled can be started again.")
    if job.status != Job.Status.FAILED and not stalled(job):
        return _("The job is still running; it can be started again only if it stops or stalls.")
    needs_file = job.kind == Job.Kind.IMPORT_ANSWERS or bool(job.file_name)
    if needs_file and job.upload is None:
        return _(
            "The file of this job is not kept (only one that stopped on an unexpected error "
            "is, for %(days)s days), so it cannot be started again: upload the file again."
        ) % {"days": KEPT_AFTER_ERROR.days}
    if job.kind not in TASKS:
        return _("This kind of job cannot be started again here.")
    return ""


def retry(job: Job, user: User) -> Job:
    """Start a new job with the same input as `job` (its file, note and round), linked to
    it; a stalled `job` is marked as stopped and hands its file over. Audited as
    job_retried. Raises JobError (and changes nothing) when the job cannot be retried."""
    refusal = retry_refusal(job)
    if refusal:
        raise JobError(refusal)
    summary = f"{job.get_kind_display()}: {job.get_status_display()}"
    with audit.operation(user, "job_retried", subject=job, summary=summary) as entry:
        if not job.finished:
            given_up = Job.objects.filter(pk=job.pk, status=job.status).update(
                status=Job.Status.FAILED,
                stage=DONE,
                upload=None,
                finished_at=timezone.now(),
                error=_(
                    "The job reported no progress for %(minutes)s minutes and was started "
                    "again as a new job; this one changed nothing."
                )
                % {"minutes": settings.JOB_STALLED_AFTER_MINUTES},
            )
            if not given_up:  # it moved on meanwhile
                raise JobError(_("The job changed meanwhile; look at it again."))
        new = start(
            job.kind,
            TASKS[job.kind],
            user,
            round_=job.round,
            upload=bytes(job.upload) if job.upload is not None else None,
            file_name=job.file_name,
            note=job.note,
            return_url=job.return_url,
            retry_of=job,
        )
        Job.objects.filter(pk=job.pk).update(upload=None)  # the new job has the file now
        entry.note(f"{summary}; started again as job {new.pk}")
    return new


def cancel(job: Job, user: User) -> None:
    """Cancel a job that no worker has started yet (its file is deleted): a worker that
    takes its task later leaves it alone. Audited as job_cancelled. Raises JobError (and
    changes nothing) for a job that has started or finished."""
    refusal = _("Only a job that is waiting to start can be cancelled; this one has started.")
    if job.status != Job.Status.QUEUED:
        raise JobError(refusal)
    with audit.operation(user, "job_cancelled", subject=job, summary=job.get_kind_display()):
        cancelled = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.CANCELLED,
            stage=DONE,
            upload=None,
            finished_at=timezone.now(),
            error=_("Cancelled before it started; nothing was changed."),
        )
        if not cancelled:
            raise JobError(refusal)


def stage_label(job: Job) -> str:
    """What the job is doing now, in words."""
    labels = {
        QUEUED: _("Waiting for a worker to start the job."),
        READING: _("Reading and checking the file."),
        SAVING: _("Saving (all rows in one transaction)."),
        COMPUTING: _("Computing the radars."),
        DONE: _("Done."),
    }
    return labels.get(job.stage, job.stage)


def status_json(job: Job) -> dict[str, Any]:
    """The job's progress for its page's script (no personal data, no problems' values)."""
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "stage": job.stage,
        "stage_label": stage_label(job),
        "share_done": round(job.share_done, 4),
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "finished": job.finished,
        "stalled": stalled(job),
    }
