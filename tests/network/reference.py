"""The peers and mentors of a municipality page as they were computed before the
municipality page read only a bounded set of others (commit 3e60a64): every answer of the
municipality's country for the year, read into Python. Kept here, only for the tests, as
the reference the bounded reading must agree with exactly."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.network import services as current
from kommuneradar.network import similarity as sim
from kommuneradar.network.queries import (
    documented_users,
    domain_blips,
    latest_published_year,
    realised_gains,
)
from kommuneradar.network.services import (
    IN_PROGRESS_STAGES,
    RECOMMENDATIONS_SHOWN,
    RECOMMENDED_RINGS,
    ComparisonRow,
    MatchRow,
    Profile,
    RecommendationRow,
    WorkRow,
    _match_rows,
)
from kommuneradar.places.models import Municipality
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer


@dataclass
class Snapshot:
    year: int | None
    municipalities: dict[int, Municipality] = field(default_factory=dict)
    by_domain: dict[tuple[int, int, int], str] = field(default_factory=dict)
    combined: dict[tuple[int, int], str] = field(default_factory=dict)
    responded_domains: dict[int, set[int]] = field(default_factory=dict)

    def portfolio(self, municipality_id: int) -> frozenset[int]:
        return frozenset(
            tid
            for (mid, tid), stage in self.combined.items()
            if mid == municipality_id and stage in v.USING_STAGES
        )

    def places(self) -> dict[int, sim.Place]:
        in_use: dict[int, set[int]] = defaultdict(set)
        for (mid, tid), stage in self.combined.items():
            if stage in v.USING_STAGES:
                in_use[mid].add(tid)
        return {
            mid: sim.Place(m.url_code, m.population, m.region_code, frozenset(in_use.get(mid, ())))
            for mid, m in self.municipalities.items()
        }


def snapshot(year: int | None, country: str) -> Snapshot:
    result = Snapshot(year)
    result.municipalities = {
        m.pk: m
        for m in Municipality.objects.filter(country=country)
        .select_related("region")
        .order_by("code")
    }
    if year is None:
        return result
    rows = Answer.objects.filter(
        response__round__year=year, response__municipality__country=country
    ).values_list("response__municipality_id", "response__domain_id", "technology_id", "stage")
    for mid, domain_id, tid, stage in rows.iterator(chunk_size=5000):
        result.by_domain[(mid, domain_id, tid)] = stage
        result.responded_domains.setdefault(mid, set()).add(domain_id)
        if v.is_more_advanced(stage, result.combined.get((mid, tid))):
            result.combined[(mid, tid)] = stage
    return result


def _stages_by_technology(data: Snapshot) -> dict[int, dict[str, str]]:
    result: dict[int, dict[str, str]] = defaultdict(dict)
    for (mid, tid), stage in data.combined.items():
        result[tid][data.municipalities[mid].url_code] = stage
    return result


def _comparison(
    municipality: Municipality, data: Snapshot, group: list[int], domains: list[Domain]
) -> list[ComparisonRow]:
    in_use: dict[tuple[int, int], int] = defaultdict(int)
    for (mid, domain_id, _tid), stage in data.by_domain.items():
        if stage in v.USING_STAGES:
            in_use[(mid, domain_id)] += 1
    rows = []
    for domain in domains:
        answered = [mid for mid in group if domain.pk in data.responded_domains.get(mid, set())]
        own_answered = domain.pk in data.responded_domains.get(municipality.pk, set())
        if not answered and not own_answered:
            continue
        mean = (
            sum(in_use[(mid, domain.pk)] for mid in answered) / len(answered) if answered else None
        )
        own = in_use[(municipality.pk, domain.pk)] if own_answered else None
        rows.append(ComparisonRow(domain.name, own, mean, len(answered)))
    portfolios = [len(data.portfolio(mid)) for mid in group if mid in data.responded_domains]
    if municipality.pk in data.responded_domains or portfolios:
        rows.append(
            ComparisonRow(
                _("All domains"),
                len(data.portfolio(municipality.pk))
                if municipality.pk in data.responded_domains
                else None,
                sum(portfolios) / len(portfolios) if portfolios else None,
                len(portfolios),
            )
        )
    return rows


def reference_profile(municipality: Municipality) -> Profile:
    """The peer, mentor, size-group, comparison and recommendation parts of the profile,
    computed as before (the stages over the rounds, programmes and projects are left
    empty: they did not read the snapshot). The sizes of the groups and lists are read
    from services.py when called, so a test can make them small beside its data."""
    year = latest_published_year()
    profile = Profile(municipality, year)
    domains = list(Domain.objects.all())
    technologies = {t.pk: t for t in Technology.objects.all()}
    blips = domain_blips(year)
    data = snapshot(year, municipality.country)
    places = data.places()
    by_code = {m.url_code: m for m in data.municipalities.values()}
    mid_by_code = {m.url_code: mid for mid, m in data.municipalities.items()}
    target = places.get(municipality.pk) or sim.Place(
        municipality.url_code, municipality.population, municipality.region_code
    )
    others = [p for mid, p in places.items() if mid != municipality.pk]

    size_group = sim.size_group(target, others, current.SIZE_GROUP_SIZE)
    profile.size_group = [by_code[p.code] for p in size_group]
    profile.comparison = _comparison(
        municipality, data, [mid_by_code[p.code] for p in size_group], domains
    )

    documented = documented_users()
    gains = realised_gains()
    stages_by_tech = _stages_by_technology(data)
    documented_codes = {
        tid: {data.municipalities[mid].url_code for mid in mids if mid in data.municipalities}
        for tid, mids in documented.items()
    }

    def mentor_rows(tid: int) -> list[MatchRow]:
        stages = stages_by_tech.get(tid, {})
        users = [code for code, stage in stages.items() if stage in v.USING_STAGES]
        found = sim.mentors(
            target, others, users, documented_codes.get(tid, set()), limit=current.MENTORS_SHOWN
        )
        return _match_rows(found, by_code, stages)

    portfolio = target.portfolio
    profile.in_use = sorted((technologies[tid] for tid in portfolio), key=lambda t: t.name_da)
    similar = [
        places[mid_by_code[m.code]]
        for m in sim.rank_by_similarity(target, others)
        if mid_by_code[m.code] in data.responded_domains
    ][: current.SIMILAR_GROUP_SIZE]

    candidates: dict[int, tuple[str, list[Domain]]] = {}
    answered = data.responded_domains.get(municipality.pk, set())
    for domain in domains:
        if domain.pk not in answered:
            continue
        for tid, blip in blips.get(domain.pk, {}).items():
            if blip.ring not in RECOMMENDED_RINGS or tid in portfolio:
                continue
            if data.by_domain.get((municipality.pk, domain.pk, tid)) == v.NOT_RELEVANT:
                continue
            ring, in_domains = candidates.get(tid, (blip.ring, []))
            best_ring = min(ring, blip.ring, key=lambda r: sim.RING_ORDER[r])
            candidates[tid] = (best_ring, [*in_domains, domain])
    ranked = sim.recommend(
        (
            sim.Candidate(
                tid,
                ring,
                sum(1 for p in similar if tid in p.portfolio),
                len(similar),
                gains[tid][0] if tid in gains else None,
                gains[tid][1] if tid in gains else 0,
            )
            for tid, (ring, _domains) in candidates.items()
        ),
        municipality.population,
    )
    profile.recommendation_basis = ranked[0].basis if ranked else sim.BASIS_PEERS_ONLY
    profile.recommendations = [
        RecommendationRow(
            technologies[r.candidate.technology_id],
            r,
            candidates[r.candidate.technology_id][1],
            r.candidate.ring,
            mentor_rows(r.candidate.technology_id),
        )
        for r in ranked[:RECOMMENDATIONS_SHOWN]
    ]

    own_stages = {
        tid: stage for (mid, tid), stage in data.combined.items() if mid == municipality.pk
    }
    profile.in_progress = [
        WorkRow(
            technologies[tid],
            stage,
            _match_rows(
                sim.peers(
                    target, others, stages_by_tech.get(tid, {}), stage, limit=current.PEERS_SHOWN
                ),
                by_code,
                stages_by_tech.get(tid, {}),
            ),
            mentor_rows(tid),
        )
        for tid, stage in sorted(own_stages.items(), key=lambda i: technologies[i[0]].name_da)
        if stage in IN_PROGRESS_STAGES
    ]
    return profile
