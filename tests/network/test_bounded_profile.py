"""The municipality page reads its country's answers in aggregate and only a bounded set of
other municipalities; its peers, mentors, size group, comparison and recommendations are
exactly those of reading every answer of the country (tests/network/reference.py), on
varied surveys: ties in population and similarity, municipalities without a region or
without answers, answers that are not relevant, documented realised value."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kommuneradar.cases.models import Case
from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.network import queries, services
from kommuneradar.network import similarity as sim
from kommuneradar.network.services import Profile, municipality_profile
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from kommuneradar.surveys import vocabulary as v
from kommuneradar.surveys.models import Answer, Response, Round
from tests.conftest import MakeRound
from tests.core.test_page_queries import _data

from .reference import reference_profile, snapshot

pytestmark = pytest.mark.django_db

TECHNOLOGIES = ("skaermbesoeg", "rpa", "sensorer", "telemedicin")
DOMAINS = ("sundhed-og-aeldre", "social")
# Equal populations, a factor of ten on either side of 10,000 (the same distance on a log
# scale), populations below 1 (counted as 1 inhabitant), and near neighbours.
POPULATIONS = (0, 1, 1000, 10_000, 10_000, 10_001, 100_000, 55_000, 9_999)


def assert_same(new: Profile, old: Profile) -> None:
    assert [m.pk for m in new.size_group] == [m.pk for m in old.size_group]
    assert new.comparison == old.comparison
    assert new.in_use == old.in_use
    assert new.recommendation_basis == old.recommendation_basis
    assert new.recommendations == old.recommendations
    assert new.in_progress == old.in_progress


@st.composite
def surveys(draw: Any) -> dict[str, Any]:
    count = draw(st.integers(min_value=5, max_value=24))
    stage = st.one_of(st.none(), st.sampled_from(v.STAGES))
    answers = draw(
        st.lists(
            st.lists(
                st.lists(stage, min_size=len(TECHNOLOGIES), max_size=len(TECHNOLOGIES)),
                min_size=len(DOMAINS),
                max_size=len(DOMAINS),
            ),
            min_size=count,
            max_size=count,
        )
    )
    return {
        "answers": answers,
        "populations": draw(
            st.lists(st.sampled_from(POPULATIONS), min_size=count + 3, max_size=count + 3)
        ),
        "without_region": draw(st.sets(st.integers(0, count + 2), max_size=4)),
        "target": draw(st.integers(0, count + 2)),
        "documented": draw(
            st.lists(
                st.tuples(st.integers(0, count + 2), st.sampled_from(TECHNOLOGIES)), max_size=4
            )
        ),
        "rating": draw(st.integers(min_value=5, max_value=9)),
        # Groups and lists much shorter than the survey, so that a shortlist that misses
        # someone shows.
        "shown": {
            "SIMILAR_GROUP_SIZE": draw(st.integers(1, 4)),
            "SIZE_GROUP_SIZE": draw(st.integers(1, 4)),
            "MENTORS_SHOWN": draw(st.integers(1, 3)),
            "PEERS_SHOWN": draw(st.integers(1, 3)),
        },
    }


def _build(survey: dict[str, Any]) -> Municipality:
    """The first municipalities by code answer (None: no answer to that technology; a
    response may have none at all), with the drawn populations and regions."""
    places = list(Municipality.objects.order_by("code")[: len(survey["populations"])])
    for place, population in zip(places, survey["populations"], strict=True):
        place.population = population
    for index in survey["without_region"]:
        places[index].region = None
    Municipality.objects.bulk_update(places, ["population", "region"])
    round_ = Round.objects.create(
        year=2024,
        opens_on=dt.date(2024, 2, 1),
        closes_on=dt.date(2024, 3, 31),
        status=Round.Status.CLOSED,
    )
    technologies = [Technology.objects.get(slug=slug) for slug in TECHNOLOGIES]
    domains = [Domain.objects.get(slug=slug) for slug in DOMAINS]
    for technology in technologies:
        technology.domains.add(*domains)
        MaturityRating.objects.update_or_create(
            technology=technology, year=2024, defaults={"rating": survey["rating"]}
        )
    for place, by_domain in zip(places, survey["answers"], strict=False):
        for domain, stages in zip(domains, by_domain, strict=True):
            response = Response.objects.create(round=round_, municipality=place, domain=domain)
            Answer.objects.bulk_create(
                Answer(response=response, technology=technology, stage=stage)
                for technology, stage in zip(technologies, stages, strict=True)
                if stage is not None
            )
    if Answer.objects.filter(response__round=round_).exists():
        compute_round(round_, publish=True)
    for index, slug in survey["documented"]:
        case = Case.objects.create(
            title=f"Case {index} {slug}",
            summary="Kort.",
            lead_municipality=places[index],
            state=Case.State.PUBLISHED,
        )
        case.technologies.add(Technology.objects.get(slug=slug))
    return Municipality.objects.select_related("region").get(pk=places[survey["target"]].pk)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(survey=surveys())
def test_peers_mentors_and_groups_are_exactly_those_of_reading_every_answer(
    survey: dict[str, Any],
) -> None:
    with transaction.atomic(), mock.patch.multiple(services, **survey["shown"]):
        target = _build(survey)
        assert_same(services.municipality_profile(target), reference_profile(target))
        assert_similar_group_shortlisted(target, survey["shown"]["SIMILAR_GROUP_SIZE"])
        transaction.set_rollback(True)


def assert_similar_group_shortlisted(target: Municipality, size: int) -> None:
    """The similar group (the most similar that answered) is inside the shortlist: a
    difference there would often not show in the profile, whose mentors and peers are
    shortlisted too."""
    year = queries.latest_published_year()
    if year is None:
        return
    data = snapshot(year, target.country)
    places = data.places()
    mid_by_code = {m.url_code: mid for mid, m in data.municipalities.items()}
    others = [place for mid, place in places.items() if mid != target.pk]
    ranked = [mid_by_code[m.code] for m in sim.rank_by_similarity(places[target.pk], others)]
    similar = [mid for mid in ranked if mid in data.responded_domains][:size]
    shown = {"similar": size, "mentors": 0, "peers": 0}
    wanted = queries.shortlist(target, year, places[target.pk].portfolio, frozenset(), shown)
    assert set(similar) <= wanted


def test_the_demo_municipalities_have_the_same_peers_and_mentors_as_before(
    make_round: MakeRound,
) -> None:
    _data(make_round, 40, (2023, 2024))
    for municipality in Municipality.objects.select_related("region").order_by("code")[:45]:
        assert_same(municipality_profile(municipality), reference_profile(municipality))


def test_another_countrys_local_governments_have_the_same_peers_and_mentors_as_before(
    make_round: MakeRound,
) -> None:
    _data(make_round, 12, (2024,))
    call_command("load_scale_demo", "--organisations", "60", "--rounds", "1", stdout=StringIO())
    foreign = Municipality.objects.filter(country="XS").select_related("region").order_by("code")
    assert foreign.count() == 60
    profiles = [(m, municipality_profile(m)) for m in foreign[:20]]
    assert any(profile.in_progress for _m, profile in profiles)
    assert any(profile.recommendations for _m, profile in profiles)
    for municipality, profile in profiles:
        assert_same(profile, reference_profile(municipality))
