"""The pipeline's writes (each inside one audited operation, after asking accounts.access)
and the figures its pages and other apps' tags show.

Realised hours reach the benefits follow-up through the benefits app's own models and
service: a process with measurements has one implementation project (`benefit_project`)
of its municipality and technology, with a business case stating the process's expected
hours, and each measurement is saved as a follow-up by `benefits.services.save_follow_up`
(as a yearly rate). So the /gevinster/ dashboard counts the process like any project:
published when the process is public."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext as _

from kommuneradar.accounts import access, audit
from kommuneradar.accounts.models import User
from kommuneradar.benefits import services as benefit_services
from kommuneradar.benefits.models import BusinessCase, FollowUp
from kommuneradar.benefits.models import Project as BenefitProject
from kommuneradar.catalog.models import Domain, Technology

from . import potential
from .forms import ProcessForm
from .models import (
    Attachment,
    Measurement,
    Phase,
    Process,
    SuitabilityAssessment,
    System,
    Umbrella,
    Visibility,
)

# A process's benefits project needs a domain; without one, the administration's.
DEFAULT_DOMAIN = "oekonomi-og-administration"
TENTH = Decimal("0.1")


def _tenths(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


# Writes ----------------------------------------------------------------------------


def save_process(
    user: User,
    form: ProcessForm,
    contacts: BaseInlineFormSet[Any, Any, Any],
    *,
    created: bool,
) -> Process:
    """Save a valid process form with its contacts as one audited change. An editor's
    process belongs to their own municipality; a new process's owner is its creator."""
    process = form.save(commit=False)
    if not user.is_analyst or process.municipality_id is None:
        process.municipality = user.municipality  # type: ignore[assignment]
    if created:
        process.owner = user
    access.refuse_unless(user, access.ADD if created else access.CHANGE, process)
    with audit.operation(user, "create" if created else "update", subject=process) as op:
        process.save()
        form.save_m2m()
        for name in form.cleaned_data.get("new_systems") or []:
            system, _made = System.objects.get_or_create(name=name)
            process.systems.add(system)
        contacts.instance = process
        contacts.save()
        sync_benefit_project(process)
        op.note(f"{process.title} ({process.get_phase_display()}, {process.visibility})")
    return process


def copy_process(user: User, source: Process) -> Process:
    """Copy a process the user may see into the user's own municipality's pipeline, as an
    idea seen by that municipality, keeping the link to its source. What belongs to the
    source's municipality stays behind: internal notes, people, attachments, measurements,
    the assessment and the benefits project."""
    access.refuse_unless(user, access.VIEW, source)
    copy = Process(
        title=source.title,
        summary=source.summary,
        description=source.description,
        municipality=user.municipality,
        owner=user,
        domain=source.domain,
        kle=source.kle,
        form_code=source.form_code,
        legal_basis=source.legal_basis,
        run_frequency=source.run_frequency,
        phase=Phase.IDEA,
        status=Process.Status.IN_PROGRESS,
        visibility=Visibility.MUNICIPALITY,
        source=source,
        umbrella=source.umbrella,
        cases_per_year=source.cases_per_year,
        minutes_per_case=source.minutes_per_case,
        automation_share=source.automation_share,
    )
    if user.municipality_id is None or user.municipality_id == source.municipality_id:
        raise PermissionDenied
    access.refuse_unless(user, access.ADD, copy)
    with audit.operation(user, "copy", subject=copy) as op:
        copy.save()
        copy.technologies.set(source.technologies.all())
        copy.systems.set(source.systems.all())
        op.note(f"{copy.title}: copied from #{source.pk} ({source.municipality})")
    return copy


def save_assessment(user: User, assessment: SuitabilityAssessment) -> SuitabilityAssessment:
    """Save the suitability assessment of a process the user may change."""
    access.refuse_unless(user, access.CHANGE, assessment.process)
    created = assessment.pk is None
    with audit.operation(user, "create" if created else "update", subject=assessment) as op:
        assessment.save()
        op.note(f"{assessment.process.title}: {assessment.result().verdict}")
    return assessment


