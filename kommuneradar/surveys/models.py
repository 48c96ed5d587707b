from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kommuneradar.accounts import access, audit, personal
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core import published
from kommuneradar.places.models import Municipality

from . import vocabulary as v


class Stage(models.TextChoices):
    NOT_RELEVANT = v.NOT_RELEVANT, _("Not relevant")
    NOT_CONSIDERING = v.NOT_CONSIDERING, _("Not considering")
    CONSIDERING = v.CONSIDERING, _("Considering")
    PILOTING = v.PILOTING, _("Piloting")
    IN_OPERATION = v.IN_OPERATION, _("In operation")
    SCALED = v.SCALED, _("Scaled across the organisation")
    DISCONTINUED = v.DISCONTINUED, _("Discontinued")


class ValueLevel(models.TextChoices):
    NONE = v.VALUE_NONE, _("None")
    SOME = v.VALUE_SOME, _("Some")
    LARGE = v.VALUE_LARGE, _("Large")
    DONT_KNOW = v.VALUE_DONT_KNOW, _("Don't know")


class Dimension(models.TextChoices):
    """The three kinds of value BRIEF.md names; every app labels them from here."""

    EFFICIENCY = v.EFFICIENCY, _("Efficiency")
    QUALITY = v.QUALITY, _("Quality for citizens")
    WELLBEING = v.WELLBEING, _("Staff wellbeing")


class Round(models.Model):
    """One year's survey of the municipalities; editions of the radar are computed from it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="round_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return str(self.year)


class Response(models.Model):
    """One municipality's answers for one domain in one round."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="responses", verbose_name=_("round")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("municipality"),
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="responses", verbose_name=_("domain")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["round", "municipality", "domain"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality", "domain"],
                name="one_response_per_round_place_domain",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.municipality} {self.domain}"


class Answer(models.Model):
    """The stage of one technology in one response, with value per dimension.

    The value fields hold experienced value for stages in use or tried (piloting, in
    operation, scaled, discontinued) and expected value otherwise; not relevant has none.
    """

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    technology = models.ForeignKey(
        Technology, on_delete=models.PROTECT, related_name="answers", verbose_name=_("technology")
    )
    stage = models.CharField(_("adoption stage"), max_length=20, choices=Stage)
    value_efficiency = models.CharField(
        _("value: efficiency"), max_length=10, choices=ValueLevel, blank=True
    )
    value_quality = models.CharField(
        _("value: quality for citizens"), max_length=10, choices=ValueLevel, blank=True
    )
    value_wellbeing = models.CharField(
        _("value: staff wellbeing"), max_length=10, choices=ValueLevel, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["response", "technology"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "technology"], name="one_answer_per_response_technology"
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=v.STAGES), name="answer_stage_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response}: {self.technology} = {self.stage}"

    @property
    def value_by_dimension(self) -> dict[str, str]:
        """The value answered per dimension code ("" where none was given)."""
        return {dimension: getattr(self, v.value_field(dimension)) for dimension in v.DIMENSIONS}


