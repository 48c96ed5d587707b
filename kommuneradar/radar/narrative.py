"""The story of a published edition, read from the database: its highlights (computed by
the pure `story` module), the analysts' introduction, contact and ring reasons, and the
method behind it (respondents, response rates, the maturity scale, thresholds,
suppression and overrides), for the radar page, the method page and the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Subquery

from kommuneradar.catalog.models import Domain
from kommuneradar.places.models import Municipality
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Dimension, Invitation, Stage

from . import placement as p
from . import story
from .models import ALL_DOMAINS, Blip, Edition, EditionStory, RingReason


def latest_story(round_id: int, scope: str) -> EditionStory | None:
    """The latest introduction and contact of a round's radar of one scope."""
    return EditionStory.objects.filter(round_id=round_id, scope=scope).first()


def story_history(round_id: int, scope: str) -> list[EditionStory]:
    return list(
        EditionStory.objects.filter(round_id=round_id, scope=scope).select_related("author")
    )


def latest_reasons(round_id: int, scope: str) -> dict[int, RingReason]:
    """The latest ring reason of every technology in a round's radar of one scope, by
    technology id (one query)."""
    latest: dict[int, RingReason] = {}
    for reason in RingReason.objects.filter(round_id=round_id, scope=scope):
        latest.setdefault(reason.technology_id, reason)
    return latest


def _facts(blip: Blip, previous: dict[int, float]) -> story.BlipFacts:
    return story.BlipFacts(
        key=blip.technology.slug,
        name=blip.technology.name,
        ring=blip.ring,
        movement=blip.movement,
        diffusion=blip.diffusion,
        users=blip.users,
        respondents=blip.respondents,
        previous_diffusion=previous.get(blip.technology_id),
        value={
            dimension: p.ValueShare(**share)
            for dimension, share in blip.value_profile.items()
            if dimension in v.DIMENSIONS
        },
    )


@dataclass(frozen=True)
class EditionHighlights:
    """An edition's highlights, and the year of the previous edition they compare with
    (None: this is the first edition of its scope, so every technology is new)."""

    highlights: story.Highlights
    previous_year: int | None
    dimensions: dict[str, str]

    @property
    def best_value(self) -> list[tuple[str, story.BestValue]]:
        return [(self.dimensions[b.dimension], b) for b in self.highlights.best_value]


def edition_highlights(edition: Edition, blips: list[Blip]) -> EditionHighlights:
    """The highlights of `edition` from its placed blips (with their technologies), against
    the previous edition of its scope (one query, whether or not there is one)."""
    before = Edition.objects.filter(
        round__year__lt=edition.round.year,
        scope=edition.scope,
        status=Edition.Status.PUBLISHED,
    ).order_by("-round__year", "-revision")
    rows = Blip.objects.filter(
        edition_id=Subquery(before.values("pk")[:1]), suppressed=False
    ).values_list("technology_id", "diffusion", "edition__round__year")
    previous: dict[int, float] = {}
    previous_year: int | None = None
    for technology_id, diffusion, year in rows:
        previous[technology_id] = diffusion
        previous_year = year
    facts = [_facts(blip, previous) for blip in blips if not blip.suppressed]
    return EditionHighlights(
        story.highlights(facts, v.DIMENSIONS),
        previous_year,
        {code: str(label) for code, label in Dimension.choices},
    )


@dataclass(frozen=True)
class DomainRate:
    """Response in one domain: municipalities that answered, of those asked."""

    domain: Domain
    respondents: int
    asked: int
    invited: bool  # True: `asked` counts the round's invitations; False: all municipalities

    @property
    def rate(self) -> float | None:
        return self.respondents / self.asked if self.asked else None


def response_rates(edition: Edition) -> list[DomainRate]:
    """Per domain of the round: the responding municipalities (from the domain's published
    edition) of the municipalities invited in that domain, or of all municipalities when
    the round's answers were imported without invitations (two queries and one count)."""
    respondents: dict[str, int] = {}
    for scope, count in (
        Edition.objects.filter(round_id=edition.round_id, status=Edition.Status.PUBLISHED)
        .exclude(scope=ALL_DOMAINS)
        .order_by("scope", "-revision")
        .values_list("scope", "respondents")
    ):
        respondents.setdefault(scope, count)
    invited = dict(
        Invitation.objects.filter(round_id=edition.round_id)
        .values("domain__slug")
        .annotate(n=Count("municipality", distinct=True))
        .values_list("domain__slug", "n")
        .order_by()
    )
    municipalities = Municipality.objects.count()
    rates = []
    for domain in Domain.objects.all():
        if domain.slug not in respondents:
            continue
        asked = invited.get(domain.slug, 0)
        rates.append(
            DomainRate(domain, respondents[domain.slug], asked or municipalities, bool(asked))
        )
    return rates


def maturity_scale() -> list[tuple[int, float]]:
    """The expert rating 1..9 and the maturity 0..1 each gives (placement's mapping)."""
    return [(rating, p.maturity_from_rating(rating)) for rating in range(1, 10)]


def ring_thresholds(rules: dict[str, Any]) -> list[tuple[str, float | None, float | None]]:
    """(ring, lowest score, score it stays under) of every ring, innermost first, from the
    placement rules stored with an edition."""
    bounds = [rules["klar_from"], rules["afproev_from"], rules["hold_oeje_from"]]
    result: list[tuple[str, float | None, float | None]] = []
    upper: float | None = None
    for index, ring in enumerate(p.RINGS):
        lower = bounds[index] if index < len(bounds) else None
        result.append((ring, lower, upper))
        upper = lower
    return result


def method(edition: Edition, blips: list[Blip]) -> dict[str, Any]:
    """Every figure and rule of the method page and the report's method section."""
    rules = edition.rules
    ratings = sorted({(b.rating, b.rating_year) for b in blips})
    story_ = latest_story(edition.round_id, edition.scope) or latest_story(
        edition.round_id, ALL_DOMAINS
    )
    return {
        "rates": response_rates(edition),
        "maturity_scale": maturity_scale(),
        "thresholds": ring_thresholds(rules),
        "confidence": round(p.Z_95, 2),
        "min_respondents": rules["min_respondents"],
        "placed": sum(1 for b in blips if not b.suppressed),
        "suppressed_blips": [b for b in blips if b.suppressed],
        "override_blips": [b for b in blips if b.override_ring],
        "rating_years": sorted({year for _rating, year in ratings}),
        "rated": len({b.technology_id for b in blips}),
        "uncertain": sum(1 for b in blips if b.uncertain and not b.suppressed),
        "story": story_,
        "using_stages": [str(Stage(s).label) for s in sorted(v.USING_STAGES)],
    }
