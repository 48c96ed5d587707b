"""The surveys app's background tasks (django-tasks): each takes a `Job` id and runs the
service the job's page would have run in the request (`surveys.jobs`)."""

from __future__ import annotations

import io
import time
from typing import Any

from django_tasks import task

from . import jobs, services
from .models import Job


def _import_answers(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    round_ = job.round
    assert round_ is not None  # an import job is always about a round
    progress.stage(jobs.READING)
    started = time.perf_counter()
    parsed = services.read_file(io.BytesIO(bytes(job.upload or b"")), progress)
    progress.stage(jobs.SAVING, rows_total=parsed.rows_read)
    outcome = services.save_parsed(round_, parsed, job.started_by, started=started)
    result: dict[str, Any] = {
        "rows_read": outcome.rows_read,
        "answers_saved": outcome.answers_saved,
        "responses_touched": outcome.responses_touched,
        "ratings_saved": outcome.ratings_saved,
        "seconds": round(outcome.seconds, 2),
    }
    problems = jobs.problem_rows(outcome.problems, services.problem_message)
    return outcome.ok, result, problems


@task()
def import_answers(job_id: str) -> str:
    """Import the answers file stored on the job into its round (all or nothing)."""
    return jobs.run(job_id, _import_answers)


jobs.register(Job.Kind.IMPORT_ANSWERS, import_answers)
