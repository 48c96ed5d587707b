from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from kommuneradar.core import published

from .editions import published_edition
from .models import Edition

router = Router(tags=["radar"])


class EditionSummary(Schema):
    year: int
    scope: str
    revision: int
    published_at: str | None
    respondents: int
    change_note: str


class BlipOut(Schema):
    technology: str
    technology_name: str
    quadrant: int
    ring: str | None
    computed_ring: str | None
    override_reason: str
    uncertain: bool
    score: float | None
    maturity: float
    rating: int
    users: int
    respondents: int
    diffusion: float
    diffusion_low: float
    diffusion_high: float
    movement: str
    value_profile: dict[str, dict[str, int]]


class EditionOut(EditionSummary):
    blips: list[BlipOut]


def _summary(edition: Edition) -> dict[str, object]:
    return {
        "year": edition.round.year,
        "scope": edition.scope,
        "revision": edition.revision,
        "published_at": edition.published_at.isoformat() if edition.published_at else None,
        "respondents": edition.respondents,
        "change_note": edition.change_note,
    }


@router.get("/editions", response=list[EditionSummary])
@decorate_view(published.published_page)
def list_editions(request: HttpRequest) -> list[dict[str, object]]:
    """Every published revision of every radar."""
    return published.cached("api-editions", (), _list_editions)


def _list_editions() -> list[dict[str, object]]:
    editions = Edition.objects.filter(status=Edition.Status.PUBLISHED).select_related("round")
    return [_summary(edition) for edition in editions]


@router.get("/editions/{year}/{scope}", response=EditionOut)
@decorate_view(published.published_page)
def edition_detail(request: HttpRequest, year: int, scope: str) -> dict[str, object]:
    """The latest published revision of one radar; `scope` is a domain slug or `alle`.
    Technologies with too few answers are left out."""
    found = published.cached("api-edition", (year, scope), lambda: _edition_detail(year, scope))
    if found is None:
        raise HttpError(404, f"no published radar for {year}/{scope}")
    return found


def _edition_detail(year: int, scope: str) -> dict[str, object] | None:
    edition = published_edition(year, scope)
    if edition is None:
        return None
    blips = edition.blips.filter(suppressed=False).select_related("technology")
    return {
        **_summary(edition),
        "blips": [
            {
                "technology": blip.technology.slug,
                "technology_name": blip.technology.name,
                "quadrant": blip.quadrant_position,
                "ring": blip.ring or None,
                "computed_ring": blip.computed_ring or None,
                "override_reason": blip.override_reason,
                "uncertain": blip.uncertain,
                "score": blip.score,
                "maturity": blip.maturity,
                "rating": blip.rating,
                "users": blip.users,
                "respondents": blip.respondents,
                "diffusion": blip.diffusion,
                "diffusion_low": blip.diffusion_low,
                "diffusion_high": blip.diffusion_high,
                "movement": blip.movement,
                "value_profile": blip.value_profile,
            }
            for blip in blips
        ],
    }
