"""Open data: the outlook to 2030 per technology and domain, under the observed pace or a
scenario (the same parameters as the page's form, bounded; a bad one answers 422)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.params.functions import Path

from kommuneradar.catalog.models import Domain, Technology

from . import projection as pj
from . import services
from .forms import SPEED_MAX, SPEED_MIN

router = Router(tags=["outlook"])


# Shared wording: shares are 0..1, FTE are full-time equivalents of 1,924 hours freed per
# year at the horizon, bands the central 80 % of the bootstrap resamples.
DIFFUSION = gettext_noop(
    "Projected diffusion share, 0..1: the share of the answering municipalities with the "
    "technology in operation or scaled, of those that do not find it irrelevant."
)
BAND_LOW = gettext_noop(
    "Lower end of the band of the projected diffusion share (0..1): the 10th percentile "
    "of 60 bootstrap resamples of the municipalities, never above the point value."
)
BAND_HIGH = gettext_noop(
    "Upper end of the band of the projected diffusion share (0..1): the 90th percentile "
    "of 60 bootstrap resamples of the municipalities, never below the point value."
)
FTE = gettext_noop(
    "Full-time equivalents (1,924 hours each) freed per year at the horizon by the "
    "municipalities expected to take the technology into use by then: their inhabitants "
    "times the median measured gain per 1,000 inhabitants, divided by 1,000. Empty without "
    "a measured gain."
)
FTE_LOW = gettext_noop(
    "Lower end of the FTE range: the smallest product of the band of new users' "
    "inhabitants and the lower or upper quartile of the measured gain (never above the "
    "point value). Empty without a measured gain."
)
FTE_HIGH = gettext_noop(
    "Upper end of the FTE range: the largest product of the band of new users' "
    "inhabitants and the lower or upper quartile of the measured gain (never below the "
    "point value). Empty without a measured gain."
)
RESPONDENTS = gettext_noop(
    "How many municipalities answered about the technology in the latest survey round "
    "(the base of the projection)."
)
OWN_WEIGHT = gettext_noop(
    "Weight, 0..1, of the technology's own observed stage moves in its transition "
    "probabilities (the rest is borrowed from a wider group), averaged over where the "
    "municipalities stand today: n / (n + 20) for n moves observed from a stage."
)
BACKTEST_ERROR = gettext_noop(
    "Backtest: the absolute difference (0..1) between the latest round's diffusion share "
    "and its one-step projection from the round before, with transitions estimated "
    "without the last step. Empty with fewer than three rounds one step apart."
)
BACKTEST_NAIVE_ERROR = gettext_noop(
    'Backtest of "no change": the absolute difference (0..1) between the latest round\'s '
    "diffusion share and the share of the round before. Empty with fewer than three rounds "
    "one step apart."
)


class ScenarioIn(Schema):
    speed: float = Field(
        1.0,
        ge=float(SPEED_MIN),
        le=float(SPEED_MAX),
        description=gettext_noop(
            "How fast municipalities move between stages, as a multiple of the observed "
            "pace (1 = as observed)."
        ),
    )
    pilots_adopt: bool = Field(
        False,
        description=gettext_noop(
            "Whether every municipality piloting the technology puts it into operation "
            "in the first step."
        ),
    )
    programme: list[str] = Field(
        default_factory=list,
        max_length=50,
        description=gettext_noop(
            "Slugs of technologies pushed through a partnership programme: of the "
            "municipalities not considering, considering or piloting one, the share that "
            "enrolled in its past programme tracks (or in all tracks on average) goes into "
            "operation in the first step."
        ),
    )


class YearOut(Schema):
    year: int = Field(
        description=gettext_noop(
            "The year: the latest survey round, then one step (normally a year) at a time "
            "to the horizon."
        )
    )
    diffusion: float = Field(description=DIFFUSION)
    diffusion_low: float = Field(description=BAND_LOW)
    diffusion_high: float = Field(description=BAND_HIGH)
    stages: dict[str, float] = Field(
        description=gettext_noop(
            "Projected share (0..1) of the answering municipalities at each adoption stage, "
            "keyed by stage code; the shares sum to 1."
        )
    )


class GainOut(Schema):
    measured_projects: int = Field(
        description=gettext_noop(
            "How many published implementation projects measured the FTE freed by the technology."
        )
    )
    gain_fte_per_1000_inhabitants: float | None = Field(
        description=gettext_noop(
            "Median FTE freed per year per 1,000 inhabitants over the measured projects. "
            "Empty without a measured project."
        )
    )
    fte: float | None = Field(description=FTE)
    fte_low: float | None = Field(description=FTE_LOW)
    fte_high: float | None = Field(description=FTE_HIGH)
    in_total: bool = Field(
        description=gettext_noop(
            "Whether the gain counts in the total: it rests on at least three measured projects."
        )
    )


class TechnologyOut(Schema):
    technology: str = Field(description=gettext_noop("The technology's slug."))
    name: str = Field(description=gettext_noop("The technology's name."))
    ring: str = Field(
        description=gettext_noop(
            "The technology's ring on the latest published radar: `klar`, `afproev`, "
            "`hold_oeje` or `afvent`."
        )
    )
    respondents: int = Field(description=RESPONDENTS)
    own_weight: float = Field(description=OWN_WEIGHT)
    ring_years: dict[str, int] = Field(
        description=gettext_noop(
            "For each ring inside today's: the first projected year in which the placement "
            "score (maturity as rated now, projected diffusion) reaches it. Rings not "
            "reached by the horizon are absent."
        )
    )
    backtest_error: float | None = Field(description=BACKTEST_ERROR)
    backtest_naive_error: float | None = Field(description=BACKTEST_NAIVE_ERROR)
    gain: GainOut = Field(
        description=gettext_noop("The measured gain and the FTE it would free by the horizon.")
    )
    years: list[YearOut] = Field(
        description=gettext_noop("The projection, year by year, from the latest round.")
    )


class DomainOut(Schema):
    domain: str = Field(description=gettext_noop("The domain's (fagområde's) slug."))
    technology: str = Field(description=gettext_noop("The technology's slug."))
    respondents: int = Field(
        description=gettext_noop(
            "How many municipalities answered about the technology in this domain in the "
            "latest survey round."
        )
    )
    diffusion_today: float = Field(
        description=gettext_noop("Diffusion share (0..1) in the latest survey round.")
    )
    diffusion_horizon: float = Field(
        description=gettext_noop("Projected diffusion share (0..1) at the horizon.")
    )
    diffusion_horizon_low: float = Field(description=BAND_LOW)
    diffusion_horizon_high: float = Field(description=BAND_HIGH)
    fte: float | None = Field(
        description=gettext_noop(
            "FTE (1,924 hours each) freed per year at the horizon by the new users in this "
            "domain, from the technology's median measured gain per 1,000 inhabitants. "
            "Empty unless at least three projects measured the gain."
        )
    )


class OutlookOut(Schema):
    latest_year: int | None = Field(
        description=gettext_noop(
            "The latest survey round the projection starts from. Empty without survey answers."
        )
    )
    horizon_year: int | None = Field(
        description=gettext_noop(
            "The year projected to: 2030, or the first step past it when rounds are more "
            "than a year apart."
        )
    )
    step_years: int = Field(
        description=gettext_noop(
            "Years between consecutive survey rounds used for one step of the projection."
        )
    )
    gap_employees: int = Field(
        description=gettext_noop(
            "The municipalities' expected labour gap by 2030, in employees, which the total "
            "is compared with."
        )
    )
    total_fte: float = Field(
        description=gettext_noop(
            "FTE freed per year at the horizon, summed over the technologies counted in the total."
        )
    )
    total_fte_low: float = Field(
        description=gettext_noop("Sum of the lower ends of those technologies' FTE ranges.")
    )
    total_fte_high: float = Field(
        description=gettext_noop("Sum of the upper ends of those technologies' FTE ranges.")
    )
    backtest_error: float | None = Field(
        description=gettext_noop(
            "Mean over the technologies of the backtest's absolute error (0..1). Empty "
            "with fewer than three rounds one step apart."
        )
    )
    backtest_naive_error: float | None = Field(
        description=gettext_noop(
            'Mean over the technologies of the absolute error of "no change" (0..1).'
        )
    )
    scenario: ScenarioIn = Field(description=gettext_noop("The scenario projected."))
    technologies: list[TechnologyOut] = Field(
        description=gettext_noop("One outlook per technology over all domains, largest FTE first.")
    )
    domains: list[DomainOut] = Field(
        description=gettext_noop("One outlook per technology and domain.")
    )


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


FITTING = (
    "the outlook of newly published figures is being computed in the background; "
    "ask again in a minute"
)


def _outlook(
    scenario: pj.Scenario = pj.BASELINE, programme: frozenset[int] = frozenset()
) -> tuple[services.State, services.Result]:
    """The outlook, or 503 while it is being fitted."""
    try:
        return services.outlook(scenario, programme)
    except services.Fitting as exc:
        raise HttpError(503, FITTING) from exc


@router.get("/", response=OutlookOut, summary="The outlook to 2030 (or a scenario)")
def outlook(request: HttpRequest, scenario: Query[ScenarioIn]) -> OutlookOut:
    """Every technology's projected diffusion and FTE freed by 2030, over all domains and
    per domain, with the total against the labour gap; under the observed pace, or under a
    scenario given by the parameters (an unknown technology slug answers 422)."""
    technologies = {t.pk: t for t in Technology.objects.all()}
    by_slug = {t.slug: t.pk for t in technologies.values()}
    unknown = [slug for slug in scenario.programme if slug not in by_slug]
    if unknown:
        raise HttpError(422, f"unknown technology: {', '.join(unknown[:5])}")
    asked = pj.Scenario(scenario.speed, scenario.pilots_adopt, 0.0)
    programme = frozenset(by_slug[slug] for slug in scenario.programme)
    state, result = _outlook(asked, programme)
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
def technology(
    request: HttpRequest,
    slug: str = Path(..., description=gettext_noop("The technology's slug.")),
) -> TechnologyOut:
    """One technology's projection year by year to 2030 under the observed pace, with the
    rings it reaches and the FTE it would free (404 for an unknown technology or one
    nobody answered about)."""
    found = Technology.objects.filter(slug=slug).first()
    if found is None:
        raise HttpError(404, "no such technology")
    _state, result = _outlook()
    row = next((r for r in result.technologies if r.technology_id == found.pk), None)
    if row is None:
        raise HttpError(404, "no published survey answers about this technology")
    return _technology(row, found)
