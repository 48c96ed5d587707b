"""Compute and store radar editions for a round (the glue between the database and
the pure placement rules)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Min, Q, Value, When, Window
from django.db.models.functions import RowNumber
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


Tallies = dict[int, list[p.StageTally]]  # technology id -> answers counted by stage


def _counts() -> dict[str, Count]:
    """Per group: the answers, and per value dimension those with a value and those with
    some or large value."""
    counts = {"answers": Count("id")}
    for dimension, value_field in zip(v.DIMENSIONS, v.VALUE_FIELDS, strict=True):
        counts[f"{dimension}_answered"] = Count("id", filter=~Q(**{value_field: ""}))
        counts[f"{dimension}_positive"] = Count(
            "id", filter=Q(**{f"{value_field}__in": sorted(v.POSITIVE_VALUES)})
        )
    return counts


def _tally(row: Mapping[str, Any]) -> p.StageTally:
    return p.StageTally(
        row["stage"],
        row["answers"],
        {dimension: row[f"{dimension}_answered"] for dimension in v.DIMENSIONS},
        {dimension: row[f"{dimension}_positive"] for dimension in v.DIMENSIONS},
    )


def _domain_tallies(round_: Round) -> dict[int, Tallies]:
    """The round's answers counted by domain, technology and stage (one `GROUP BY` query),
    by domain id and technology id."""
    tallies: dict[int, Tallies] = defaultdict(lambda: defaultdict(list))
    rows = (
        Answer.objects.filter(response__round=round_)
        .values("response__domain_id", "technology_id", "stage")
        .annotate(**_counts())
        .order_by()
    )
    for row in rows:
        tallies[row["response__domain_id"]][row["technology_id"]].append(_tally(row))
    return tallies


def _domain_precedence(round_: Round) -> Case:
    """Which domain's answer wins a tie across domains: the domain in which the
    lowest-numbered municipality answered, then the domain listed first (the order in which
    the answers were always read, kept so that editions never change with the method)."""
    first_codes = (
        Answer.objects.filter(response__round=round_)
        .values("response__domain_id", "response__domain__order", "response__domain__slug")
        .annotate(first_code=Min("response__municipality__code"))
        .order_by()
    )
    ranked = sorted(
        first_codes,
        key=lambda row: (
            row["first_code"],
            row["response__domain__order"],
            row["response__domain__slug"],
        ),
    )
    return Case(
        *(
            When(response__domain_id=row["response__domain_id"], then=Value(rank))
            for rank, row in enumerate(ranked)
        ),
        default=Value(len(ranked)),
        output_field=IntegerField(),
    )


def _combined_tallies(round_: Round) -> Tallies:
    """Across domains a municipality counts once, by its most advanced answer about each
    technology (a tie goes to `_domain_precedence`): the database picks that answer per
    municipality and technology (a window function), then counts as for one domain."""
    advancement = Case(
        *(When(stage=stage, then=Value(rank)) for stage, rank in v.ADVANCEMENT.items()),
        output_field=IntegerField(),
    )
    chosen = (
        Answer.objects.filter(response__round=round_)
        .annotate(
            pick=Window(
                RowNumber(),
                partition_by=[F("response__municipality_id"), F("technology_id")],
                order_by=[advancement.desc(), _domain_precedence(round_).asc()],
            )
        )
        .filter(pick=1)
        .order_by()
        .values("pk")
    )
    rows = (
        Answer.objects.filter(pk__in=chosen)
        .values("technology_id", "stage")
        .annotate(**_counts())
        .order_by()
    )
    tallies: Tallies = defaultdict(list)
    for row in rows:
        tallies[row["technology_id"]].append(_tally(row))
    return tallies


def _respondents(round_: Round) -> tuple[dict[int, int], int]:
    """Municipalities that answered anything in the round, per domain id and in all."""
    answers = Answer.objects.filter(response__round=round_).order_by()
    by_domain = dict(
        answers.values("response__domain_id")
        .annotate(municipalities=Count("response__municipality_id", distinct=True))
        .values_list("response__domain_id", "municipalities")
    )
    overall = answers.aggregate(n=Count("response__municipality_id", distinct=True))["n"]
    return by_domain, overall


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
    # values, not model instances: `only()` through the related manager would fetch each
    # blip's deferred edition_id with a query of its own
    return {
        technology_id: override_ring or computed_ring
        for technology_id, override_ring, computed_ring in Blip.objects.filter(
            edition=previous, suppressed=False
        ).values_list("technology_id", "override_ring", "computed_ring")
    }


def _profile_as_json(profile: dict[str, p.ValueShare]) -> dict[str, Any]:
    return {dimension: asdict(share) for dimension, share in profile.items()}


def _blip_rows(
    round_: Round,
    scope: str,
    by_technology: Tallies,
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
        placed = p.place_counted(answers, rating, rules)
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


ScopeTallies = tuple[str, Domain | None, Tallies, int]


def scope_tallies(round_: Round) -> list[ScopeTallies]:
    """(scope, domain, counted answers by technology, responding municipalities) for every
    domain and for all domains together (six queries)."""
    respondents, all_respondents = _respondents(round_)
    if not all_respondents:
        raise EditionError(f"round {round_.year} has no answers")
    tallies = _domain_tallies(round_)
    scopes: list[ScopeTallies] = [
        (domain.slug, domain, tallies.get(domain.pk, {}), respondents.get(domain.pk, 0))
        for domain in Domain.objects.all()
    ]
    scopes.append((ALL_DOMAINS, None, _combined_tallies(round_), all_respondents))
    return scopes


def compute_round(
    round_: Round, *, publish: bool = False, renew: frozenset[str] = frozenset()
) -> list[EditionResult]:
    """Compute an edition for every domain and for all domains together, from answers
    counted by the database (a fixed number of queries, however many answers).

    Idempotent: unchanged answers leave every edition as it is. A published edition
    is never modified; changed answers give it a new draft revision. A scope in `renew`
    whose latest edition is published gets a new revision even when the placements came
    out the same (a correction of its answers)."""
    rules = PlacementRules.current()
    ratings = _ratings_for(round_.year)
    scopes = scope_tallies(round_)
    technologies = list(Technology.objects.select_related("quadrant").prefetch_related("domains"))
    overrides = {(o.scope, o.technology_id): o for o in RingOverride.objects.filter(round=round_)}

    results = []
    with transaction.atomic():
        for scope, domain, by_technology, scope_respondents in scopes:
            relevant = [t for t in technologies if domain is None or domain in t.domains.all()]
            rows = _blip_rows(round_, scope, by_technology, relevant, ratings, rules, overrides)
            results.append(
                _store(
                    round_,
                    scope,
                    domain,
                    rows,
                    rules,
                    scope_respondents,
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
