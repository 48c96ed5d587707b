"""The glue between the database and the pure arithmetic: dashboard figures, project
timelines, and saving with an audit entry."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Max, Q, Value, When
from django.forms.models import BaseInlineFormSet

from kommuneradar.accounts import access, audit
from kommuneradar.accounts.models import User
from kommuneradar.core import published
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import published_edition
from kommuneradar.radar.models import ALL_DOMAINS, Edition
from kommuneradar.radar.placement import KLAR
from kommuneradar.surveys import vocabulary
from kommuneradar.surveys.models import Answer

from . import finance, gap
from .forms import BusinessCaseForm, ProjectForm
from .models import FollowUp, Project, ProjectQuerySet
from .queries import realised_gains_by_technology


def with_figures(projects: ProjectQuerySet) -> ProjectQuerySet:
    """Projects with everything their expected and realised FTE need, in two queries."""
    return projects.select_related(
        "municipality", "municipality__region", "technology", "domain", "business_case"
    ).prefetch_related("follow_ups")


def fact_of(project: Project) -> gap.ProjectFact:
    case = project.business_case_or_none()
    fte = (
        finance.ThreePoint.of(0.0)
        if case is None
        else case.as_input().yearly_hours_freed.map(finance.fte_freed)
    )
    return gap.ProjectFact(
        project_id=project.pk,
        technology=project.technology.name,
        domain=project.domain.name,
        region=project.municipality.region_name,
        has_business_case=case is not None,
        expected_fte=fte.likely,
        expected_fte_pessimistic=fte.pessimistic,
        expected_fte_optimistic=fte.optimistic,
        realised_fte=project.realised_fte,
    )


@dataclass(frozen=True)
class Dashboard:
    overall: gap.GroupTotal
    by_technology: list[gap.GroupTotal]
    by_domain: list[gap.GroupTotal]
    by_region: list[gap.GroupTotal]
    potential: gap.Potential
    edition: Edition | None
    gap_employees: int
    gap_year: int
    overdue_projects: int
    tracked_projects: int

    @property
    def realised_share_of_gap(self) -> float:
        return finance.share_of_gap(self.overall.realised_fte, self.gap_employees)

    @property
    def expected_share_of_gap(self) -> float:
        return finance.share_of_gap(self.overall.expected_fte, self.gap_employees)

    @property
    def potential_share_of_gap(self) -> float:
        return finance.share_of_gap(self.potential.total_fte, self.gap_employees)


def latest_overall_edition() -> Edition | None:
    """The latest published radar edition over all domains."""
    latest = (
        Edition.objects.filter(scope=ALL_DOMAINS, status=Edition.Status.PUBLISHED)
        .order_by("-round__year")
        .values_list("round__year", flat=True)
        .first()
    )
    return None if latest is None else published_edition(latest, ALL_DOMAINS)


def additional_potential(edition: Edition | None) -> gap.Potential:
    """The additional potential of the READY technologies of `edition` (the latest
    published radar of all domains): the survey answers of its round decide who already
    uses each technology, counted in the database (four queries)."""
    if edition is None:
        return gap.potential([], {}, {}, {})
    blips = edition.blips.filter(suppressed=False).select_related("technology")
    ready = [(blip.technology_id, blip.technology.name) for blip in blips if blip.ring == KLAR]
    # Per technology and municipality the database tells whether any answer is in use and
    # whether any is other than "not relevant"; one stage that stands for the same is all
    # gap.standing needs of its answers. At most one row per technology and municipality,
    # read at once (a server-side cursor would make PostgreSQL plan for the first rows).
    standing_of = {
        (1, 1): (vocabulary.IN_OPERATION,),
        (1, 0): (vocabulary.IN_OPERATION,),
        (0, 1): (vocabulary.NOT_CONSIDERING,),
        (0, 0): (vocabulary.NOT_RELEVANT,),
    }
    stages: dict[tuple[int, int], tuple[str, ...]] = {}
    answers = (
        Answer.objects.filter(
            response__round_id=edition.round_id, technology_id__in=[tid for tid, _label in ready]
        )
        .order_by()
        .values("technology_id", "response__municipality_id")
        .annotate(
            using=Max(
                Case(
                    When(stage__in=sorted(vocabulary.USING_STAGES), then=Value(1)),
                    default=Value(0),
                )
            ),
            relevant=Max(
                Case(When(~Q(stage=vocabulary.NOT_RELEVANT), then=Value(1)), default=Value(0))
            ),
        )
        .values_list("technology_id", "response__municipality_id", "using", "relevant")
    )
    for technology_id, municipality_id, using, relevant in answers:
        stages[(technology_id, municipality_id)] = standing_of[(using, relevant)]
    populations = dict(Municipality.objects.values_list("id", "population"))
    return gap.potential(ready, realised_gains_by_technology(), populations, stages)


def dashboard() -> Dashboard:
    """The public labour-gap dashboard: published projects only (computed once per
    published-data version and day)."""
    return published.cached("benefits-dashboard", (), _dashboard)


def _dashboard() -> Dashboard:
    projects = list(with_figures(Project.objects.published()))
    facts = [fact_of(project) for project in projects]
    tracked = [project for project in projects if project.next_follow_up_due() is not None]
    edition = latest_overall_edition()
    return Dashboard(
        overall=gap.total(facts),
        by_technology=gap.totals_by(facts, lambda fact: fact.technology),
        by_domain=gap.totals_by(facts, lambda fact: fact.domain),
        by_region=gap.totals_by(facts, lambda fact: fact.region),
        potential=additional_potential(edition),
        edition=edition,
        gap_employees=gap.LABOUR_GAP_EMPLOYEES,
        gap_year=gap.LABOUR_GAP_YEAR,
        overdue_projects=sum(1 for project in tracked if project.follow_up_overdue()),
        tracked_projects=len(tracked),
    )


@dataclass(frozen=True)
class TimelinePoint:
    """One follow-up against the business case: FTE freed per year, expected and realised."""

    measured_on: datetime.date
    expected_fte: float
    realised_fte: float
    gain_dkk: float | None
    note: str

    @property
    def shortfall(self) -> bool:
        return self.realised_fte < self.expected_fte

    @property
    def realisation_share(self) -> float | None:
        return None if self.expected_fte <= 0 else self.realised_fte / self.expected_fte


def timeline(project: Project) -> list[TimelinePoint]:
    expected = project.expected_fte
    return [
        TimelinePoint(
            measured_on=follow_up.measured_on,
            expected_fte=expected,
            realised_fte=follow_up.fte_freed,
            gain_dkk=None if follow_up.gain_dkk is None else float(follow_up.gain_dkk),
            note=follow_up.note,
        )
        for follow_up in sorted(project.follow_ups.all(), key=lambda f: (f.measured_on, f.pk))
    ]


def project_page(project: Project) -> dict[str, Any]:
    """What the project page shows: the business case in three scenarios, the change in
    citizens served per FTE, and the follow-ups against the expectation."""
    case = project.business_case_or_none()
    stated = case.as_input() if case else None
    return {
        "project": project,
        "business_case": case,
        "results": finance.evaluate(stated) if stated else None,
        "citizens_change": None
        if stated is None
        else finance.citizens_served_change(
            stated.citizens_per_fte_before, stated.citizens_per_fte_after
        ),
        "points": timeline(project),
    }


def save_project(
    user: User,
    project_form: ProjectForm,
    case_form: BusinessCaseForm,
    indicators: BaseInlineFormSet[Any, Any, Any],
    *,
    created: bool,
) -> Project:
    """Save a valid project form with its business case and indicators, as one audited
    change; an editor's project always belongs to their own municipality."""
    project = project_form.save(commit=False)
    if not user.is_analyst and user.municipality is not None:
        project.municipality = user.municipality
    access.refuse_unless(user, access.CHANGE, project)
    with audit.operation(user, "create" if created else "update", subject=project) as op:
        project.save()
        business_case = case_form.save(commit=False)
        business_case.project = project
        business_case.save()
        project_form.save_m2m()
        indicators.instance = business_case
        indicators.save()
        state = "published" if project.published else "draft"
        op.note(f"{project.title} ({project.technology}, {state})")
    return project


def save_follow_up(user: User, follow_up: FollowUp) -> FollowUp:
    """Save a follow-up measurement of a project the user may change."""
    access.refuse_unless(user, access.CHANGE, follow_up.project)
    summary = (
        f"{follow_up.project.title}: {follow_up.measured_on} {follow_up.hours_freed} hours/year"
    )
    with audit.operation(user, "create", summary=summary):
        follow_up.save()
    return follow_up