def record_measurement(user: User, measurement: Measurement) -> Measurement:
    """Save a measurement of a process the user may change, and record it as a follow-up
    of the process's benefits project (made on the first measurement)."""
    process = measurement.process
    access.refuse_unless(user, access.CHANGE, process)
    summary = (
        f"{process.title}: {measurement.period_start}–{measurement.period_end} "
        f"{measurement.realised_hours} hours"
    )
    with audit.operation(user, "record_measurement", summary=summary):
        measurement.save()
        project = sync_benefit_project(process, starting=measurement.period_start)
        if project is None:
            raise ValueError("a measured process needs a technology (MeasurementForm says so)")
        realised = max(measurement.realised_hours_per_year, Decimal(0))
        follow_up = FollowUp(
            project=project,
            measured_on=measurement.period_end,
            hours_freed=_tenths(realised),
            note=_("Measured in the automation pipeline: %(start)s to %(end)s.")
            % {"start": measurement.period_start, "end": measurement.period_end},
        )
        benefit_services.save_follow_up(user, follow_up)
        measurement.follow_up = follow_up
        measurement.save(update_fields=["follow_up"])
    return measurement


def _project_status(phase: str) -> str:
    if phase == Phase.OPERATION:
        return BenefitProject.Status.IN_OPERATION
    if phase == Phase.DECOMMISSIONED:
        return BenefitProject.Status.STOPPED
    return BenefitProject.Status.IMPLEMENTING


def _technology_for(process: Process) -> Technology | None:
    """The first of the process's technologies in the catalogue's order."""
    return process.technologies.order_by("name_da").first()


def sync_benefit_project(
    process: Process, starting: datetime.date | None = None
) -> BenefitProject | None:
    """Keep the process's benefits project in step with the process: created on the first
    measurement (`starting` is its start), afterwards its title, status, publication (a
    public process's project is published) and its business case's expected hours follow
    the process. Called inside the caller's audited operation."""
    project = process.benefit_project
    if project is None and starting is None:
        return None
    technology = _technology_for(process)
    if technology is None:
        return project
    if project is None:
        project = BenefitProject(
            municipality=process.municipality,
            technology=technology,
            start_date=starting or timezone.localdate(),
            follow_up_months=6,
            benefit_owner=_("The process owner in the automation pipeline"),
        )
    project.title = process.title[:200]
    project.description = _(
        "An automated process from the automation pipeline (%(url)s). The business case "
        "states its expected hours; costs are not recorded there."
    ) % {"url": process.get_absolute_url()}
    project.domain = process.domain or Domain.objects.get(slug=DEFAULT_DOMAIN)
    project.status = _project_status(process.phase)
    project.published = process.visibility == Visibility.PUBLIC
    project.save()
    case = project.business_case_or_none() or BusinessCase(
        project=project, one_off_cost=0, running_cost=0, gain_dkk=0
    )
    case.hours_freed = _tenths(process.expected_hours)
    case.save()
    if process.benefit_project_id != project.pk:
        process.benefit_project = project
        process.save(update_fields=["benefit_project"])
    return project


def add_attachment(user: User, process: Process, attachment: Attachment) -> Attachment:
    """Add a file to a process the user may change."""
    attachment.process = process
    access.refuse_unless(user, access.CHANGE, process)
    with audit.operation(user, "create", subject=attachment) as op:
        attachment.save()
        op.note(f"{process.title}: {attachment.title} ({'shared' if attachment.shared else 'own'})")
    return attachment


def save_umbrella(user: User, umbrella: Umbrella, *, created: bool) -> Umbrella:
    """Save an umbrella process; a new one is led by the user's municipality."""
    if created and (not user.is_analyst or umbrella.municipality_id is None):
        umbrella.municipality = user.municipality  # type: ignore[assignment]
    access.refuse_unless(user, access.ADD if created else access.CHANGE, umbrella)
    with audit.operation(user, "create" if created else "update", subject=umbrella):
        umbrella.save()
    return umbrella


# Figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasurementRow:
    measurement: Measurement
    realised_hours: Decimal
    realised_per_year: Decimal


@dataclass(frozen=True)
class ProcessFigures:
    """What a process page shows: the potential (hours per year, FTE, size band), the
    suitability, the measurements by date and the latest realised rate against the
    expected hours."""

    expected_hours: Decimal
    expected_fte: Decimal
    size_band: str
    suitability: potential.Suitability | None
    rows: list[MeasurementRow]
    realised_per_year: Decimal | None
    realised_fte: Decimal | None
    realisation_share: Decimal | None


def figures(process: Process) -> ProcessFigures:
    """The process's figures (uses prefetched measurements and assessment when present)."""
    expected = process.expected_hours
    measurements = sorted(process.measurements.all(), key=lambda m: (m.period_end, m.pk))
    rows = [MeasurementRow(m, m.realised_hours, m.realised_hours_per_year) for m in measurements]
    realised = rows[-1].realised_per_year if rows else None
    try:
        assessment: SuitabilityAssessment | None = process.assessment
    except SuitabilityAssessment.DoesNotExist:
        assessment = None
    return ProcessFigures(
        expected_hours=expected,
        expected_fte=potential.fte(expected),
        size_band=potential.size_band(expected),
        suitability=assessment.result() if assessment else None,
        rows=rows,
        realised_per_year=realised,
        realised_fte=None if realised is None else potential.fte(realised),
        realisation_share=None
        if realised is None
        else potential.realisation_share(realised, expected),
    )


@dataclass
class PhaseCount:
    phase: str
    label: str
    count: int


@dataclass
class Pipeline:
    """The public processes using one technology: how many per phase, their summed
    expected hours per year, and the realised hours per year (each process's latest
    measurement) of the measured ones, with the processes behind the sums."""

    technology: Technology
    phases: list[PhaseCount]
    total: int
    expected_hours: Decimal
    realised_hours: Decimal
    measured: int
    sources: list[Process] = field(default_factory=list)

    @property
    def expected_fte(self) -> Decimal:
        return potential.fte(self.expected_hours)

    @property
    def realised_fte(self) -> Decimal:
        return potential.fte(self.realised_hours)


SOURCES_SHOWN = 10


def technology_pipeline(technology: Technology) -> Pipeline:
    """The public pipeline of `technology` (two queries)."""
    processes = list(
        Process.objects.public()
        .filter(technologies=technology)
        .select_related("municipality")
        .prefetch_related(Prefetch("measurements", queryset=Measurement.objects.order_by("id")))
        .order_by("title", "id")
    )
    counted = Counter(process.phase for process in processes)
    expected = sum((process.expected_hours for process in processes), Decimal(0))
    realised = Decimal(0)
    measured = 0
    for process in processes:
        rows = list(process.measurements.all())
        if rows:
            measured += 1
            latest = max(rows, key=lambda m: (m.period_end, m.pk))
            realised += latest.realised_hours_per_year
    sources = sorted(processes, key=lambda p: (-p.expected_hours, p.title, p.pk))
    return Pipeline(
        technology=technology,
        phases=[PhaseCount(code, str(label), counted[code]) for code, label in Phase.choices],
        total=len(processes),
        expected_hours=expected,
        realised_hours=realised,
        measured=measured,
        sources=sources[:SOURCES_SHOWN],
    )


def reuses_seen(process: Process, user: object) -> QuerySet[Process]:
    """The copies of `process` that `user` may see."""
    found: QuerySet[Process] = (
        access.restrict(Process.objects, user, access.VIEW)
        .filter(source=process)
        .select_related("municipality")
        .order_by("municipality__name", "id")
    )
    return found
