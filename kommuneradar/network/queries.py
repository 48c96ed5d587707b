"""Read the survey, the published radar and the evidence of realised value in a fixed
number of queries, and hand plain data to the pure functions in similarity.py."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, models
from django.db.models import Count, Max, Q, Value
from django.db.models.functions import Greatest

from kommuneradar.benefits.models import FollowUp
from kommuneradar.benefits.queries import realised_gain_per_inhabitant
from kommuneradar.cases.models import Case
from kommuneradar.places.models import Municipality, Region
from kommuneradar.radar.models import ALL_DOMAINS, Blip, Edition
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Response, Round

from .similarity import DEFAULT_WEIGHTS, Place, Weights


def latest_published_year() -> int | None:
    """The newest survey year with a published radar of all domains (one query)."""
    year: int | None = (
        Edition.objects.filter(scope=ALL_DOMAINS, status=Edition.Status.PUBLISHED)
        .aggregate(year=Max("round__year"))
        .get("year")
    )
    return year


Shortlist = dict[str, int]
"""How many municipalities each ranking shows: "similar" (the similar group), "mentors" and
"peers" (per technology)."""

# A ranking's shortlist keeps every municipality whose similarity, as the database computes
# it, is within this of the last one shown: its logarithms and divisions may differ from
# Python's in the last bits, and the exact ranking is made in Python (similarity.py).
SIMILARITY_MARGIN = 1e-9


@dataclass
class Neighbourhood:
    """What one municipality's page compares it with, in its own country and one survey
    year: the municipalities that can appear in its size group, its similar group, or as a
    mentor or peer for a technology (a bounded set, whatever the size of the country), with
    their stage per technology combined across domains (the most advanced answer)."""

    year: int | None
    municipalities: dict[int, Municipality] = field(default_factory=dict)
    combined: dict[tuple[int, int], str] = field(default_factory=dict)
    responded: set[int] = field(default_factory=set)

    def portfolio(self, municipality_id: int) -> frozenset[int]:
        """Ids of the technologies the municipality has in operation or scaled."""
        return frozenset(
            tid
            for (mid, tid), stage in self.combined.items()
            if mid == municipality_id and stage in v.USING_STAGES
        )

    def places(self) -> dict[int, Place]:
        in_use: dict[int, set[int]] = defaultdict(set)
        for (mid, tid), stage in self.combined.items():
            if stage in v.USING_STAGES:
                in_use[mid].add(tid)
        return {
            mid: Place(m.url_code, m.population, m.region_code, frozenset(in_use.get(mid, ())))
            for mid, m in self.municipalities.items()
        }


def own_answers(municipality: Municipality, year: int | None) -> list[tuple[int, int, int, str]]:
    """The municipality's answers up to `year`: (year, domain id, technology id, stage)
    (one query)."""
    if year is None:
        return []
    return list(
        Answer.objects.filter(
            response__municipality=municipality, response__round__year__lte=year
        ).values_list("response__round__year", "response__domain_id", "technology_id", "stage")
    )


def _advancement(column: str) -> str:
    cases = " ".join(f"WHEN '{stage}' THEN {rank}" for stage, rank in v.ADVANCEMENT.items())
    return f"CASE {column} {cases} END"


STAGE_BY_ADVANCEMENT = {rank: stage for stage, rank in v.ADVANCEMENT.items()}
USING_ADVANCEMENT = tuple(sorted(v.ADVANCEMENT[stage] for stage in v.USING_STAGES))


def _integers(values: Iterable[int]) -> str:
    """Ids written into SQL (integers only, so nothing else can get in); NULL for none,
    which matches nothing."""
    return ", ".join(str(int(value)) for value in sorted(values)) or "NULL"


def _shortlist_sql(portfolio: frozenset[int], in_progress: frozenset[int], weights: Weights) -> str:
    answer, response = Answer._meta.db_table, Response._meta.db_table
    round_, place = Round._meta.db_table, Municipality._meta.db_table
    region = Region._meta.db_table
    total = weights.size + weights.region + weights.portfolio
    log10 = "LN(CAST(CASE WHEN m.population < 1 THEN 1 ELSE m.population END AS DOUBLE PRECISION))"
    distance = f"ABS({log10} / LN(CAST(10 AS DOUBLE PRECISION)) - %s)"
    if weights.size_span > 0:
        size = f"CASE WHEN {distance} >= %s THEN 0.0 ELSE 1.0 - {distance} / %s END"
    else:
        size = f"CASE WHEN {distance} = 0 THEN 1.0 ELSE 0.0 END"
    in_use = f"COALESCE(p.in_use, 0) + {len(portfolio)}"
    overlap = (
        f"CASE WHEN {in_use} = 0 THEN 1.0 ELSE CAST(COALESCE(p.shared, 0) AS DOUBLE PRECISION)"
        f" / ({in_use} - COALESCE(p.shared, 0)) END"
    )
    score = (
        f"(%s * ({size}) + %s * (CASE WHEN COALESCE(g.code, '') = %s THEN 1.0 ELSE 0.0 END)"
        f" + %s * ({overlap})) / %s"
        if total > 0
        else "0.0"
    )
    using = _integers(USING_ADVANCEMENT)
    using_stages = ", ".join(f"'{stage}'" for stage in sorted(v.USING_STAGES))
    # Only the answers that can make a municipality a user of a technology, and every
    # answer to the technologies the municipality considers or pilots (its peers are at
    # the same combined stage), are aggregated. Only table names, the vocabulary's codes and
    # integers are written into the text; every value from the data is a parameter.
    return f"""
