"""`load_scale_demo`: a synthetic country of many local governments, the same for the same
seed, refused twice without --replace, its rounds published so the radar pages show them.
Small sizes here (SQLite's plain inserts or PostgreSQL's COPY, whichever the suite runs on)."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.demo import scale_model as sm
from kommuneradar.places.models import Municipality
from kommuneradar.radar.models import Edition
from kommuneradar.surveys.models import Answer, Round

ORGANISATIONS = 12


def answers_digest() -> str:
    rows = Answer.objects.filter(response__municipality__country=sm.COUNTRY).values_list(
        "response__round__year",
        "response__municipality__code",
        "response__domain__slug",
        "technology__slug",
        "stage",
        "value_efficiency",
        "value_quality",
        "value_wellbeing",
    )
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()


def load(*extra: str) -> str:
    out = StringIO()
    call_command(
        "load_scale_demo",
        "--organisations",
        str(ORGANISATIONS),
        "--rounds",
        "2",
        *extra,
        stdout=out,
    )
    return out.getvalue()


@pytest.mark.django_db
def test_it_writes_every_answer_and_publishes_the_rounds(client: Client) -> None:
    printed = load()
    assert Municipality.objects.filter(country=sm.COUNTRY).count() == ORGANISATIONS
    assert Answer.objects.count() == ORGANISATIONS * 8 * 30 * 2
    assert "100%" in printed and "answers [" in printed
    for year in (2023, 2024):
        assert Round.objects.get(year=year).status == Round.Status.PUBLISHED
        assert (
            Edition.objects.filter(round__year=year, status=Edition.Status.PUBLISHED).count() == 9
        )
    page = client.get("/radar/2024/")
    assert page.status_code == 200
    first = Municipality.objects.filter(country=sm.COUNTRY).order_by("code").first()
    assert first is not None and first.code == "S00001"
    assert client.get(f"/kommuner/xs/{first.code}/").status_code == 200


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_a_second_load_needs_replace() -> None:
    load()
    before = answers_digest()
    with pytest.raises(CommandError, match="already holds scale data"):
        load()
    load("--replace")
    assert answers_digest() == before
    assert Municipality.objects.filter(country=sm.COUNTRY).count() == ORGANISATIONS
    load("--replace", "--seed", "7")
    assert answers_digest() != before


@pytest.mark.django_db
def test_sqlite_refuses_the_full_size_with_a_clear_message() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL takes the full size (with COPY)")
    with pytest.raises(CommandError, match="too many for SQLite"):
        call_command("load_scale_demo", "--organisations", "10000", "--rounds", "4")
    assert not Municipality.objects.filter(country=sm.COUNTRY).exists()


def test_codes_fit_ten_characters_and_are_unique() -> None:
    found = sm.organisations(300, seed=1)
    assert len({o.code for o in found}) == 300
    assert all(len(o.code) <= 10 for o in found)
    assert sm.organisation_code(99_999_999, 99_999_999) == "S99999999"


def test_the_same_seed_gives_the_same_organisations() -> None:
    assert sm.organisations(50, seed=3) == sm.organisations(50, seed=3)
    assert sm.organisations(50, seed=3) != sm.organisations(50, seed=4)


ORDER = [sm.NOT_CONSIDERING, sm.CONSIDERING, sm.PILOTING, sm.IN_OPERATION, sm.SCALED]


@given(st.floats(-20, 20), st.floats(0, 20), st.floats(0.03, 1))
def test_a_later_survey_never_reports_an_earlier_stage(
    years: float, later: float, drop: float
) -> None:
    before, after = sm.stage_for(years, drop), sm.stage_for(years + later, drop)
    assert ORDER.index(after) >= ORDER.index(before)


@given(st.integers(2000, 2040), st.floats(2000, 2050), st.floats(1, 5))
def test_ratings_stay_on_the_scale(year: int, median: float, spread: float) -> None:
    assert 1 <= sm.maturity_rating(sm.Course(median, spread), year) <= 9
