"""Compute and store radar editions for a round (the glue between the database and
the pure placement rules)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Response, Round

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


def _literal(code: str) -> str:
    """A vocabulary code as an SQL string literal (codes are lower-case words)."""
    if not code.replace("_", "").isalpha() or not code.islower():
        raise ValueError(f"not a vocabulary code: {code!r}")
    return f"'{code}'"


def _answer_class_sql() -> str:
    """SQL for `placement.answer_class` of an answer `a`."""
    advancement = " ".join(
        f"WHEN {_literal(stage)} THEN {rank}" for stage, rank in v.ADVANCEMENT.items()
    )
    positive = ", ".join(_literal(value) for value in sorted(v.POSITIVE_VALUES))
    code = f"CASE a.stage {advancement} END"
    for value_field in v.VALUE_FIELDS:
        level = (
            f"CASE WHEN a.{value_field} = '' THEN 0 "
            f"WHEN a.{value_field} IN ({positive}) THEN 2 ELSE 1 END"
        )
        code = f"({code}) * {p.VALUE_LEVELS} + {level}"
    return code


def _pick_key_sql(answer_class: str, rank: str) -> str:
    """SQL for `placement.pick_key` (its modulo written `%%`: the statement has a
    parameter)."""
    codes, ranks = p.VALUE_CODES, p.MAX_RANKS
    return (
        f"(({answer_class}) / {codes} * {ranks} + {ranks - 1} - ({rank})) * {codes} "
        f"+ ({answer_class}) %% {codes}"
    )


# An answer class plus one fits in a byte; a municipality's answers about a technology, one
# per domain, are packed into integers of PACKED bytes each (a sum of distinct bytes), summed
# as 32-bit integers: their sum is cheap to combine across PostgreSQL's parallel workers.
PACKED = 3
# The domains answered by a municipality are the bits of one integer.
MAX_DOMAINS = 62


@dataclass
class _Counted:
    """What one statement reads from a round's answers: (scope index or None for all
    domains, technology id, answer class, answers) rows, the municipalities that answered
    anything per scope index, and the municipalities that answered anything at all."""

    classes: list[tuple[int | None, int, int, int]]
    respondents: dict[int, int]
    everyone: int

    def add(self, scope: int | None, technology_id: int, value: int, count: int) -> None:
        """A count of the statement: per domain by answer class, for all domains by the
        picked answer's `pick_key`."""
        answer_class = p.class_of_key(value) if scope is None else value
        self.classes.append((scope, technology_id, answer_class, count))


def _round_sql(domains: list[Domain]) -> tuple[str, list[str], list[str]]:
    """The common table expressions of the statement over a round's answers (the round's
    id its one parameter), with the column names of the scopes (one per domain, index i
    for domains[i]) and the respondents.

    - picked: one row per municipality and technology: the answer class of its answer
      in every domain, packed (`PACKED`), so that the answers are read once, in parallel;
    - unpacked: the same, one column per domain (NULL where the municipality gave none);
    - answered, firsts: the domains each municipality answered in (the bits of
      `domains`); per domain the municipalities that answered, and the lowest code among
      them;
    - ranks: the domains in the order that decides a tie across domains: the domain in
      which the lowest-numbered municipality answered, then the domain listed first;
    - scoped: unpacked with `combined`, the `pick_key` of the answer that counts across
      domains.

    Only integers, vocabulary codes (`_literal`) and table names go into its text."""
    answer_class = _answer_class_sql()
    indices = range(len(domains))
    scopes = [f"scope_{i}" for i in indices]
    respondents = [f"respondents_{i}" for i in indices]
    postgresql = connection.vendor == "postgresql"
    greatest = "GREATEST" if postgresql else "MAX"
    byte_order = ' COLLATE "C"' if postgresql else ""  # how Python compares the codes
    listed = {
        domain.pk: position
        for position, domain in enumerate(sorted(domains, key=lambda d: (d.order, d.slug)))
    }
    answer, response = Answer._meta.db_table, Response._meta.db_table
    municipality = Municipality._meta.db_table
    packed = ", ".join(
        "CAST(SUM(CASE r.domain_id "
        + " ".join(
            f"WHEN {int(domains[i].pk)} THEN ({answer_class} + 1) * {256 ** (i % PACKED)}"
            for i in indices[start : start + PACKED]
        )
        + f" END) AS BIGINT) AS packed_{start // PACKED}"
        for start in indices[::PACKED]
    )
    byte = [f"COALESCE(packed_{i // PACKED}, 0) / {256 ** (i % PACKED)} %% 256" for i in indices]
    unpacked = ", ".join(f"NULLIF({byte[i]}, 0) - 1 AS scope_{i}" for i in indices)
    mask = " + ".join(f"CASE WHEN {byte[i]} = 0 THEN 0 ELSE {2**i} END" for i in indices)
    firsts = ", ".join(
        f"MIN(CASE WHEN domains / {2**i} %% 2 = 1 THEN m.code END) AS first_{i}, "
        f"COUNT(DISTINCT CASE WHEN domains / {2**i} %% 2 = 1 THEN municipality END) "
        f"AS respondents_{i}"
        for i in indices
    )
    unpivoted = " UNION ALL ".join(
        f"SELECT {i} AS scope, first_{i} AS first_code, {listed[domain.pk]} AS listed FROM firsts"  # noqa: S608
        for i, domain in zip(indices, domains, strict=True)
    )
    ranks = ", ".join(f"MAX(CASE WHEN scope = {i} THEN place END) AS rank_{i}" for i in indices)
    combined = ", ".join(
        f"COALESCE({_pick_key_sql(f'scope_{i}', f'rank_{i}')}, -1)" for i in indices
    )
    sql = (
        "WITH picked AS (SELECT r.municipality_id AS municipality, "  # noqa: S608
        f"a.technology_id AS technology, {packed} "
        f"FROM {answer} a JOIN {response} r ON r.id = a.response_id "
        "WHERE r.round_id = %s GROUP BY r.municipality_id, a.technology_id), "
        f"unpacked AS (SELECT municipality, technology, {unpacked}, "
        f"CAST({mask} AS BIGINT) AS domains FROM picked), "
        "answered AS (SELECT DISTINCT municipality, domains FROM unpacked), "
        f"firsts AS (SELECT {firsts}, COUNT(DISTINCT municipality) AS everyone "
        f"FROM answered JOIN {municipality} m ON m.id = answered.municipality), "
        "ranked AS (SELECT scope, ROW_NUMBER() OVER "
        f"(ORDER BY first_code{byte_order}, listed) - 1 AS place "
        f"FROM ({unpivoted}) AS unpivoted WHERE first_code IS NOT NULL), "
        f"ranks AS (SELECT {ranks} FROM ranked), "
        f"scoped AS (SELECT technology, {', '.join(scopes)}, "
        f"{greatest}({combined}, -1) AS combined FROM unpacked CROSS JOIN ranks) "
    )
    return sql, scopes, respondents


