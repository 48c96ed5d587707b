"""Implementation projects, their business cases and their follow-ups.

Visibility: a project is public when `published` is true. The public and editors of
other municipalities see only published projects (and only those count in the public
dashboard); the owning municipality's editors and analysts also see unpublished ones.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from kommuneradar.accounts import access, audit, personal
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core import published
from kommuneradar.places.models import Municipality
from kommuneradar.surveys.models import Dimension

from . import finance


class ProjectQuerySet(models.QuerySet["Project"]):
    def published(self) -> ProjectQuerySet:
        return self.filter(published=True)


class Project(models.Model):
    """One municipality's implementation of one technology in one domain."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IMPLEMENTING = "implementing", _("Being implemented")
        IN_OPERATION = "in_operation", _("In operation")
        STOPPED = "stopped", _("Stopped")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="benefit_projects",
        verbose_name=_("municipality"),
    )
    technology = models.ForeignKey(
        Technology,
        on_delete=models.PROTECT,
        related_name="benefit_projects",
        verbose_name=_("technology"),
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="benefit_projects", verbose_name=_("domain")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    citizens_affected = models.PositiveIntegerField(_("citizens affected"), default=0)
    staff_affected = models.PositiveIntegerField(_("staff affected"), default=0)
    start_date = models.DateField(_("start date"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    benefit_owner = models.CharField(
        _("benefit owner"),
        max_length=200,
        help_text=_("The person or role responsible for realising the gains."),
    )
    follow_up_months = models.PositiveSmallIntegerField(
        _("follow-up interval (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    cases = models.ManyToManyField(
        "cases.Case",
        blank=True,
        related_name="benefit_projects",
        verbose_name=_("cases in the knowledge centre"),
    )
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Published projects are public and count in the public dashboard."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__code", "-start_date", "id"]
        verbose_name = _("implementation project")
        verbose_name_plural = _("implementation projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_months__gte=1), name="benefits_follow_up_interval_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("benefits:project", args=[self.pk])

    def latest_follow_up(self) -> FollowUp | None:
        """The most recent follow-up (uses prefetched follow-ups when present)."""
        follow_ups = list(self.follow_ups.all())
        if not follow_ups:
            return None
        return max(follow_ups, key=lambda f: (f.measured_on, f.pk))

    def next_follow_up_due(self) -> datetime.date | None:
        """When the next follow-up is due: the interval after the latest follow-up, or
        after the start date. None for planned and stopped projects."""
        if self.status in (self.Status.PLANNED, self.Status.STOPPED):
            return None
        latest = self.latest_follow_up()
        since = latest.measured_on if latest else self.start_date
        return add_months(since, self.follow_up_months)

    def follow_up_overdue(self, today: datetime.date | None = None) -> bool:
        due = self.next_follow_up_due()
        return due is not None and due < (today or datetime.date.today())

    def business_case_or_none(self) -> BusinessCase | None:
        try:
            return self.business_case
        except BusinessCase.DoesNotExist:
            return None

    @property
    def expected_fte(self) -> float:
        """FTE freed per year according to the business case (likely value); 0 without one."""
        case = self.business_case_or_none()
        return finance.fte_freed(float(case.hours_freed)) if case else 0.0

    @property
    def realised_fte(self) -> float | None:
        """FTE freed per year at the latest follow-up; None if never followed up."""
        latest = self.latest_follow_up()
        return finance.fte_freed(float(latest.hours_freed)) if latest else None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved `months` calendar months on, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _other_scenario(
    label: StrOrPromise, max_digits: int, decimal_places: int
) -> models.DecimalField[Any, Decimal | None]:
    """An estimate's pessimistic or optimistic value: optional, blank means the likely one."""
    return models.DecimalField(
        label, max_digits=max_digits, decimal_places=decimal_places, null=True, blank=True
    )


class BusinessCase(models.Model):
    """The expected costs and gains of a project, decided before it starts.

    Money in DKK, hours per year. Each estimate has a likely value and optionally a
    pessimistic and an optimistic one (blank means the same as likely)."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="business_case", verbose_name=_("project")
    )
    one_off_cost = models.DecimalField(_("one-off costs (DKK)"), max_digits=14, decimal_places=0)
    one_off_cost_pessimistic = _other_scenario(_("one-off costs, pessimistic (DKK)"), 14, 0)
    one_off_cost_optimistic = _other_scenario(_("one-off costs, optimistic (DKK)"), 14, 0)
    running_cost = models.DecimalField(
        _("running costs per year (DKK)"), max_digits=14, decimal_places=0
    )
    running_cost_pessimistic = _other_scenario(
        _("running costs per year, pessimistic (DKK)"), 14, 0
    )
    running_cost_optimistic = _other_scenario(_("running costs per year, optimistic (DKK)"), 14, 0)
    gain_dkk = models.DecimalField(_("gain per year (DKK)"), max_digits=14, decimal_places=0)
    gain_dkk_pessimistic = _other_scenario(_("gain per year, pessimistic (DKK)"), 14, 0)
    gain_dkk_optimistic = _other_scenario(_("gain per year, optimistic (DKK)"), 14, 0)
    hours_freed = models.DecimalField(_("hours freed per year"), max_digits=12, decimal_places=1)
    hours_freed_pessimistic = _other_scenario(_("hours freed per year, pessimistic"), 12, 1)
    hours_freed_optimistic = _other_scenario(_("hours freed per year, optimistic"), 12, 1)
    citizens_per_fte_before = models.DecimalField(
        _("citizens served per FTE before"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    citizens_per_fte_after = models.DecimalField(
        _("citizens served per FTE after"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon (years)"),
        default=finance.DEFAULT_HORIZON_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    discount_rate = models.DecimalField(
        _("real discount rate (share: 0.035 is 3.5 percent)"),
        max_digits=5,
        decimal_places=4,
        default=finance.DEFAULT_DISCOUNT_RATE,
        validators=[MinValueValidator(0), MaxValueValidator(finance.MAX_DISCOUNT_RATE)],
    )

    class Meta:
        verbose_name = _("business case")
        verbose_name_plural = _("business cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(one_off_cost__gte=0)
                & Q(running_cost__gte=0)
                & Q(gain_dkk__gte=0)
                & Q(hours_freed__gte=0),
                name="benefits_business_case_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(discount_rate__gte=0) & Q(discount_rate__lte=0.2),
                name="benefits_rate_0_to_20_percent",
            ),
        ]

    def __str__(self) -> str:
        return str(self.project)

    def as_input(self) -> finance.BusinessCaseInput:
        """The business case as plain numbers for finance.evaluate."""
        return finance.BusinessCaseInput(
            one_off_cost=finance.ThreePoint.of(
                self.one_off_cost, self.one_off_cost_pessimistic, self.one_off_cost_optimistic
            ),
            yearly_running_cost=finance.ThreePoint.of(
                self.running_cost, self.running_cost_pessimistic, self.running_cost_optimistic
            ),
            yearly_gain_dkk=finance.ThreePoint.of(
                self.gain_dkk, self.gain_dkk_pessimistic, self.gain_dkk_optimistic
            ),
            yearly_hours_freed=finance.ThreePoint.of(
                self.hours_freed, self.hours_freed_pessimistic, self.hours_freed_optimistic
            ),
            rate=float(self.discount_rate),
            horizon_years=self.horizon_years,
            citizens_per_fte_before=None
            if self.citizens_per_fte_before is None
            else float(self.citizens_per_fte_before),
            citizens_per_fte_after=None
            if self.citizens_per_fte_after is None
            else float(self.citizens_per_fte_after),
        )

    def results(self) -> dict[str, finance.ScenarioResult]:
        return finance.evaluate(self.as_input())


# Efficiency is what a business case's hours and kroner measure; an indicator the others.
INDICATOR_DIMENSIONS = [(d.value, d.label) for d in (Dimension.QUALITY, Dimension.WELLBEING)]


class Indicator(models.Model):
    """A named quality or wellbeing indicator of a business case, with baseline and target
    (in the indicator's own unit), and the latest realised value when measured."""

    Dimension = Dimension

    business_case = models.ForeignKey(
        BusinessCase,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("business case"),
    )
    dimension = models.CharField(_("dimension"), max_length=10, choices=INDICATOR_DIMENSIONS)
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    realised = models.DecimalField(
        _("realised"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    realised_on = models.DateField(_("realised value measured on"), null=True, blank=True)

    class Meta:
        ordering = ["business_case", "dimension", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class FollowUp(models.Model):
    """A dated measurement of what a project realised, as yearly rates at that date."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("project")
    )
    measured_on = models.DateField(_("measured on"))
    hours_freed = models.DecimalField(
        _("realised hours freed per year"), max_digits=12, decimal_places=1
    )
    gain_dkk = models.DecimalField(
        _("realised gain per year (DKK)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    running_cost = models.DecimalField(
        _("realised running costs per year (DKK)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
    )
    citizens_per_fte = models.DecimalField(
        _("citizens served per FTE"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["project", "measured_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_freed__gte=0), name="benefits_follow_up_hours_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.measured_on}"

    @property
    def fte_freed(self) -> float:
        return finance.fte_freed(float(self.hours_freed))


# Who may see and change what (accounts.access), and what is audited (accounts.audit).
access.register(
    Project,
    access.municipal_rule(
        "municipality", public=Q(published=True), is_public=lambda project: project.published
    ),
)
access.register(
    BusinessCase,
    access.municipal_rule(
        "project__municipality",
        public=Q(project__published=True),
        is_public=lambda case: case.project.published,
    ),
)
access.register(
    Indicator,
    access.municipal_rule(
        "business_case__project__municipality",
        public=Q(business_case__project__published=True),
        is_public=lambda indicator: indicator.business_case.project.published,
    ),
)
access.register(
    FollowUp,
    access.municipal_rule(
        "project__municipality",
        public=Q(project__published=True),
        is_public=lambda follow_up: follow_up.project.published,
    ),
)
audit.track(Project, municipality="municipality")
audit.track(BusinessCase, municipality="project__municipality")
audit.track(Indicator, municipality="business_case__project__municipality")
audit.track(FollowUp, municipality="project__municipality")
personal.register(
    Project,
    names=["benefit_owner"],
    purpose="who is responsible for realising a project's gains (may be a person's name)",
)
published.track(Project, BusinessCase, Indicator, FollowUp)