WITH combined AS (
    SELECT r.municipality_id AS mid, a.technology_id AS tid, MAX({_advancement("a.stage")}) AS adv
    FROM {answer} a
    JOIN {response} r ON r.id = a.response_id
    JOIN {round_} y ON y.id = r.round_id
    JOIN {place} m ON m.id = r.municipality_id
    WHERE y.year = %s AND m.country = %s
        AND (a.stage IN ({using_stages}) OR a.technology_id IN ({_integers(in_progress)}))
    GROUP BY r.municipality_id, a.technology_id
),
portfolio AS (
    SELECT mid,
        SUM(CASE WHEN adv IN ({using}) THEN 1 ELSE 0 END) AS in_use,
        SUM(CASE WHEN adv IN ({using}) AND tid IN ({_integers(portfolio)}) THEN 1 ELSE 0 END)
            AS shared
    FROM combined GROUP BY mid
),
scored AS (
    SELECT m.id AS mid, {score} AS score,
        CASE WHEN EXISTS (
            SELECT 1 FROM {response} r JOIN {answer} a ON a.response_id = r.id
            JOIN {round_} y ON y.id = r.round_id
            WHERE r.municipality_id = m.id AND y.year = %s
        ) THEN 1 ELSE 0 END AS responded
    FROM {place} m
    LEFT JOIN {region} g ON g.id = m.region_id
    LEFT JOIN portfolio p ON p.mid = m.id
    WHERE m.country = %s AND m.id <> %s
),
candidates AS (
    SELECT 's' AS kind, 0 AS tid, mid, score FROM scored WHERE responded = 1
    UNION ALL
    SELECT 'm', c.tid, s.mid, s.score FROM combined c JOIN scored s ON s.mid = c.mid
    WHERE c.adv IN ({using})
    UNION ALL
    SELECT 'p', c.tid, s.mid, s.score FROM combined c JOIN scored s ON s.mid = c.mid
    JOIN combined own ON own.tid = c.tid AND own.adv = c.adv AND own.mid = %s
    WHERE own.tid IN ({_integers(in_progress)})
),
ranked AS (
    SELECT kind, tid, mid, score,
        ROW_NUMBER() OVER (PARTITION BY kind, tid ORDER BY score DESC) AS place
    FROM candidates
),
thresholds AS (
    SELECT kind, tid, MIN(score) AS lowest FROM ranked
    WHERE place <= CASE kind WHEN 's' THEN %s WHEN 'm' THEN %s ELSE %s END
    GROUP BY kind, tid
)
SELECT DISTINCT r.mid FROM ranked r
JOIN thresholds t ON t.kind = r.kind AND t.tid = r.tid
WHERE r.score >= t.lowest - %s
"""  # noqa: S608


def shortlist(
    municipality: Municipality,
    year: int | None,
    portfolio: frozenset[int],
    in_progress: frozenset[int],
    shown: Shortlist,
    weights: Weights = DEFAULT_WEIGHTS,
) -> set[int]:
    """Ids of the municipalities of `municipality`'s country that can be among the most
    similar that answered in `year` (shown["similar"] of them), and, per technology, among
    the most similar users (shown["mentors"]) and, for the technologies in `in_progress`
    (those it considers or pilots), among the most similar at its own stage
    (shown["peers"]), ties and near-ties included. `portfolio`: the technologies it has in
    use. The similarity is computed in the database, over each municipality's technologies
    in use aggregated there (one query; the answers stay in the database, one id per
    shortlisted municipality comes back)."""
    if year is None:
        return set()
    target_log = math.log10(max(municipality.population, 1))
    size: list[float] = (
        [target_log, weights.size_span, target_log, weights.size_span]
        if weights.size_span > 0
        else [target_log]
    )
    total = weights.size + weights.region + weights.portfolio
    score: list[float | str] = (
        [weights.size, *size, weights.region, municipality.region_code, weights.portfolio, total]
        if total > 0
        else []
    )
    params: list[int | float | str] = [
        year,
        municipality.country,
        *score,
        year,
        municipality.country,
        municipality.pk,
        municipality.pk,
        shown["similar"],
        shown["mentors"],
        shown["peers"],
        SIMILARITY_MARGIN,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_shortlist_sql(portfolio, in_progress, weights), params)
        return {mid for (mid,) in cursor.fetchall()}


def neighbourhood(
    municipality: Municipality, year: int | None, wanted: set[int], size_group: int
) -> Neighbourhood:
    """The municipalities of `municipality`'s country among `wanted` (ids) or among the
    `size_group` nearest in population on either side (which hold its size group, whatever
    the ties), and their stages in `year` combined across domains (two queries)."""
    result = Neighbourhood(year)
    clamped = Greatest("population", Value(1))
    population = max(municipality.population, 1)
    country = Municipality.objects.filter(country=municipality.country).exclude(pk=municipality.pk)
    below = (
        country.alias(clamped=clamped)
        .filter(clamped__lte=population)
        .order_by("-clamped", "code")
        .values("pk")[:size_group]
    )
    above = (
        country.alias(clamped=clamped)
        .filter(clamped__gte=population)
        .order_by("clamped", "code")
        .values("pk")[:size_group]
    )
    result.municipalities = {
        m.pk: m
        for m in country.filter(Q(pk__in=sorted(wanted)) | Q(pk__in=below) | Q(pk__in=above))
        .select_related("region")
        .order_by("code")
    }
    if year is None or not result.municipalities:
        return result
    advancement = models.Case(
        *(models.When(stage=stage, then=Value(rank)) for stage, rank in v.ADVANCEMENT.items()),
        output_field=models.IntegerField(),
    )
    rows = (
        Answer.objects.filter(
            response__round__year=year, response__municipality_id__in=list(result.municipalities)
        )
        .values("response__municipality_id", "technology_id")
        .annotate(advancement=Max(advancement))
        .values_list("response__municipality_id", "technology_id", "advancement")
        .order_by()
    )
    for mid, tid, rank in rows:
        result.combined[(mid, tid)] = STAGE_BY_ADVANCEMENT[rank]
        result.responded.add(mid)
    return result


def domain_tallies(municipality_ids: list[int], year: int | None) -> dict[tuple[int, int], int]:
    """(municipality id, domain id) -> technologies in operation or scaled, for every
    domain each of the municipalities answered in `year` (one query)."""
    if year is None or not municipality_ids:
        return {}
    rows = (
        Answer.objects.filter(
            response__round__year=year, response__municipality_id__in=municipality_ids
        )
        .values("response__municipality_id", "response__domain_id")
        .annotate(in_use=Count("pk", filter=Q(stage__in=v.USING_STAGES)))
        .values_list("response__municipality_id", "response__domain_id", "in_use")
        .order_by()
    )
    return {(mid, domain_id): in_use for mid, domain_id, in_use in rows}


def domain_blips(year: int | None) -> dict[int, dict[int, Blip]]:
    """The placed blips of the latest published revision of each domain's radar in
    `year`: domain id -> technology id -> blip (one query)."""
    if year is None:
        return {}
    blips = (
        Blip.objects.filter(
            edition__round__year=year,
            edition__status=Edition.Status.PUBLISHED,
            edition__domain__isnull=False,
            suppressed=False,
        )
        .select_related("edition", "technology")
        .order_by("edition__domain_id", "-edition__revision")
    )
    revision: dict[int, int] = {}
    result: dict[int, dict[int, Blip]] = defaultdict(dict)
    for blip in blips:
        domain_id = blip.edition.domain_id
        assert domain_id is not None
        latest = revision.setdefault(domain_id, blip.edition.revision)
        if blip.edition.revision == latest:
            result[domain_id][blip.technology_id] = blip
    return dict(result)


def documented_users(technology_id: int | None = None) -> dict[int, set[int]]:
    """Technology id -> ids of municipalities with documented realised value: a
    published benefits project with a follow-up, or a published case (two queries)."""
    found: dict[int, set[int]] = defaultdict(set)
    follow_ups = FollowUp.objects.filter(project__published=True)
    links = Case.technologies.through.objects.filter(case__state=Case.State.PUBLISHED)
    if technology_id is not None:
        follow_ups = follow_ups.filter(project__technology_id=technology_id)
        links = links.filter(technology_id=technology_id)
    for tid, mid in (
        follow_ups.values_list("project__technology_id", "project__municipality_id")
        .order_by()
        .distinct()
    ):
        found[tid].add(mid)
    for tid, mid in (
        links.values_list("technology_id", "case__lead_municipality_id").order_by().distinct()
    ):
        found[tid].add(mid)
    return dict(found)


def realised_gains() -> dict[int, tuple[float, int]]:
    """Technology id -> (median realised FTE freed per year per 1,000 inhabitants,
    measured projects), from benefits realisation (one query)."""
    return realised_gain_per_inhabitant()