# GROUPING() takes at most 31 arguments: one per domain and one for all domains
GROUPING_SETS_UP_TO = 30


def _count_answers(round_: Round, domains: list[Domain]) -> _Counted:
    """Every answer of the round counted in its domain, and each municipality's picked
    answer counted for all domains, by technology and answer class, in one statement that
    reads the answers once: GROUPING SETS on PostgreSQL; elsewhere, and with very many
    domains, the same counts from a UNION ALL."""
    if len(domains) > min(MAX_DOMAINS, p.MAX_RANKS):
        raise EditionError(f"editions can be computed for at most {MAX_DOMAINS} domains")
    with_sql, scopes, respondents = _round_sql(domains)
    columns = [*scopes, "combined"]
    last = len(columns) - 1
    counted = _Counted([], {}, 0)
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:
            # Compiling this statement (JIT) takes seconds and saves less; its hash tables
            # (a row per municipality and technology) need more than the default memory.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        if postgresql and len(domains) <= GROUPING_SETS_UP_TO:
            cursor.execute(
                f"{with_sql} SELECT GROUPING({', '.join(columns)}), technology, "  # noqa: S608
                f"{', '.join(columns)}, COUNT(*) FROM scoped GROUP BY GROUPING SETS "
                f"({', '.join(f'(technology, {column})' for column in columns)}) "
                f"UNION ALL SELECT -1, NULL, {', '.join(respondents)}, everyone, 0 FROM firsts",
                [round_.pk],
            )
            for grouping, technology, *keys, count in cursor.fetchall():
                if grouping == -1:
                    counted.respondents = dict(enumerate(keys[:last]))
                    counted.everyone = keys[last]
                    continue
                # the grouping set's own column is the one whose bit is 0
                index = next(i for i in range(len(columns)) if not grouping & (1 << (last - i)))
                if keys[index] is not None:
                    counted.add(None if index == last else index, technology, keys[index], count)
        else:
            branches = " UNION ALL ".join(
                f"SELECT {index} AS scope, technology, {column} AS counted, COUNT(*) "  # noqa: S608
                f"FROM scoped WHERE {column} IS NOT NULL GROUP BY technology, {column}"
                for index, column in enumerate(columns)
            )
            totals = " UNION ALL ".join(
                f"SELECT -1, {index}, {column}, 0 FROM firsts"  # noqa: S608
                for index, column in enumerate([*respondents, "everyone"])
            )
            cursor.execute(f"{with_sql} {branches} UNION ALL {totals}", [round_.pk])
            for index, technology, key, count in cursor.fetchall():
                if index == -1:
                    if technology == last:
                        counted.everyone = key
                    else:
                        counted.respondents[technology] = key
                else:
                    counted.add(None if index == last else index, technology, key, count)
        if postgresql:
            # SET LOCAL lasts until the end of the transaction, which may be the caller's
            cursor.execute("RESET jit")
            cursor.execute("RESET work_mem")
    return counted


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
    domain and for all domains together, where a municipality counts once, by its most
    advanced answer about each technology (a tie goes to the domain in which the
    lowest-numbered municipality answered, then to the domain listed first: the order in
    which the answers were always read, kept so that editions never change with the
    method). The answers are read once, by one statement (`_count_answers`)."""
    domains = list(Domain.objects.all())
    counted = _count_answers(round_, domains)
    if not counted.everyone:
        raise EditionError(f"round {round_.year} has no answers")
    classes: dict[int | None, dict[int, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for scope, technology_id, answer_class, count in counted.classes:
        classes[scope][technology_id].append((answer_class, count))
    tallies: dict[int | None, Tallies] = {
        scope: {
            technology_id: p.tallies_from_classes(pairs)
            for technology_id, pairs in by_technology.items()
        }
        for scope, by_technology in classes.items()
    }
    scopes: list[ScopeTallies] = [
        (domain.slug, domain, tallies.get(index, {}), counted.respondents.get(index, 0))
        for index, domain in enumerate(domains)
    ]
    scopes.append((ALL_DOMAINS, None, tallies.get(None, {}), counted.everyone))
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
