"""The one way to find cases: the list page, the API and the exports all call
`find_cases`, which applies the facets and then the query's search plan."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Length

from kommuneradar.catalog.models import Domain, Technology, TechnologyTerm
from kommuneradar.places.naming import split_url_code

from . import textsearch
from .models import Case, CaseQuerySet, Effect, SearchWord
from .sizebands import band_by_slug

SUGGESTED_TECHNOLOGIES = 5
# Below this trigram closeness a technology is not "near" the query; the most described
# technologies are suggested instead.
NEAR_ENOUGH = 0.25


@dataclass(frozen=True)
class CaseCriteria:
    """What a searcher asked for; empty strings mean "any"."""

    query: str = ""
    technology: str = ""
    domain: str = ""
    region: str = ""
    stage: str = ""
    with_effects: bool = False
    size_band: str = ""
    municipality: str = ""


def clean_query(query: str) -> str:
    """The query as searched: printable characters only, at most 200."""
    return "".join(c if c.isprintable() else " " for c in query).strip()[:200]


def catalogue_terms() -> list[textsearch.CatalogueTerm]:
    """Every technology's names and search terms, in one query."""
    rows = Technology.objects.values_list(
        "slug", "name_da", "name_en", "terms__term", "terms__kind"
    ).order_by("slug", "terms__term")
    terms: list[textsearch.CatalogueTerm] = []
    named: set[str] = set()
    for slug, name_da, name_en, term, kind in rows:
        if slug not in named:
            named.add(slug)
            terms += [
                textsearch.CatalogueTerm(slug, name_da),
                textsearch.CatalogueTerm(slug, name_en),
            ]
        if term:
            expands = kind != TechnologyTerm.Kind.BROADER
            terms.append(textsearch.CatalogueTerm(slug, term, expands))
    return terms


def _vocabulary(condition: Q) -> dict[str, str]:
    return dict(SearchWord.objects.filter(condition).values_list("word", "stem"))


def _lookup_condition(lookups: textsearch.Lookups) -> Q:
    condition = Q(word__in=lookups.exact_words) | Q(stem__in=lookups.exact_stems)
    for part in lookups.containing_words:
        condition |= Q(word__contains=part)
    for part in lookups.containing_stems:
        condition |= Q(stem__contains=part)
    return condition


def _near(column: str, lookup: textsearch.SpellingLookup) -> Q:
    """The SQL of `lookup.near` on one column of the vocabulary."""
    length = Q(
        **{f"{column}_length__gte": lookup.shortest, f"{column}_length__lte": lookup.longest}
    )
    pieces = reduce(operator.or_, (Q(**{f"{column}__contains": p}) for p in lookup.pieces))
    return length & pieces


def plan_for(query: str) -> textsearch.SearchPlan:
    """The search plan for a typed query: two small queries (the catalogue and the
    vocabulary rows the query may need), a third only when a word is unknown (the
    vocabulary rows near it, for spelling slips). The same plan on either database."""
    query = clean_query(query)
    catalogue = catalogue_terms()
    vocabulary = _vocabulary(_lookup_condition(textsearch.vocabulary_lookups(query)))
    unknown = textsearch.unknown_words(query, vocabulary, catalogue)
    lookups = textsearch.spelling_lookups(unknown)
    if lookups:
        near = reduce(
            operator.or_,
            (_near(column, lookup) for lookup in lookups for column in ("word", "stem")),
        )
        vocabulary |= dict(
            SearchWord.objects.annotate(word_length=Length("word"), stem_length=Length("stem"))
            .filter(near)
            .values_list("word", "stem")
        )
    return textsearch.plan_search(query, vocabulary, catalogue)


