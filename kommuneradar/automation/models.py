"""The automation pipeline: municipalities' administrative processes from idea to operation,
classified by KLE, assessed for suitability, with their expected and realised gains, shared
and reused across municipalities.

Design choices (docs/architecture.md has the overview):

- **Visibility** is per process: `personal` (its owner alone), `municipality` (that
  municipality's editors, and KL's analysts), `public` (everyone). Internal notes and the
  people on a process (owner, contacts) never reach another municipality, whatever the
  visibility: `access.register_personal` keeps them to the owning municipality's editors
  and the analysts, and the contacts have no public rows at all.
- **KLE** is one table of entries (main group "27", group "27.12", topic "27.12.08") with
  their parent; a process points at a topic (or a group where no topic fits). FORM, KL's
  task classification, is kept as the code as typed, where known.
- **Potential** is cases per year × minutes per case / 60 × automation share (percent):
  hours per year, with decimals (`potential.expected_hours`).
- **Measurements** record hours spent on the process in a period before automation
  (baseline) and after (actual); realised hours = baseline − actual over the period, and as
  a yearly rate for the benefits follow-up (`potential.yearly_rate`). A process's
  measurements feed one benefits `Project` (`benefit_project`) of its municipality and
  technology, one `FollowUp` per measurement, so the /gevinster/ dashboard counts them.
- **Reuse**: a copy keeps `source`, the process it was copied from; the source counts and
  lists its `reuses`. An **umbrella** groups the same process across municipalities.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from kommuneradar.accounts import access, audit, personal
from kommuneradar.accounts.models import User
from kommuneradar.benefits.models import Project as BenefitProject
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core import published
from kommuneradar.places.models import Municipality

from . import potential


class KleEntry(models.Model):
    """One entry of KL's KLE plan: a main group ("27"), a group ("27.12") or a topic
    ("27.12.08"), with its title and the entry above it."""

    class Level(models.TextChoices):
        MAIN_GROUP = "main_group", _("Main group")
        GROUP = "group", _("Group")
        TOPIC = "topic", _("Topic")

    number = models.CharField(_("KLE number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=12, choices=Level)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("KLE entry")
        verbose_name_plural = _("KLE entries")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @staticmethod
    def level_of(number: str) -> str:
        """The level a KLE number's shape says: one, two or three parts."""
        parts = number.count(".") + 1
        return {1: KleEntry.Level.MAIN_GROUP, 2: KleEntry.Level.GROUP}.get(
            parts, KleEntry.Level.TOPIC
        )


