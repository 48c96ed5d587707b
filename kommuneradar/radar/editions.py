"""Compute and store radar editions for a round (the glue between the database and
the pure placement rules)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Round

from . import placement as p
from .models import ALL_DOMAINS, Blip, Edition, PlacementRules, RingOverride


class EditionError(Exception):
    """A round cannot be computed; the message says why."""


@dataclass(frozen=True)
class EditionResult:
    scope: str
    revision: int
    outcome: str  # "created", "replaced", "unchanged", "published"
    placed: int
    suppressed: int


def _answer_facts(round_: Round) -> dict[str, dict[int, list[p.AnswerFact]]]:
    """Answers of the round as facts, by domain slug and technology id."""
    facts: dict[str, dict[int, list[p.AnswerFact]]] = defaultdict(lambda: defaultdict(list))
    rows = Answer.objects.filter(response__round=round_).values_list(
        "response__domain__slug",
        "technology_id",
        "response__municipality__code",
        "stage",
        *v.VALUE_FIELDS,
    )
    for domain_slug, technology_id, code, stage, *values in rows.iterator(chunk_size=5000):
        facts[domain_slug][technology_id].append(
            p.AnswerFact(code, stage, dict(zip(v.DIMENSIONS, values, strict=True)))
        )
    return facts


def _ratings_for(year: int) -> dict[int, tuple[int, int]]:
    """The latest rating given up to `year` for each technology: (rating, year)."""
    latest: dict[int, tuple[int, int]] = {}
    for technology_id, rating, rating_year in (
        MaturityRating.objects.filter(year__lte=year)
        .order_by("year")
        .values_list("technology_id", "rating", "year")
    ):
        latest[technology_id] = (rating, rating_year)
    return latest


def _previous_rings(round_: Round, scope: str) -> dict[int, str]:
    previous = (
        Edition.objects.filter(
            round__year__lt=round_.year, scope=scope, status=Edition.Status.PUBLISHED
        )
        .order_by("-round__year", "-revision")
        .first()
    )
    if previous is None:
        return {}
    return {
        blip.technology_id: blip.ring
        for blip in previous.blips.filter(suppressed=False).only(
            "technology_id", "computed_ring", "override_ring"
        )
    }


def _profile_as_json(profile: dict[str, p.ValueShare]) -> dict[str, Any]:
    return {dimension: asdict(share) for dimension, share in profile.items()}


def _blip_rows(
    round_: Round,
    scope: str,
    by_technology: dict[int, list[p.AnswerFact]],
    technologies: list[Technology],
    ratings: dict[int, tuple[int, int]],
    rules: p.Rules,
    overrides: dict[tuple[str, int], RingOverride],
) -> list[dict[str, Any]]:
    previous = _previous_rings(round_, scope)
    rows = []
    for technology in technologies:
        answers = by_technology.get(technology.pk, [])
        if not answers or technology.pk not in ratings:
            continue
        rating, rating_year = ratings[technology.pk]
        placed = p.place(answers, rating, rules)
        row: dict[str, Any] = {
            "technology_id": technology.pk,
            "quadrant_position": technology.quadrant.position,
            "users": placed.diffusion.users,
            "respondents": placed.diffusion.respondents,
            "diffusion": round(placed.diffusion.share, 10),
            "diffusion_low": round(placed.diffusion.low, 10),
            "diffusion_high": round(placed.diffusion.high, 10),
            "rating": rating,
            "rating_year": rating_year,
            "maturity": round(placed.maturity, 10),
            "suppressed": placed.suppressed,
            "score": None if placed.score is None else round(placed.score, 10),
            "computed_ring": placed.ring or "",
            "uncertain": placed.uncertain,
            "override_ring": "",
            "override_reason": "",
            "movement": "",
            "value_profile": _profile_as_json(dict(placed.value_profile)),
        }
        if placed.ring is not None:
            override = overrides.get((scope, technology.pk))
            if override is not None:
                row["override_ring"] = override.ring
                row["override_reason"] = override.reason
            shown = row["override_ring"] or placed.ring
            row["movement"] = p.movement(previous.get(technology.pk), shown)
        rows.append(row)
    return rows


def _fingerprint(rows: list[dict[str, Any]], rules: p.Rules) -> str:
    payload = json.dumps({"rules": asdict(rules), "blips": rows}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def answer_digests(round_: Round) -> dict[str, str]:
    """A fingerprint of the round's answers per domain slug (stage, values and comment of
    every answer), so a correction knows which radars its change touched."""
    digests: dict[str, Any] = defaultdict(hashlib.sha256)
    rows = (
        Answer.objects.filter(response__round=round_)
        .order_by("response__domain__slug", "response__municipality__code", "technology_id")
        .values_list(
            "response__domain__slug",
            "response__municipality__code",
            "technology_id",
            "stage",
            *v.VALUE_FIELDS,
            "comment",
        )
    )
    for domain_slug, *facts in rows.iterator(chunk_size=5000):
        digests[domain_slug].update(json.dumps(facts, default=str).encode())
    return {slug: digest.hexdigest() for slug, digest in digests.items()}


def compute_round(
    round_: Round, *, publish: bool = False, renew: frozenset[str] = frozenset()
) -> list[EditionResult]:
    """Compute an edition for every domain and for all domains together.

    Idempotent: unchanged answers leave every edition as it is. A published edition
    is never modified; changed answers give it a new draft revision. A scope in `renew`
    whose latest edition is published gets a new revision even when the placements came
    out the same (a correction of its answers)."""
    rules = PlacementRules.current()
    ratings = _ratings_for(round_.year)
    facts = _answer_facts(round_)
    technologies = list(Technology.objects.select_related("quadrant").prefetch_related("domains"))
    overrides = {(o.scope, o.technology_id): o for o in RingOverride.objects.filter(round=round_)}
    domains = list(Domain.objects.all())
    if not facts:
        raise EditionError(f"round {round_.year} has no answers")

    scopes: list[tuple[str, Domain | None, dict[int, list[p.AnswerFact]]]] = [
        (domain.slug, domain, facts.get(domain.slug, {})) for domain in domains
    ]
    combined: dict[int, list[p.AnswerFact]] = defaultdict(list)
    for by_technology in facts.values():
        for technology_id, answers in by_technology.items():
            combined[technology_id].extend(answers)
    scopes.append(
        (
            ALL_DOMAINS,
            None,
            {tid: p.combine_by_municipality(answers) for tid, answers in combined.items()},
        )
    )

    results = []
    with transaction.atomic():
        for scope, domain, by_technology in scopes:
            relevant = [t for t in technologies if domain is None or domain in t.domains.all()]
            rows = _blip_rows(round_, scope, by_technology, relevant, ratings, rules, overrides)
            respondents = len(
                {a.municipality for answers in by_technology.values() for a in answers}
            )
            results.append(
                _store(
                    round_,
                    scope,
                    domain,
                    rows,
                    rules,
                    respondents,
                    publish=publish,
                    renew=scope in renew,
                )
            )
    return results


def _store(
    round_: Round,
    scope: str,
    domain: Domain | None,
    rows: list[dict[str, Any]],
    rules: p.Rules,
    respondents: int,
    *,
    publish: bool,
    renew: bool = False,
) -> EditionResult:
    fingerprint = _fingerprint(rows, rules)
    latest = Edition.objects.filter(round=round_, scope=scope).order_by("-revision").first()
    placed = sum(1 for row in rows if not row["suppressed"])
    suppressed = len(rows) - placed
    now = timezone.now()
    renewing = renew and latest is not None and latest.status == Edition.Status.PUBLISHED
    if latest is not None and latest.fingerprint == fingerprint and not renewing:
        outcome = "unchanged"
        edition = latest
    elif latest is not None and latest.status == Edition.Status.DRAFT:
        outcome = "replaced"
        edition = latest
        edition.blips.all().delete()
        edition.fingerprint = fingerprint
        edition.computed_at = now
        edition.rules = asdict(rules)
        edition.respondents = respondents
        edition.save()
        Blip.objects.bulk_create(Blip(edition=edition, **row) for row in rows)
    else:
        outcome = "created"
        edition = Edition.objects.create(
            round=round_,
            scope=scope,
            domain=domain,
            revision=(latest.revision + 1) if latest else 1,
            computed_at=now,
            fingerprint=fingerprint,
            rules=asdict(rules),
            respondents=respondents,
        )
        Blip.objects.bulk_create(Blip(edition=edition, **row) for row in rows)
    if publish and edition.status == Edition.Status.DRAFT:
        edition.status = Edition.Status.PUBLISHED
        edition.published_at = now
        edition.save(update_fields=["status", "published_at"])
        outcome = "published" if outcome == "unchanged" else outcome
    return EditionResult(scope, edition.revision, outcome, placed, suppressed)


def published_edition(year: int, scope: str) -> Edition | None:
    """The latest published revision of one radar."""
    return (
        Edition.objects.filter(round__year=year, scope=scope, status=Edition.Status.PUBLISHED)
        .select_related("round", "domain")
        .order_by("-revision")
        .first()
    )
