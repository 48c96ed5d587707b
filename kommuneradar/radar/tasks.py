"""The radar app's background tasks (django-tasks): computing a round's draft editions,
publishing them, and correcting a published round (`surveys.jobs` runs each for its job)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_tasks import task

from kommuneradar.catalog.models import Technology
from kommuneradar.surveys import jobs
from kommuneradar.surveys.models import Job, Round
from kommuneradar.surveys.services import problem_message, read_file

from . import figures, presentation, report, services
from .editions import EditionResult
from .models import Edition


def _editions(results: list[EditionResult]) -> list[dict[str, Any]]:
    return [
        {
            "scope": r.scope,
            "revision": r.revision,
            "outcome": r.outcome,
            "placed": r.placed,
            "suppressed": r.suppressed,
        }
        for r in results
    ]


def _round(job: Job) -> Round:
    round_ = job.round
    assert round_ is not None  # a radar job is always about a round
    return round_


def _build_report_later(year: int) -> None:
    """Once the publication is committed, queue the round's PDF report, so its first reader
    gets it from the cache instead of waiting for WeasyPrint (longer than a request may take
    on a large edition), and the figures of its pages (seconds each at scale)."""
    if settings.BUILD_REPORT_AFTER_PUBLISHING:
        transaction.on_commit(lambda: build_report.enqueue(year))
    if settings.WARM_PAGES_AFTER_PUBLISHING:
        transaction.on_commit(lambda: warm_pages.enqueue(year))


def _compute(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    progress.stage(jobs.COMPUTING)
    results = services.compute_drafts(_round(job), job.started_by)
    return True, {"editions": _editions(results)}, []


def _publish(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    progress.stage(jobs.COMPUTING)
    results = services.publish_round(_round(job), job.started_by, job.note)
    _build_report_later(_round(job).year)
    return True, {"editions": _editions(results)}, []


def _correct(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    parsed = None
    if job.upload:
        progress.stage(jobs.READING)
        parsed = read_file(io.BytesIO(bytes(job.upload)), progress)
        progress.stage(jobs.SAVING, rows_total=parsed.rows_read)
    else:
        progress.stage(jobs.COMPUTING)
    outcome = services.correct_round(_round(job), job.note, job.started_by, parsed=parsed)
    problems = jobs.problem_rows(
        outcome.imported.problems if outcome.imported else [], problem_message
    )
    if outcome.ok:
        _build_report_later(_round(job).year)
    result: dict[str, Any] = {"editions": _editions(outcome.revised)}
    if outcome.imported is not None:
        result["rows_read"] = outcome.imported.rows_read
        result["answers_saved"] = outcome.imported.answers_saved
    return outcome.ok, result, problems


@task()
def compute_drafts(job_id: str) -> str:
    """Compute the job's round's draft editions for review."""
    return jobs.run(job_id, _compute)


@task()
def publish_round(job_id: str) -> str:
    """Publish the job's round's editions."""
    return jobs.run(job_id, _publish)


@task()
def correct_round(job_id: str) -> str:
    """Correct the job's published round with the file and note stored on the job."""
    return jobs.run(job_id, _correct)


jobs.register(Job.Kind.COMPUTE_DRAFTS, compute_drafts)
jobs.register(Job.Kind.PUBLISH_ROUND, publish_round)
jobs.register(Job.Kind.CORRECT_ROUND, correct_round)


@task()
def build_report(year: int) -> str:
    """Render the published round's PDF report in every language into the published-data
    cache. Without Pango there is nothing to build (the report page says why)."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            try:
                report.cached_pdf(year)
            except report.ReportUnavailable:
                return "unavailable"
    return "built"


@task()
def warm_pages(year: int) -> str:
    """Compute the published round's radars (all domains and each domain) and every
    technology page's figures into the published-data cache, in every language, so that
    the first readers after a publication do not wait for them."""
    scopes = list(
        Edition.objects.filter(round__year=year, status=Edition.Status.PUBLISHED)
        .values_list("scope", flat=True)
        .distinct()
    )
    slugs = list(Technology.objects.order_by("slug").values_list("slug", flat=True))
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for scope in scopes:
                presentation.published_radar(year, scope)
            for slug in slugs:
                figures.technology(slug)
    return f"{len(scopes)} radars and {len(slugs)} technologies"
