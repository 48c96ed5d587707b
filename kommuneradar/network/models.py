"""Partnership programmes (with tracks, enrolments and milestones) and joint projects.

Peers, mentors and recommendations are computed from survey answers and need no tables."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kommuneradar.accounts import access, audit, personal
from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Technology
from kommuneradar.core import published
from kommuneradar.places.models import Municipality

from . import progress


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def with_enrolled_count(self) -> ProgrammeQuerySet:
        """Each programme with `enrolled_count`: its enrolled municipalities, counted as
        EnrolmentQuerySet.enrolled() counts them (withdrawn ones left out)."""
        return self.annotate(
            enrolled_count=models.Count(
                "enrolments", filter=~models.Q(enrolments__status=Enrolment.Status.WITHDRAWN)
            )
        )


class Programme(models.Model):
    """A time-boxed programme run by KL that municipalities enrol in, for a fee, to
    implement one or more mature solutions together (e.g. a technology partnership)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.TextField(_("summary"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    enrolment_deadline = models.DateField(
        _("enrolment deadline"), help_text=_("The last day on which municipalities may enrol.")
    )
    fee_dkk = models.PositiveIntegerField(_("fee per municipality (DKK)"), default=0)
    offer = models.TextField(
        _("what participants get"), blank=True, help_text=_("E.g. expert advice and networks.")
    )
    contact_name = models.CharField(_("contact at KL"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("partnership programme")
        verbose_name_plural = _("partnership programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:programme", args=[self.slug])

    def enrolment_open(self, today: dt.date) -> bool:
        """Municipalities may enrol up to and including the deadline day."""
        return today <= self.enrolment_deadline


class Track(models.Model):
    """One solution of a programme, grouped under a theme; participants choose tracks."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("programme")
    )
    theme = models.CharField(_("theme"), max_length=200)
    name = models.CharField(_("solution"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    technology = models.ForeignKey(
        Technology,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_tracks",
        verbose_name=_("technology"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["programme", "order", "id"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="one_track_name_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.theme}: {self.name}"


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def enrolled(self) -> EnrolmentQuerySet:
        """The enrolments that count as enrolled municipalities everywhere: every status
        but withdrawn."""
        return self.exclude(status=Enrolment.Status.WITHDRAWN)


class Enrolment(models.Model):
    """A municipality's enrolment in a programme: the tracks it commits to and how."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("programme")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("municipality"),
    )
    tracks = models.ManyToManyField(Track, related_name="enrolments", verbose_name=_("tracks"))
    commitment = models.TextField(
        _("commitment"), help_text=_("What the municipality commits to implement, and by when.")
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.ENROLLED)
    enrolled_on = models.DateField(_("enrolled on"))

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "municipality__name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality"], name="one_enrolment_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.municipality}"


class Milestone(models.Model):
    """The date a participant reached one milestone in one of its tracks."""

    class Kind(models.TextChoices):
        DECISION = progress.DECISION, _("Decision made")
        PILOT = progress.PILOT, _("Pilot started")
        IN_OPERATION = progress.IN_OPERATION, _("In operation")
        SCALED = progress.SCALED, _("Scaled")
        GAINS_MEASURED = progress.GAINS_MEASURED, _("Gains measured")

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("enrolment")
    )
    track = models.ForeignKey(
        Track, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("track")
    )
    kind = models.CharField(_("milestone"), max_length=20, choices=Kind)
    reached_on = models.DateField(_("reached on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["enrolment", "track", "reached_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "track", "kind"], name="one_milestone_kind_per_track"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=progress.MILESTONES), name="milestone_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.track.name}: {self.kind} {self.reached_on}"


class JointProject(models.Model):
    """Several municipalities testing one technology together, e.g. because one alone
    has too little data, with a shared description, results and documents."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")

    title = models.CharField(_("title"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    technology = models.ForeignKey(
        Technology,
        on_delete=models.PROTECT,
        related_name="joint_projects",
        verbose_name=_("technology"),
    )
    description = models.TextField(_("shared description"))
    lead_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="led_joint_projects",
        verbose_name=_("lead municipality"),
    )
    participants = models.ManyToManyField(
        Municipality, related_name="joint_projects", verbose_name=_("participating municipalities")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PLANNED)
    results = models.TextField(_("shared results"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:joint_project", args=[self.slug])


class JointDocument(models.Model):
    """A shared document of a joint project, by title and link."""

    project = models.ForeignKey(
        JointProject, on_delete=models.CASCADE, related_name="documents", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    added_on = models.DateField(_("added on"))

    class Meta:
        ordering = ["project", "-added_on", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


# Who may see and change what (accounts.access), and what is audited (accounts.audit).


def _joint_participant(user: User | None) -> Q:
    """A joint project is changed by analysts and by editors of its participants."""
    if user is None:
        return access.NOTHING
    if user.is_analyst:
        return access.EVERYTHING
    if user.municipality_id is None:
        return access.NOTHING
    return Q(participants=user.municipality_id)


def _participates(user: User | None, project: JointProject) -> bool:
    if user is None:
        return False
    if user.is_analyst:
        return True
    return (
        user.municipality_id is not None
        and project.pk is not None
        and project.participants.filter(pk=user.municipality_id).exists()
    )


access.register(
    JointProject,
    access.Rule(
        seen=lambda user: access.EVERYTHING,
        changed=_joint_participant,
        sees=lambda user, project: True,
        changes=_participates,
    ),
)
access.register(
    JointDocument,
    access.Rule(
        seen=lambda user: access.EVERYTHING,
        changed=lambda user: Q(
            project__in=JointProject.objects.filter(_joint_participant(user)).values("pk")
        ),
        sees=lambda user, document: True,
        changes=lambda user, document: _participates(user, document.project),
    ),
)
access.register(Programme, access.public_rule())
access.register(Track, access.public_rule())
access.register(Enrolment, access.municipal_rule("municipality"))
access.register(Milestone, access.municipal_rule("enrolment__municipality"))
# Everyone sees that a municipality is enrolled (the programme page); its contact person's
# name and e-mail only its own editors, analysts and admins (docs/security.md).
access.register_personal(
    Enrolment, ("contact_name", "contact_email"), access.owners_and_analysts("municipality")
)
audit.track(Programme)
audit.track(Track)
audit.track(Enrolment, municipality="municipality")
audit.track(Milestone, municipality="enrolment__municipality")
audit.track(JointProject, municipality="lead_municipality")
audit.track(JointDocument, municipality="project__lead_municipality")
personal.register(
    Programme,
    emails=["contact_email"],
    names=["contact_name"],
    purpose="KL's contact person for a partnership programme",
)
personal.register(
    Enrolment,
    emails=["contact_email"],
    names=["contact_name"],
    purpose="the municipality's contact person in a programme",
)
published.track(Programme, Track, Enrolment, Milestone, JointProject, JointDocument)
