"""Read the survey, the published radar and the evidence of realised value in a fixed
number of queries, and hand plain data to the pure functions in similarity.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max

from kommuneradar.benefits.models import FollowUp
from kommuneradar.benefits.queries import realised_gain_per_inhabitant
from kommuneradar.cases.models import Case
from kommuneradar.places.models import Municipality
from kommuneradar.places.naming import HOME_COUNTRY
from kommuneradar.radar.models import ALL_DOMAINS, Blip, Edition
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer

from .similarity import Place


def latest_published_year() -> int | None:
    """The newest survey year with a published radar of all domains (one query)."""
    year: int | None = (
        Edition.objects.filter(scope=ALL_DOMAINS, status=Edition.Status.PUBLISHED)
        .aggregate(year=Max("round__year"))
        .get("year")
    )
    return year


@dataclass
class Snapshot:
    """One survey year: every municipality, its stage per domain and technology, and
    its stage per technology combined across domains (the most advanced answer)."""

    year: int | None
    municipalities: dict[int, Municipality] = field(default_factory=dict)
    by_domain: dict[tuple[int, int, int], str] = field(default_factory=dict)
    combined: dict[tuple[int, int], str] = field(default_factory=dict)
    responded_domains: dict[int, set[int]] = field(default_factory=dict)

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


def snapshot(year: int | None, country: str = HOME_COUNTRY) -> Snapshot:
    """Every municipality of `country` and their answers of `year` (two queries): peers
    and mentors are found in a municipality's own country."""
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