class System(models.Model):
    """An IT system a process touches (e.g. an ESDH system, an ERP system)."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("IT system")
        verbose_name_plural = _("IT systems")

    def __str__(self) -> str:
        return self.name


class Umbrella(models.Model):
    """The same process across municipalities, grouped for joint work (an "umbrella
    process"). Anyone sees it; its lead municipality's editors and analysts change it."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kle = models.ForeignKey(
        KleEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="umbrellas",
        verbose_name=_("KLE number"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="automation_umbrellas",
        verbose_name=_("lead municipality"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("umbrella process")
        verbose_name_plural = _("umbrella processes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("automation:umbrella", args=[self.pk])


class Phase(models.TextChoices):
    IDEA = "idea", _("Idea")
    PRE_ANALYSIS = "pre_analysis", _("Pre-analysis")
    SPECIFICATION = "specification", _("Specification")
    DEVELOPMENT = "development", _("Development")
    IMPLEMENTATION = "implementation", _("Implementation")
    OPERATION = "operation", _("Operation")
    DECOMMISSIONED = "decommissioned", _("Decommissioned")


class Status(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    PENDING = "pending", _("Pending")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class Visibility(models.TextChoices):
    PERSONAL = "personal", _("Personal (only me)")
    MUNICIPALITY = "municipality", _("My municipality")
    PUBLIC = "public", _("Public")


class Frequency(models.TextChoices):
    CONTINUOUS = "continuous", _("Continuously")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    ON_DEMAND = "on_demand", _("When needed")


class ProcessQuerySet(models.QuerySet["Process"]):
    def public(self) -> ProcessQuerySet:
        return self.filter(visibility=Visibility.PUBLIC)


class Process(models.Model):
    """One municipality's administrative process in the automation pipeline.

    Hours are per year; `automation_share` is a percentage (0–100) of the process's work
    that the automation takes over. The expected gain is `expected_hours` (hours per year,
    with decimals) and `expected_fte` (at `benefits.finance.HOURS_PER_FTE`)."""

    Phase = Phase
    Status = Status
    Visibility = Visibility
    Frequency = Frequency

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="automation_processes",
        verbose_name=_("municipality"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="automation_processes",
        verbose_name=_("process owner"),
    )
    domain = models.ForeignKey(
        Domain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="automation_processes",
        verbose_name=_("domain"),
    )
    kle = models.ForeignKey(
        KleEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="processes",
        verbose_name=_("KLE number"),
    )
    form_code = models.CharField(
        _("FORM code"),
        max_length=40,
        blank=True,
        help_text=_("KL's FORM classification of the task, where known."),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    legal_basis_checked_on = models.DateField(
        _("legal basis last checked on"), null=True, blank=True
    )
    systems = models.ManyToManyField(
        System, blank=True, related_name="processes", verbose_name=_("IT systems")
    )
    technologies = models.ManyToManyField(
        Technology,
        blank=True,
        related_name="automation_processes",
        verbose_name=_("technologies"),
    )
    run_frequency = models.CharField(
        _("run frequency"), max_length=12, choices=Frequency, blank=True
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Phase, default=Phase.IDEA)
    status = models.CharField(
        _("status"), max_length=14, choices=Status, default=Status.IN_PROGRESS
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility, default=Visibility.MUNICIPALITY
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_("Never shown outside your municipality."),
    )
    source = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("copied from"),
    )
    umbrella = models.ForeignKey(
        Umbrella,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="processes",
        verbose_name=_("umbrella process"),
    )
    cases_per_year = models.PositiveIntegerField(_("cases per year"), default=0)
    minutes_per_case = models.DecimalField(
        _("minutes per case"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    automation_share = models.DecimalField(
        _("automation share (percent)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("How much of the work the automation takes over, 0–100."),
    )
    benefit_project = models.OneToOneField(
        BenefitProject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="automation_process",
        verbose_name=_("implementation project (benefits follow-up)"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProcessQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        constraints = [
            models.CheckConstraint(
                condition=Q(automation_share__gte=0) & Q(automation_share__lte=100),
                name="automation_share_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(minutes_per_case__gte=0), name="automation_minutes_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("automation:process", args=[self.pk])

    @property
    def expected_hours(self) -> Decimal:
        """Expected hours freed per year (cases × minutes / 60 × share)."""
        return potential.expected_hours(
            self.cases_per_year, self.minutes_per_case, self.automation_share
        )

    @property
    def expected_fte(self) -> Decimal:
        return potential.fte(self.expected_hours)


class ProcessContact(models.Model):
    """A person to ask about a process; never shown outside the process's municipality."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("process")
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=120, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class Attachment(models.Model):
    """A file on a process. Unless `shared`, only the process's municipality sees it, even
    on a public process."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("process")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="automation/attachments/%Y/")
    shared = models.BooleanField(
        _("shared with other municipalities"),
        default=False,
        help_text=_("Shared files are shown wherever the process is shown."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["process", "title", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def _score(label: StrOrPromise) -> models.PositiveSmallIntegerField[int, int]:
    return models.PositiveSmallIntegerField(label, validators=SCORE_VALIDATORS)


class SuitabilityAssessment(models.Model):
    """The owner's answers, each 1 (not at all) to 5 (fully), to the questions asked
    before building: is the process fit for automation? Summarised by
    `potential.suitability` (score 0..1 with reasons)."""

    QUESTIONS = potential.QUESTIONS

    process = models.OneToOneField(
        Process, on_delete=models.CASCADE, related_name="assessment", verbose_name=_("process")
    )
    structured_input = _score(_("The input is structured and digital"))
    rule_based = _score(_("The work follows fixed rules"))
    uniform = _score(_("The cases are handled uniformly"))
    stable = _score(_("The process and its systems are stable"))
    volume = _score(_("The volume is large"))
    quality_gain = _score(_("Automation improves quality"))
    speed_gain = _score(_("Automation makes the handling faster"))
    routine_relief = _score(_("Automation relieves staff of routine work"))
    assessed_on = models.DateField(_("assessed on"))

    class Meta:
        verbose_name = _("suitability assessment")
        verbose_name_plural = _("suitability assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    **{f"{name}__gte": 1 for name in potential.QUESTIONS},
                    **{f"{name}__lte": 5 for name in potential.QUESTIONS},
                ),
                name="automation_suitability_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return str(self.process)

    def answers(self) -> dict[str, int]:
        return {name: int(getattr(self, name)) for name in potential.QUESTIONS}

    def result(self) -> potential.Suitability:
        return potential.suitability(self.answers())


class Measurement(models.Model):
    """Hours spent on a process in one period: before automation (baseline, the same
    period's work done by hand) and with it (actual). Realised hours = baseline − actual.
    Each measurement is recorded as a follow-up of the process's benefits project
    (`follow_up`), as a yearly rate."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("process")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    baseline_hours = models.DecimalField(
        _("baseline hours in the period"),
        max_digits=10,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Hours the work took without the automation, for the same period."),
    )
    actual_hours = models.DecimalField(
        _("actual hours in the period"),
        max_digits=10,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Hours the work took with the automation."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    follow_up = models.OneToOneField(
        "benefits.FollowUp",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="automation_measurement",
        verbose_name=_("benefits follow-up"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["process", "period_end", "id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="automation_measurement_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(baseline_hours__gte=0) & Q(actual_hours__gte=0),
                name="automation_measurement_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process} {self.period_start}–{self.period_end}"

    @property
    def realised_hours(self) -> Decimal:
        """Hours freed in the period (baseline − actual; negative when it took longer)."""
        return self.baseline_hours - self.actual_hours

    @property
    def realised_hours_per_year(self) -> Decimal:
        return potential.yearly_rate(self.realised_hours, self.period_start, self.period_end)


# Who may see and change what (accounts.access), and what is audited (accounts.audit).


def _seen(user: User | None) -> Q:
    public = Q(visibility=Visibility.PUBLIC)
    if user is None:
        return public
    mine = Q(owner_id=user.pk)
    if user.is_analyst:
        return public | Q(visibility=Visibility.MUNICIPALITY) | mine
    if user.municipality_id is None:
        return public | mine
    return (
        public | Q(visibility=Visibility.MUNICIPALITY, municipality_id=user.municipality_id) | mine
    )


def _sees(user: User | None, process: Process) -> bool:
    if process.visibility == Visibility.PUBLIC:
        return True
    if user is None:
        return False
    if process.owner_id is not None and process.owner_id == user.pk:
        return True
    if process.visibility == Visibility.PERSONAL:
        return False
    return user.is_analyst or user.municipality_id == process.municipality_id


def _changed(user: User | None) -> Q:
    if user is None:
        return access.NOTHING
    not_personal = ~Q(visibility=Visibility.PERSONAL) | Q(owner_id=user.pk)
    if user.is_analyst:
        return not_personal
    if user.municipality_id is None or user.role != User.Role.EDITOR:
        return access.NOTHING
    return Q(municipality_id=user.municipality_id) & not_personal


def _changes(user: User | None, process: Process) -> bool:
    if user is None or not user.is_active:
        return False
    if process.visibility == Visibility.PERSONAL and process.owner_id != user.pk:
        return False
    return user.is_analyst or user.may_edit_municipality(process.municipality_id)


PROCESS_RULE = access.Rule(seen=_seen, changed=_changed, sees=_sees, changes=_changes)


def _attachment_sees(user: User | None, attachment: Attachment) -> bool:
    process = attachment.process
    return _changes(user, process) or (attachment.shared and _sees(user, process))


def _attachment_seen(user: User | None) -> Q:
    visible = Q(process__in=Process.objects.filter(_seen(user)).values("pk"), shared=True)
    changed = _changed(user)
    if changed == access.NOTHING:
        return visible
    return visible | Q(process__in=Process.objects.filter(changed).values("pk"))


def _part_changed(user: User | None) -> Q:
    changed = _changed(user)
    if changed == access.NOTHING:
        return access.NOTHING
    return Q(process__in=Process.objects.filter(changed).values("pk"))


def _part_seen(user: User | None) -> Q:
    return Q(process__in=Process.objects.filter(_seen(user)).values("pk"))


def _contact_changes(user: User | None, contact: ProcessContact) -> bool:
    return _changes(user, contact.process)


access.register(Process, PROCESS_RULE)
for _part in (SuitabilityAssessment, Measurement):
    access.register(
        _part,
        access.Rule(
            seen=_part_seen,
            changed=_part_changed,
            sees=lambda user, obj: _sees(user, obj.process),
            changes=lambda user, obj: _changes(user, obj.process),
        ),
    )
# The people on a process never leave its municipality: only those who may change the
# process (its municipality's editors, analysts) see its contacts.
access.register(
    ProcessContact,
    access.Rule(
        seen=_part_changed,
        changed=_part_changed,
        sees=_contact_changes,
        changes=_contact_changes,
    ),
)
access.register(
    Attachment,
    access.Rule(
        seen=_attachment_seen,
        changed=_part_changed,
        sees=_attachment_sees,
        changes=lambda user, obj: _changes(user, obj.process),
    ),
)
access.register_personal(
    Process,
    ("owner", "internal_notes"),
    lambda user, process: _changes(user, process),
)
access.register(
    Umbrella,
    access.municipal_rule(
        "municipality", public=access.EVERYTHING, is_public=lambda umbrella: True
    ),
)
access.register(KleEntry, access.public_rule())
access.register(System, access.public_rule())
audit.track(KleEntry)
audit.track(System)
audit.track(Umbrella, municipality="municipality")
audit.track(Process, municipality="municipality")
audit.track(ProcessContact, municipality="process__municipality")
audit.track(Attachment, municipality="process__municipality")
audit.track(SuitabilityAssessment, municipality="process__municipality")
audit.track(Measurement, municipality="process__municipality")
personal.register(
    ProcessContact,
    emails=["email"],
    names=["name"],
    other=["phone", "role"],
    erase=personal.DELETE,
    purpose="whom to ask about a process in the automation pipeline (own municipality only)",
)
published.track(Process, Umbrella, Measurement, KleEntry, System, SuitabilityAssessment)


# Saved searches and reminders (the pipeline's files and mail) ---------------------------


class SavedSearch(models.Model):
    """A filter set of the list page that a logged-in user saved under a name: the query
    string as the list page writes it. Only its owner sees, uses and deletes it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="automation_searches",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="automation_search_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        url = reverse("automation:list")
        return f"{url}?{self.query}" if self.query else url


class ReminderSent(models.Model):
    """A reminder about a process, sent once per period: `kind` says what is due, `period`
    names the stretch of time it was due for (see `reminding.due_period`). The pair
    (process, kind, period) is unique, so a second run in the same period sends nothing."""

    class Kind(models.TextChoices):
        LEGAL_BASIS = "legal_basis", _("Legal basis not checked for 6 months")
        NOT_UPDATED = "not_updated", _("Not updated for a year")
        MEASUREMENT = "measurement", _("Measurement of realised hours due")

    process = models.ForeignKey(
        Process,
        on_delete=models.CASCADE,
        related_name="reminders_sent",
        verbose_name=_("process"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    period = models.CharField(_("period"), max_length=40)
    recipients = models.PositiveSmallIntegerField(_("number of recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "id"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "kind", "period"], name="automation_reminder_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.process} {self.kind} {self.period}"


def _own_searches(user: User | None) -> Q:
    """A saved search is its owner's alone: not even an analyst sees another's."""
    return access.NOTHING if user is None else Q(user_id=user.pk)


def _owns_search(user: User | None, search: SavedSearch) -> bool:
    return user is not None and search.user_id == user.pk


access.register(
    SavedSearch,
    access.Rule(seen=_own_searches, changed=_own_searches, sees=_owns_search, changes=_owns_search),
)
# Reminders are written by the operator's command, read by those who may change the process.
access.register(
    ReminderSent,
    access.Rule(
        seen=_part_changed,
        changed=lambda user: access.NOTHING,
        sees=lambda user, reminder: _changes(user, reminder.process),
        changes=lambda user, reminder: False,
    ),
)
audit.track(SavedSearch, municipality="user__municipality")
audit.track(ReminderSent, municipality="process__municipality")
