"""Demo data: deterministic, plausible, refuses real data, labelled on every page."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kommuneradar.demo.bass import bass_cumulative
from kommuneradar.demo.survey_data import load
from kommuneradar.radar.models import Blip, Edition
from kommuneradar.surveys.models import Answer, Response, Round
from tests.conftest import MakeRound


def test_bass_curve_rises_from_zero_towards_one() -> None:
    values = [bass_cumulative(t, 0.03, 0.4) for t in range(0, 40)]
    assert values[0] == 0 and values == sorted(values) and values[-1] > 0.99


def answers_fingerprint() -> list[tuple[object, ...]]:
    return list(
        Answer.objects.order_by(
            "response__round__year",
            "response__municipality__code",
            "response__domain__slug",
            "technology__slug",
        ).values_list(
            "response__round__year",
            "response__municipality__code",
            "response__domain__slug",
            "technology__slug",
            "stage",
            "value_efficiency",
        )
    )


@pytest.mark.django_db(transaction=False)
def test_survey_demo_is_deterministic_and_plausible(db: Any) -> None:
    load(7, StringIO())
    first = answers_fingerprint()
    assert {r.year for r in Round.objects.all()} == {2021, 2022, 2023, 2024}
    responses_2024 = Response.objects.filter(round__year=2024)
    assert responses_2024.values("municipality").distinct().count() == 98
    assert responses_2024.count() < 98 * 8  # a response rate below 100 %
    rings = set(Blip.objects.filter(edition__scope="alle").values_list("computed_ring", flat=True))
    assert {"klar", "afproev", "hold_oeje"} <= rings
    assert Edition.objects.filter(status="published").count() == 4 * 9
    Answer.objects.all().delete()
    Edition.objects.all().delete()
    Response.objects.all().delete()
    Round.objects.all().delete()
    from kommuneradar.catalog.models import MaturityRating

    MaturityRating.objects.all().delete()
    load(7, StringIO())
    assert answers_fingerprint() == first


def test_load_demo_refuses_a_database_with_real_answers(make_round: MakeRound) -> None:
    make_round(2024, {"skaermbesoeg": ["scaled"] * 5})
    with pytest.raises(CommandError, match="real survey answers"):
        call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "Skipped" in out.getvalue()
    assert Round.objects.count() == 1