def find_cases(
    criteria: CaseCriteria,
    cases: CaseQuerySet | None = None,
    *,
    plan: textsearch.SearchPlan | None = None,
) -> CaseQuerySet:
    """Published cases (or `cases`, for a workspace) matching every facet and the query
    (its `plan`, made here unless given); best match first when there is a query, newest
    first otherwise."""
    cases = Case.objects.published() if cases is None else cases
    through = Case.technologies.through.objects
    if criteria.technology:
        cases = cases.filter(
            id__in=through.filter(technology__slug=criteria.technology).values("case_id")
        )
    if criteria.domain:
        in_domain = Case.domains.through.objects.filter(domain__slug=criteria.domain)
        cases = cases.filter(id__in=in_domain.values("case_id"))
    if criteria.region:
        cases = cases.filter(lead_municipality__region__code=criteria.region)
    if criteria.stage:
        cases = cases.filter(stage=criteria.stage)
    if criteria.with_effects:
        cases = cases.filter(id__in=Effect.objects.values("case_id"))
    band = band_by_slug(criteria.size_band)
    if band is not None:
        cases = cases.filter(lead_municipality__population__gte=band.low)
        if band.high is not None:
            cases = cases.filter(lead_municipality__population__lt=band.high)
    if criteria.municipality:
        country, code = split_url_code(criteria.municipality)
        partners = Case.partner_municipalities.through.objects.filter(
            municipality__country=country, municipality__code=code
        )
        cases = cases.filter(
            Q(lead_municipality__country=country, lead_municipality__code=code)
            | Q(id__in=partners.values("case_id"))
        )
    if clean_query(criteria.query):
        cases = cases.matching(plan or plan_for(criteria.query))
    else:
        cases = cases.order_by("-published_at", "-id")
    return cases.select_related("lead_municipality__region").prefetch_related(
        "technologies", Prefetch("effects", queryset=Effect.objects.all())
    )


def attach_snippets(cases: list[Case], plan: textsearch.SearchPlan | None) -> None:
    """Give each case on a page `snippet`: (text, is_match) segments of its summary around
    the words the plan looked for (the whole summary when there is no query)."""
    for case in cases:
        if plan is not None and plan.required:
            segments = textsearch.highlight_segments(case.summary, plan)
        else:
            segments = [(case.summary, False)]
        setattr(case, "snippet", segments)  # noqa: B010


@dataclass(frozen=True)
class Suggestion:
    """A facet value to try instead: its URL parameter and value, name and case count."""

    parameter: str
    value: str
    name: str
    cases: int


@dataclass(frozen=True)
class Suggestions:
    """What a search without hits offers instead: technologies (`near`: close to the typed
    words; otherwise the most described ones) and domains, each with its published cases."""

    technologies: list[Suggestion]
    near: bool
    domains: list[Suggestion]


def suggestions_for(query: str) -> Suggestions:
    """For a search without hits: the technologies with published cases nearest to the
    query (by trigram closeness to their names and terms), else those with the most
    published cases, and the domains with published cases. Three queries."""
    closeness = textsearch.technology_closeness(clean_query(query), catalogue_terms())
    published = Count("cases", filter=Q(cases__state=Case.State.PUBLISHED))
    technologies = [
        (slug, Technology(name_da=name_da, name_en=name_en).name, count)
        for slug, name_da, name_en, count in Technology.objects.annotate(published=published)
        .values_list("slug", "name_da", "name_en", "published")
        .order_by("name_da")
    ]
    described = [row for row in technologies if row[2]]
    near = [row for row in described if closeness.get(row[0], 0.0) >= NEAR_ENOUGH]
    is_near = bool(near)
    if is_near:
        near.sort(key=lambda row: -closeness[row[0]])
    else:
        near = sorted(described, key=lambda row: -row[2])
    domains = [
        Suggestion("fagomraade", slug, Domain(name_da=name_da, name_en=name_en).name, count)
        for slug, name_da, name_en, count in Domain.objects.annotate(published=published)
        .filter(published__gt=0)
        .values_list("slug", "name_da", "name_en", "published")
    ]
    return Suggestions(
        [
            Suggestion("teknologi", slug, name, count)
            for slug, name, count in near[:SUGGESTED_TECHNOLOGIES]
        ],
        is_near,
        domains,
    )
