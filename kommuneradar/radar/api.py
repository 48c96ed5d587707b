"""Open data from the radar: published editions with every number behind each placement,
and the technology catalogue with each technology's placements over every edition."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.params.functions import Path
from ninja.params.functions import Query as QueryParam

from kommuneradar.accounts.access import VIEW, get_or_refuse, restrict
from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.core import published
from kommuneradar.core.api import PageMeta, Paging, page_of
from kommuneradar.core.downloads import file_response

from . import exporting, exports, presentation
from .editions import published_edition
from .models import ALL_DOMAINS, Blip, Edition

router = Router(tags=["radar"])

SLUG = r"^[a-z0-9-]{1,100}$"
YEAR_MIN, YEAR_MAX = 2000, 2100


class EditionSummary(Schema):
    year: int = Field(description=gettext_noop("The survey year the edition is built from."))
    scope: str = Field(
        description=gettext_noop(
            "The domain (fagområde) slug the edition covers, or `alle` for all domains."
        )
    )
    revision: int = Field(
        description=gettext_noop(
            "The revision number; a published edition whose answers changed "
            "gets a new revision with a note of what changed."
        )
    )
    published_at: str | None = Field(
        description=gettext_noop("When this revision was published (ISO 8601).")
    )
    respondents: int = Field(
        description=gettext_noop("How many municipalities answered the survey for this scope.")
    )
    change_note: str = Field(
        description=gettext_noop("What changed since the previous revision, and why.")
    )


class ValueShareOut(Schema):
    dimension: str = Field(
        description=gettext_noop(
            "The value dimension: `efficiency` (effektivisering), `quality` "
            "(quality for citizens) or `wellbeing` (staff wellbeing)."
        )
    )
    experienced: int = Field(
        description=gettext_noop(
            "Municipalities using the technology that report some or large value."
        )
    )
    experienced_of: int = Field(
        description=gettext_noop("Municipalities using the technology that answered this question.")
    )
    experienced_share: float | None = Field(
        description=gettext_noop("experienced / experienced_of (0..1); null when no user answered.")
    )
    expected: int = Field(
        description=gettext_noop("Municipalities not yet using it that expect value.")
    )
    expected_of: int = Field(
        description=gettext_noop("Municipalities not yet using it that answered this question.")
    )
    expected_share: float | None = Field(
        description=gettext_noop("expected / expected_of (0..1); null when nobody answered.")
    )


class BlipOut(Schema):
    technology: str = Field(description=gettext_noop("The technology's slug (see /technologies)."))
    technology_name_da: str = Field(description=gettext_noop("The technology's Danish name."))
    technology_name_en: str = Field(description=gettext_noop("The technology's English name."))
    quadrant: int = Field(
        description=gettext_noop("The technology family's position on the radar (0-3).")
    )
    ring: str | None = Field(
        description=gettext_noop(
            "The ring shown: `klar` (READY), `afproev` (TRY), `hold_oeje` "
            "(WATCH) or `afvent` (WAIT); an analyst's override where there is "
            "one."
        )
    )
    computed_ring: str | None = Field(
        description=gettext_noop("The ring the placement score gives, before any override.")
    )
    override_reason: str = Field(
        description=gettext_noop(
            "Why an analyst placed it in another ring than the computed one; "
            "empty when not overridden."
        )
    )
    uncertain: bool = Field(
        description=gettext_noop("True when the 95% interval of diffusion crosses a ring boundary.")
    )
    score: float | None = Field(
        description=gettext_noop(
            "Placement score = (maturity + diffusion) / 2, 0..1; null when "
            "too few municipalities answered."
        )
    )
    maturity: float = Field(
        description=gettext_noop("Technical maturity = (rating - 1) / 8, 0..1.")
    )
    rating: int = Field(description=gettext_noop("The analysts' expert maturity rating, 1..9."))
    rating_year: int = Field(description=gettext_noop("The year of that maturity rating."))
    users: int = Field(
        description=gettext_noop(
            "Municipalities whose stage is in operation or scaled (the numerator)."
        )
    )
    respondents: int = Field(
        description=gettext_noop(
            "Municipalities that answered about the technology, not counting "
            "`not relevant` (the denominator)."
        )
    )
    diffusion: float = Field(description=gettext_noop("Diffusion = users / respondents, 0..1."))
    diffusion_low: float = Field(
        description=gettext_noop("Lower bound of the 95% Wilson interval of diffusion.")
    )
    diffusion_high: float = Field(
        description=gettext_noop("Upper bound of the 95% Wilson interval of diffusion.")
    )
    movement: str = Field(
        description=gettext_noop(
            "Against the previous edition of the same scope: `new`, "
            "`moved_in`, `moved_out` or `unchanged`; empty when not placed."
        )
    )
    value_profile: list[ValueShareOut] = Field(
        description=gettext_noop(
            "Value experienced by users and expected by the others, per dimension."
        )
    )


class EditionOut(EditionSummary):
    blips: list[BlipOut] = Field(
        description=gettext_noop(
            "Every placed technology; those with fewer answers than the "
            "publication threshold (5 municipalities) are left out."
        )
    )
    suppressed: int = Field(
        description=gettext_noop("How many technologies were left out for too few answers.")
    )


class EditionPage(PageMeta):
    results: list[EditionSummary] = Field(description=gettext_noop("This page of editions."))


class EditionFilters(Paging):
    year: int | None = Field(
        None,
        ge=YEAR_MIN,
        le=YEAR_MAX,
        description=gettext_noop("Only editions of this survey year."),
    )
    scope: str = Field(
        "",
        max_length=100,
        pattern=r"^[a-z0-9-]{0,100}$",
        description=gettext_noop("Only editions of this scope (a domain slug, or `alle`)."),
    )


def _summary(edition: Edition) -> dict[str, Any]:
    return {
        "year": edition.round.year,
        "scope": edition.scope,
        "revision": edition.revision,
        "published_at": edition.published_at.isoformat() if edition.published_at else None,
        "respondents": edition.respondents,
        "change_note": edition.change_note,
    }


def value_profile_records(profile: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    return [
        {
            "dimension": cell.dimension,
            "experienced": cell.share.experienced,
            "experienced_of": cell.share.experienced_of,
            "experienced_share": cell.share.experienced_share,
            "expected": cell.share.expected,
            "expected_of": cell.share.expected_of,
            "expected_share": cell.share.expected_share,
        }
        for cell in presentation.value_cells(profile)
    ]


def blip_record(blip: Blip) -> dict[str, Any]:
    """Every number behind one placement (expects the technology loaded)."""
    return {
        "technology": blip.technology.slug,
        "technology_name_da": blip.technology.name_da,
        "technology_name_en": blip.technology.name_en,
        "quadrant": blip.quadrant_position,
        "ring": blip.ring or None,
        "computed_ring": blip.computed_ring or None,
        "override_reason": blip.override_reason,
        "uncertain": blip.uncertain,
        "score": blip.score,
        "maturity": blip.maturity,
        "rating": blip.rating,
        "rating_year": blip.rating_year,
        "users": blip.users,
        "respondents": blip.respondents,
        "diffusion": blip.diffusion,
        "diffusion_low": blip.diffusion_low,
        "diffusion_high": blip.diffusion_high,
        "movement": blip.movement,
        "value_profile": value_profile_records(blip.value_profile),
    }


@router.get("/editions", response=EditionPage, operation_id="list_editions")
def list_editions(request: HttpRequest, filters: Query[EditionFilters]) -> dict[str, Any]:
    """Every published revision of every radar, newest survey year first."""
    editions = restrict(Edition.objects.select_related("round"), None, VIEW)
    if filters.year is not None:
        editions = editions.filter(round__year=filters.year)
    if filters.scope:
        editions = editions.filter(scope=filters.scope)
    ordered = editions.order_by("-round__year", "scope", "-revision", "id")
    return page_of(ordered, filters, _summary)


@router.get("/editions/{year}/{scope}", response=EditionOut, operation_id="get_edition")
def edition_detail(
    request: HttpRequest,
    year: int = Path(
        ..., ge=YEAR_MIN, le=YEAR_MAX, description=gettext_noop("The survey year."), example=2024
    ),
    scope: str = Path(
        ...,
        pattern=SLUG,
        description=gettext_noop("A domain slug, or `alle` for all domains."),
        example="alle",
    ),
) -> EditionOut:
    """The latest published revision of one radar, with every number behind each blip."""
    found = published.cached(
        "api-edition", (year, scope), lambda: _edition_out(year, scope), daily=False
    )
    if found is None:
        raise HttpError(404, f"No published radar for {year}/{scope}.")
    return found


def _edition_out(year: int, scope: str) -> EditionOut | None:
    """The edition validated once per published-data version: ninja passes an instance of
    the response schema on without validating it again on every request."""
    record = _edition_record(year, scope)
    return None if record is None else EditionOut.model_validate(record)


def _edition_record(year: int, scope: str) -> dict[str, Any] | None:
    """One published radar as the API gives it, computed once per published-data version."""
    edition = published_edition(year, scope)
    if edition is None:
        return None
    blips = presentation.edition_blips(edition)
    return {
        **_summary(edition),
        "blips": [blip_record(blip) for blip in blips],
        "suppressed": edition.blips.filter(suppressed=True).count(),
    }


EXPORT_FORMAT = "^(" + "|".join(exports.FORMAT_CODES) + ")$"


@router.get("/editions/{year}/{scope}/export", operation_id="export_edition")
def edition_export(
    request: HttpRequest,
    year: int = Path(
        ..., ge=YEAR_MIN, le=YEAR_MAX, description=gettext_noop("The survey year."), example=2024
    ),
    scope: str = Path(
        ...,
        pattern=SLUG,
        description=gettext_noop("A domain slug, or `alle` for all domains."),
        example="alle",
    ),
    fmt: str = QueryParam(
        ...,
        alias="format",
        pattern=EXPORT_FORMAT,
        description=gettext_noop(
            "The file: `byor-csv` or `byor-json` (Build Your Own Radar), `zalando` (Zalando's "
            "tech-radar, with its config), `backstage` (Backstage's tech-radar plugin), `aoe` "
            "(a zip for AOE's technology radar), or the full table as `csv`, `xlsx` or `json`."
        ),
        example="byor-csv",
    ),
) -> HttpResponseBase:
    """One published radar as a file for another radar tool, or as the full table (the
    same files as the radar page's export page). 409 when an entry cannot be written in
    that format: no entry is ever dropped silently."""
    edition = published_edition(year, scope)
    if edition is None:
        raise HttpError(404, f"No published radar for {year}/{scope}.")
    try:
        content, _content_type, name = exporting.export_edition(
            edition, fmt, request.build_absolute_uri("/")
        )
    except exports.ExportError as exc:
        raise HttpError(409, str(exc)) from exc
    stem, extension = name.rsplit(".", 1)
    return file_response(content, stem, extension)


class TechnologySummary(Schema):
    slug: str = Field(description=gettext_noop("The technology's identifier in URLs."))
    name_da: str = Field(description=gettext_noop("Danish name."))
    name_en: str = Field(description=gettext_noop("English name."))
    quadrant: str = Field(description=gettext_noop("The slug of its technology family (quadrant)."))
    domains: list[str] = Field(description=gettext_noop("Slugs of the domains it is relevant to."))


class TechnologyPage(PageMeta):
    results: list[TechnologySummary] = Field(description=gettext_noop("This page of technologies."))


class TechnologyFilters(Paging):
    domain: str = Field(
        "",
        max_length=100,
        pattern=r"^[a-z0-9-]{0,100}$",
        description=gettext_noop("Only technologies relevant to this domain (slug)."),
    )
    quadrant: str = Field(
        "",
        max_length=100,
        pattern=r"^[a-z0-9-]{0,100}$",
        description=gettext_noop("Only technologies of this family (quadrant slug)."),
    )


class PlacementOut(BlipOut):
    year: int = Field(description=gettext_noop("The survey year of the edition."))
    scope: str = Field(description=gettext_noop("The edition's scope: a domain slug, or `alle`."))
    suppressed: bool = Field(
        description=gettext_noop(
            "True when too few municipalities answered to publish a "
            "placement; then ring and score are null."
        )
    )


class StageRowOut(Schema):
    year: int = Field(description=gettext_noop("The survey year."))
    domain: str | None = Field(
        description=gettext_noop("The domain slug; null for all domains together.")
    )
    respondents: int = Field(
        description=gettext_noop(
            "Municipalities that answered, each counted once at its most advanced stage."
        )
    )
    stages: dict[str, int] = Field(
        description=gettext_noop(
            "Municipalities at each stage: not_relevant, not_considering, "
            "considering, piloting, in_operation, scaled, discontinued."
        )
    )


class TechnologyOut(TechnologySummary):
    description_da: str = Field(description=gettext_noop("Danish description."))
    description_en: str = Field(description=gettext_noop("English description."))
    latest_year: int | None = Field(
        description=gettext_noop("The latest survey year with a published radar that placed it.")
    )
    placements: list[PlacementOut] = Field(
        description=gettext_noop(
            "Its placement in the latest revision of every published edition: "
            "every domain and all domains, every year."
        )
    )
    stage_distribution: list[StageRowOut] = Field(
        description=gettext_noop(
            "Where the municipalities stand with it per survey year and "
            "domain, in every round with a published radar."
        )
    )
    value_profile: list[ValueShareOut] = Field(
        description=gettext_noop("The value profile over all domains in the latest edition.")
    )


def _technology_summary(technology: Technology) -> dict[str, Any]:
    return {
        "slug": technology.slug,
        "name_da": technology.name_da,
        "name_en": technology.name_en,
        "quadrant": technology.quadrant.slug,
        "domains": [domain.slug for domain in technology.domains.all()],
    }


@router.get("/technologies", response=TechnologyPage, operation_id="list_technologies")
def list_technologies(request: HttpRequest, filters: Query[TechnologyFilters]) -> dict[str, Any]:
    """The technology catalogue, by Danish name."""
    technologies = restrict(
        Technology.objects.select_related("quadrant").prefetch_related("domains"), None, VIEW
    )
    if filters.domain:
        technologies = technologies.filter(domains__slug=filters.domain)
    if filters.quadrant:
        technologies = technologies.filter(quadrant__slug=filters.quadrant)
    return page_of(technologies.order_by("name_da", "id"), filters, _technology_summary)


@router.get("/technologies/{slug}", response=TechnologyOut, operation_id="get_technology")
def technology_detail(
    request: HttpRequest,
    slug: str = Path(
        ...,
        pattern=SLUG,
        description=gettext_noop("The technology's slug."),
        example="skaermbesoeg",
    ),
) -> dict[str, Any]:
    """One technology: its ring per domain over every published edition, the stage
    distribution per year and domain, and its latest value profile."""
    technology: Technology = get_or_refuse(
        Technology.objects.select_related("quadrant").prefetch_related("domains"),
        None,
        VIEW,
        slug=slug,
    )
    latest = presentation.latest_blips(technology)
    years = sorted({year for year, _scope in latest})
    current = latest.get((years[-1], ALL_DOMAINS)) if years else None
    domains = list(Domain.objects.all())
    flow = presentation.technology_pipeline(technology.pk, domains)
    return {
        **_technology_summary(technology),
        "description_da": technology.description_da,
        "description_en": technology.description_en,
        "latest_year": years[-1] if years else None,
        "placements": [
            {
                **blip_record(blip),
                "ring": None if blip.suppressed else blip.ring or None,
                "computed_ring": None if blip.suppressed else blip.computed_ring or None,
                "year": year,
                "scope": scope,
                "suppressed": blip.suppressed,
            }
            for (year, scope), blip in sorted(latest.items())
        ],
        "stage_distribution": [
            {
                "year": row.year,
                "domain": row.domain.slug if row.domain else None,
                "respondents": row.counts.respondents,
                "stages": dict(row.counts.cells),
            }
            for row in flow.history
        ],
        "value_profile": value_profile_records(current.value_profile) if current else [],
    }
