"""Open data: the outlook to 2030 per technology and domain, under the observed pace or a
scenario (the same parameters as the page's form, bounded; a bad one answers 422)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kommuneradar.catalog.models import Domain, Technology

from . import projection as pj
from . import services
from .forms import SPEED_MAX, SPEED_MIN

router = Router(tags=["outlook"])


class ScenarioIn(Schema):
    speed: float = Field(
        1.0, ge=float(SPEED_MIN), le=float(SPEED_MAX), description="1 = as observed"
    )
    pilots_adopt: bool = Field(False, description="every pilot goes into operation")
    programme: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="technology slugs pushed through a partnership programme",
    )


class YearOut(Schema):
    year: int
    diffusion: float
    diffusion_low: float
    diffusion_high: float
    stages: dict[str, float]


class GainOut(Schema):
    measured_projects: int
    gain_fte_per_1000_inhabitants: float | None
    fte: float | None
    fte_low: float | None
    fte_high: float | None
    in_total: bool


class TechnologyOut(Schema):
    technology: str
    name: str
    ring: str
    respondents: int
    own_weight: float
    ring_years: dict[str, int]
    backtest_error: float | None
    backtest_naive_error: float | None
    gain: GainOut
    years: list[YearOut]


class DomainOut(Schema):
    domain: str
    technology: str
    respondents: int
    diffusion_today: float
    diffusion_horizon: float
    diffusion_horizon_low: float
    diffusion_horizon_high: float
    fte: float | None


class OutlookOut(Schema):
    latest_year: int | None
    horizon_year: int | None
    step_years: int
    gap_employees: int
    total_fte: float
    total_fte_low: float
    total_fte_high: float
    backtest_error: float | None
    backtest_naive_error: float | None
    scenario: ScenarioIn
    technologies: list[TechnologyOut]
    domains: list[DomainOut]


def _years(projection: pj.Projection) -> list[YearOut]:
    return [
        YearOut(
            year=year.year,
            diffusion=year.diffusion.point,
            diffusion_low=year.diffusion.low,
            diffusion_high=year.diffusion.high,
            stages={stage: year.stages[pj.INDEX[stage]].point for stage in pj.STATES},
        )
        for year in projection.years
    ]


def _technology(row: services.TechnologyOutlook, technology: Technology) -> TechnologyOut:
    gain = row.gain
    return TechnologyOut(
        technology=technology.slug,
        name=technology.name,
        ring=row.facts.ring,
        respondents=row.projection.respondents,
        own_weight=row.projection.own_weight,
        ring_years=row.ring_years,
        backtest_error=row.backtest.error if row.backtest else None,
        backtest_naive_error=row.backtest.naive_error if row.backtest else None,
        gain=GainOut(
            measured_projects=gain.measured_projects,
            gain_fte_per_1000_inhabitants=gain.gain_per_1000[1] if gain.gain_per_1000 else None,
            fte=gain.fte,
            fte_low=gain.low,
            fte_high=gain.high,
            in_total=row.in_total,
        ),
        years=_years(row.projection),
    )


@router.get("/", response=OutlookOut, summary="The outlook to 2030 (or a scenario)")
def outlook(request: HttpRequest, scenario: Query[ScenarioIn]) -> OutlookOut:
    technologies = {t.pk: t for t in Technology.objects.all()}
    by_slug = {t.slug: t.pk for t in technologies.values()}
    unknown = [slug for slug in scenario.programme if slug not in by_slug]
    if unknown:
        raise HttpError(422, f"unknown technology: {', '.join(unknown[:5])}")
    asked = pj.Scenario(scenario.speed, scenario.pilots_adopt, 0.0)
    programme = frozenset(by_slug[slug] for slug in scenario.programme)
    state, result = services.outlook(asked, programme)
    domains = {d.pk: d for d in Domain.objects.all()} if result.domains else {}
    return OutlookOut(
        latest_year=state.latest_year,
        horizon_year=state.horizon_year,
        step_years=state.step_years,
        gap_employees=services.GAP_EMPLOYEES,
        total_fte=result.total.fte,
        total_fte_low=result.total.low,
        total_fte_high=result.total.high,
        backtest_error=result.backtest_error,
        backtest_naive_error=result.backtest_naive_error,
        scenario=scenario,
        technologies=[
            _technology(row, technologies[row.technology_id])
            for row in result.technologies
            if row.technology_id in technologies
        ],
        domains=[
            DomainOut(
                domain=domains[row.domain_id].slug,
                technology=technologies[row.technology_id].slug,
                respondents=row.projection.respondents,
                diffusion_today=row.projection.today.diffusion.point,
                diffusion_horizon=row.projection.horizon.diffusion.point,
                diffusion_horizon_low=row.projection.horizon.diffusion.low,
                diffusion_horizon_high=row.projection.horizon.diffusion.high,
                fte=row.gain.fte,
            )
            for row in result.domains
            if row.domain_id in domains and row.technology_id in technologies
        ],
    )


@router.get(
    "/technologies/{slug}", response=TechnologyOut, summary="One technology's outlook to 2030"
)
def technology(request: HttpRequest, slug: str) -> TechnologyOut:
    found = Technology.objects.filter(slug=slug).first()
    if found is None:
        raise HttpError(404, "no such technology")
    _state, result = services.outlook()
    row = next((r for r in result.technologies if r.technology_id == found.pk), None)
    if row is None:
        raise HttpError(404, "no published survey answers about this technology")
    return _technology(row, found)
