"""A round's editions come from answers counted by the database (GROUP BY, and a window
function for "a municipality counts once across domains, by its most advanced answer"),
with exactly the results of the former loop over every answer, kept here as the reference."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.demo import survey_data
from kommuneradar.radar import editions
from kommuneradar.radar import placement as p
from kommuneradar.radar.models import ALL_DOMAINS, Edition, PlacementRules, RingOverride
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Round
from tests.conftest import MakeRound

Facts = dict[int, list[p.AnswerFact]]


def loop_over_every_answer(
    round_: Round,
) -> list[tuple[str, Domain | None, dict[int, list[p.StageTally]], int]]:
    """The former computation: every answer read into Python, one fact per answer, the
    all-domains scope reduced per municipality by `placement.combine_by_municipality`."""
    facts: dict[str, Facts] = defaultdict(lambda: defaultdict(list))
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
    scopes: list[tuple[str, Domain | None, Facts]] = [
        (domain.slug, domain, facts.get(domain.slug, {})) for domain in Domain.objects.all()
    ]
    combined: Facts = defaultdict(list)
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
    return [
        (
            scope,
            domain,
            {tid: p.tallies(answers) for tid, answers in by_technology.items()},
            len({a.municipality for answers in by_technology.values() for a in answers}),
        )
        for scope, domain, by_technology in scopes
    ]


def blip_rows_both_ways(round_: Round) -> tuple[list[Any], list[Any]]:
    rules = PlacementRules.current()
    ratings = editions._ratings_for(round_.year)
    technologies = list(Technology.objects.select_related("quadrant").prefetch_related("domains"))
    overrides = {(o.scope, o.technology_id): o for o in RingOverride.objects.filter(round=round_)}

    def rows(scopes: list[Any]) -> list[Any]:
        result = []
        for scope, domain, by_technology, respondents in scopes:
            relevant = [t for t in technologies if domain is None or domain in t.domains.all()]
            placed = editions._blip_rows(
                round_, scope, by_technology, relevant, ratings, rules, overrides
            )
            result.append((scope, respondents, placed))
        return result

    return rows(loop_over_every_answer(round_)), rows(editions.scope_tallies(round_))


@pytest.mark.django_db
def test_the_demo_editions_are_the_same_from_sql_as_from_the_loop() -> None:
    survey_data.load(7, io.StringIO())
    rounds = list(Round.objects.order_by("year"))
    assert len(rounds) == 4
    for round_ in rounds:
        by_loop, by_sql = blip_rows_both_ways(round_)
        assert len(by_loop) == Domain.objects.count() + 1
        assert by_sql == by_loop, round_.year
        assert sum(len(placed) for _scope, _n, placed in by_sql) > 50
    # And the stored editions carry the same fingerprints as the loop's rows.
    latest = rounds[-1]
    rules = PlacementRules.current()
    by_loop, _by_sql = blip_rows_both_ways(latest)
    for scope, respondents, placed in by_loop:
        edition = Edition.objects.filter(round=latest, scope=scope).latest("revision")
        assert edition.fingerprint == editions._fingerprint(placed, rules)
        assert edition.respondents == respondents


def test_a_tie_across_domains_goes_to_the_domain_listed_first(make_round: MakeRound) -> None:
    # The same municipalities answer in two domains: the same stage, different values.
    use = ["in_operation"] * 6
    round_ = make_round(2024, {"skaermbesoeg": use}, domain="social")
    for answer in Answer.objects.filter(response__round=round_):
        answer.value_quality = "large"
        answer.save()
    make_round(2024, {"skaermbesoeg": use}, domain="sundhed-og-aeldre")
    by_loop, by_sql = blip_rows_both_ways(round_)
    assert by_sql == by_loop


def test_computing_a_round_takes_the_same_queries_however_many_answers(
    make_round: MakeRound,
) -> None:
    def queries(year: int, municipalities: int) -> int:
        stages = (["in_operation", "considering", "scaled", "not_relevant"] * 30)[:municipalities]
        round_ = make_round(year, {"skaermbesoeg": stages, "rpa": stages[::-1]})
        with CaptureQueriesContext(connection) as captured:
            editions.compute_round(round_)
        return len(captured.captured_queries)

    assert queries(2023, 6) == queries(2024, 90)
