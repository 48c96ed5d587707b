"""A round's tallies, per domain and for all domains together, come from one statement over
the answers (GROUPING SETS on PostgreSQL, a portable UNION ALL elsewhere), and are exactly
what a straightforward count of every answer in Python gives, on varied rounds: municipalities
answering in some domains and not others, responses without answers, every stage and value,
and many ties across domains between answers with different values."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

import pytest
from django.db import connection

from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.radar import editions
from kommuneradar.radar import placement as p
from kommuneradar.radar.models import ALL_DOMAINS
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Response, Round

Counted = dict[str, tuple[dict[int, list[p.StageTally]], int]]


def varied_round(seed: int) -> Round:
    rng = random.Random(seed)
    round_ = Round.objects.create(
        year=2040 + seed,
        opens_on=dt.date(2040 + seed, 2, 1),
        closes_on=dt.date(2040 + seed, 3, 31),
        status=Round.Status.CLOSED,
    )
    domains = list(Domain.objects.order_by("order"))
    technologies = list(Technology.objects.order_by("pk")[:6])
    # few stages in some rounds, so that many answers tie across domains
    stages = rng.sample(v.STAGES, rng.choice((2, 3, len(v.STAGES))))
    answers = []
    for municipality in Municipality.objects.order_by("code")[:40]:
        for domain in rng.sample(domains, rng.randint(0, len(domains))):
            response = Response.objects.create(
                round=round_, municipality=municipality, domain=domain
            )
            for technology in rng.sample(technologies, rng.randint(0, len(technologies))):
                answers.append(
                    Answer(
                        response=response,
                        technology=technology,
                        stage=rng.choice(stages),
                        **{field: rng.choice(("", *v.VALUES)) for field in v.VALUE_FIELDS},
                    )
                )
    Answer.objects.bulk_create(answers)
    return round_


def counted_in_python(round_: Round) -> Counted:
    """Every answer read and counted in Python: in its domain; across domains, each
    municipality once, by its most advanced answer, a tie going to the domain in which the
    lowest-numbered municipality answered, then to the domain listed first."""
    rows = list(
        Answer.objects.filter(response__round=round_).values_list(
            "response__domain_id",
            "response__municipality__code",
            "technology_id",
            "stage",
            *v.VALUE_FIELDS,
        )
    )
    domains = {domain.pk: domain for domain in Domain.objects.all()}
    first_code: dict[int, str] = {}
    for domain_id, code, *_rest in rows:
        first_code[domain_id] = min(code, first_code.get(domain_id, code))
    rank = {
        domain_id: index
        for index, domain_id in enumerate(
            sorted(
                first_code,
                key=lambda d: (first_code[d], domains[d].order, domains[d].slug),
            )
        )
    }
    facts: dict[int, dict[int, list[p.AnswerFact]]] = defaultdict(lambda: defaultdict(list))
    by_municipality: dict[tuple[str, int], list[tuple[int, p.AnswerFact]]] = defaultdict(list)
    respondents: dict[int, set[str]] = defaultdict(set)
    for domain_id, code, technology_id, stage, *values in rows:
        fact = p.AnswerFact(code, stage, dict(zip(v.DIMENSIONS, values, strict=True)))
        facts[domain_id][technology_id].append(fact)
        by_municipality[(code, technology_id)].append((rank[domain_id], fact))
        respondents[domain_id].add(code)
    combined: dict[int, list[p.AnswerFact]] = defaultdict(list)
    for (_code, technology_id), ranked in by_municipality.items():
        in_rank_order = [fact for _rank, fact in sorted(ranked, key=lambda pair: pair[0])]
        combined[technology_id].append(p.combine_domains(in_rank_order))
    result: Counted = {
        domain.slug: (
            {tid: p.tallies(answers) for tid, answers in facts[domain.pk].items()},
            len(respondents[domain.pk]),
        )
        for domain in domains.values()
    }
    result[ALL_DOMAINS] = (
        {tid: p.tallies(answers) for tid, answers in combined.items()},
        len(set().union(*respondents.values())),
    )
    return result


def comparable(counted: Counted) -> dict[str, Any]:
    return {
        scope: (
            {
                technology_id: sorted(tallies, key=lambda tally: tally.stage)
                for technology_id, tallies in by_technology.items()
            },
            respondents,
        )
        for scope, (by_technology, respondents) in counted.items()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("statement", ["grouping sets", "portable"])
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_tallies_are_those_of_counting_every_answer(
    statement: str, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    if statement == "grouping sets" and connection.vendor != "postgresql":
        pytest.skip("GROUPING SETS are read on PostgreSQL only")
    if statement == "portable":
        monkeypatch.setattr(editions, "GROUPING_SETS_UP_TO", 0)
    round_ = varied_round(seed)
    assert Answer.objects.filter(response__round=round_).count() > 100
    from_sql: Counted = {
        scope: (by_technology, respondents)
        for scope, _domain, by_technology, respondents in editions.scope_tallies(round_)
    }
    assert comparable(from_sql) == comparable(counted_in_python(round_))


@pytest.mark.django_db
def test_a_round_answered_in_one_domain_counts_the_same_for_all_domains() -> None:
    round_ = varied_round(5)
    Response.objects.filter(round=round_).exclude(
        domain=Domain.objects.order_by("order").first()
    ).delete()
    scopes = {scope: (tallies, n) for scope, _d, tallies, n in editions.scope_tallies(round_)}
    first = Domain.objects.order_by("order").first()
    assert first is not None
    assert comparable({"x": scopes[first.slug]}) == comparable({"x": scopes[ALL_DOMAINS]})
    assert comparable(scopes) == comparable(counted_in_python(round_))


@pytest.mark.django_db
def test_counting_leaves_the_callers_transaction_its_settings() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the statement changes settings on PostgreSQL only")
    round_ = varied_round(6)
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()
        editions.scope_tallies(round_)
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone() == before