class Contact(models.Model):
    """The standing survey recipient for one municipality and domain.

    Opening a round copies the contact into that round's invitation, so a change here
    never rewrites who was invited in an earlier round."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="survey_contacts",
        verbose_name=_("municipality"),
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.CASCADE, related_name="survey_contacts", verbose_name=_("domain")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role or job title"), max_length=200, blank=True)

    class Meta:
        ordering = ["municipality", "domain"]
        verbose_name = _("survey contact")
        verbose_name_plural = _("survey contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "domain"], name="one_contact_per_place_domain"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.domain}: {self.name}"


class Invitation(models.Model):
    """The invitation of one municipality to answer one domain's questionnaire in a round.

    The link's token is stored only as its SHA-256 hash; sending (or re-issuing) makes a new
    token, so only the newest link works. A token works while the round is open and the
    invitation is not revoked."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("round")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("municipality"),
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("domain")
    )
    recipient_name = models.CharField(_("recipient's name"), max_length=200, blank=True)
    recipient_email = models.EmailField(_("recipient's e-mail"), blank=True)
    recipient_role = models.CharField(_("recipient's role"), max_length=200, blank=True)
    token_hash = models.CharField(_("hash of the link token"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("first sent at"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["round", "municipality", "domain"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality", "domain"],
                name="one_invitation_per_round_place_domain",
            ),
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~models.Q(token_hash=""),
                name="invitation_token_hash_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.municipality} {self.domain}"

    @property
    def has_recipient(self) -> bool:
        return bool(self.recipient_email)


class Job(models.Model):
    """One long piece of work (an import, an edition computation) run in the background
    by a task (`surveys.jobs`), and its progress as the task reports it.

    The page that starts a job stores what the task needs here (the uploaded file, the
    note) and the task clears the file when it is done. Only the user who started a job
    sees it, and analysts see the jobs about a round (rounds are theirs)."""

    class Kind(models.TextChoices):
        IMPORT_ANSWERS = "import_answers", _("Import of survey answers")
        COMPUTE_DRAFTS = "compute_drafts", _("Computation of draft radars")
        PUBLISH_ROUND = "publish_round", _("Publication of the round's radars")
        CORRECT_ROUND = "correct_round", _("Correction of a published round")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Stopped without changing anything")
        CANCELLED = "cancelled", _("Cancelled before it started")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=30, blank=True)
    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("round"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("started by"),
    )
    language = models.CharField(_("language"), max_length=10, default="da")
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    upload = models.BinaryField(_("uploaded file"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    share_done = models.FloatField(_("share done (0..1)"), default=0.0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    retry_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retries",
        verbose_name=_("started again from"),
    )
    return_url = models.CharField(_("page to return to"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set by every report of progress: a job silent for longer than
    # settings.JOB_STALLED_AFTER_MINUTES is shown as stalled (`jobs.stalled`).
    progress_at = models.DateTimeField(_("last progress at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.CANCELLED)


def _sees_job(user: User | None, job: Job) -> bool:
    if user is None:
        return False
    return job.started_by_id == user.pk or (job.round_id is not None and user.is_analyst)


def _jobs_seen(user: User | None) -> models.Q:
    if user is None:
        return access.NOTHING
    own = models.Q(started_by_id=user.pk)
    return own | models.Q(round__isnull=False) if user.is_analyst else own


# Who may see and change what (accounts.access), and what is audited (accounts.audit).
# A round's existence and status are public; its invitations, responses and contacts are
# the analysts' (respondents reach their own questionnaire by the link's token, not a login).
access.register(Round, access.public_rule())
access.register(Response, access.analyst_rule())
access.register(Answer, access.analyst_rule())
access.register(Contact, access.analyst_rule())
access.register(Invitation, access.analyst_rule())


def _changes_job(user: User | None, job: Job) -> bool:
    """Who may retry or cancel a job: its starter while still allowed to start it, and
    for a round's job every analyst."""
    if user is None:
        return False
    if job.round_id is not None:
        return user.is_analyst
    return job.started_by_id == user.pk


def _jobs_changed(user: User | None) -> models.Q:
    if user is None:
        return access.NOTHING
    if user.is_analyst:
        return models.Q(round__isnull=False) | models.Q(started_by_id=user.pk)
    return models.Q(started_by_id=user.pk, round__isnull=True)


# A job's progress and problems are for whoever may start it: its starter, and for a job
# about a round every analyst (the round's work is theirs together). The same people may
# retry or cancel it (`jobs.retry`, `jobs.cancel`), except a starter who may no longer
# work on rounds: they see it, and are refused (403).
access.register(
    Job,
    access.Rule(
        seen=_jobs_seen,
        changed=_jobs_changed,
        sees=_sees_job,
        changes=_changes_job,
    ),
)
audit.exempt(
    Job,
    "a background job's progress record, written many times by its task; what the job "
    "changes is audited by the service it runs (answers_imported, round_published, ...), "
    "under the user who started it, and retrying or cancelling it by `jobs.retry` and "
    "`jobs.cancel` (job_retried, job_cancelled)",
)
audit.track(Round)
audit.track(Response, municipality="municipality")
audit.track(Contact, municipality="municipality")
audit.track(Invitation, municipality="municipality")
# Answers saved in bulk (questionnaire, import) are recorded on their response or round by the
# service's operation; a single answer changed elsewhere (the admin) gets its own entry.
audit.track(Answer, municipality="response__municipality")
personal.register(
    Contact,
    emails=["email"],
    names=["name"],
    other=["role"],
    erase=personal.DELETE,
    purpose="whom to invite to answer the survey for a municipality and domain",
)
personal.register(
    Invitation,
    emails=["recipient_email"],
    names=["recipient_name"],
    other=["recipient_role"],
    purpose="whom a round's survey link was sent to (purged after RESPONDENT_RETENTION_DAYS)",
)
# A round's status says whether its radar is public.
published.track(Round)
