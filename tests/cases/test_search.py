"""The one search, on whichever database runs the suite (SQLite and PostgreSQL in CI)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kommuneradar.cases.search import CaseCriteria, find_cases
from kommuneradar.places.models import Municipality

from .factories import make_case


def titles(**criteria: Any) -> list[str]:
    return [case.title for case in find_cases(CaseCriteria(**criteria))]


def test_a_word_in_another_form_finds_the_case(vejle: Municipality) -> None:
    make_case(vejle, title="Hjemmeplejen flytter besøg til skærm", summary="Vi bruger skærmbesøg.")
    make_case(
        vejle,
        title="Robotter i lønkontoret",
        summary="Fakturaer bogføres automatisk.",
        technologies=("rpa",),
    )
    assert titles(query="skærmbesøgene") == ["Hjemmeplejen flytter besøg til skærm"]


def test_the_plural_definite_form_in_a_case_is_found_by_the_bare_word(
    vejle: Municipality,
) -> None:
    make_case(
        vejle,
        title="Aftenvagten",
        summary="Skærmbesøgene om aftenen sparer kørsel.",
        technologies=("apps",),
    )
    make_case(vejle, title="Dagvagten", summary="Kørsel hele dagen.", technologies=("apps",))
    assert titles(query="skærmbesøg") == ["Aftenvagten"]


def test_a_title_match_ranks_above_a_body_match(vejle: Municipality) -> None:
    make_case(
        vejle,
        title="Ny praksis i hjemmeplejen",
        summary="Om planlægning.",
        body="Undervejs prøvede vi også medicindispensere hos nogle borgere.",
        technologies=("apps",),
    )
    make_case(
        vejle,
        title="Medicindispensere i hele kommunen",
        summary="Om udrulning.",
        technologies=("apps",),
    )
    assert titles(query="medicindispensere") == [
        "Medicindispensere i hele kommunen",
        "Ny praksis i hjemmeplejen",
    ]


def test_facets_combine_with_a_query(vejle: Municipality, aarhus: Municipality) -> None:
    make_case(vejle, title="Skærmbesøg i Vejle", technologies=("skaermbesoeg",), effects=1)
    make_case(aarhus, title="Skærmbesøg i Aarhus", technologies=("skaermbesoeg",), effects=1)
    make_case(vejle, title="Skærmbesøg uden effekter", technologies=("skaermbesoeg",))
    make_case(vejle, title="Skærmbesøg og robotter", technologies=("rpa",), effects=1)
    found = titles(
        query="skærmbesøg",
        technology="skaermbesoeg",
        region=vejle.region_code,
        with_effects=True,
    )
    assert found == ["Skærmbesøg i Vejle"]
    assert titles(query="skærmbesøg", municipality="751") == ["Skærmbesøg i Aarhus"]


def test_size_band_and_status_narrow_the_list(vejle: Municipality) -> None:
    small = Municipality.objects.get(code="825")  # Læsø, the smallest
    make_case(small, title="Lille kommune", stage="pilot")
    make_case(vejle, title="Mellemstor kommune", stage="scaled")
    assert titles(size_band="under-30000") == ["Lille kommune"]
    assert titles(size_band="over-100000") == ["Mellemstor kommune"]
    assert sorted(titles(size_band="no-such-band")) == ["Lille kommune", "Mellemstor kommune"]
    assert titles(stage="scaled") == ["Mellemstor kommune"]


def test_unpublished_cases_are_never_found(vejle: Municipality) -> None:
    make_case(vejle, title="Skærmbesøg kladde", state="draft")
    make_case(vejle, title="Skærmbesøg indsendt", state="submitted")
    assert titles(query="skærmbesøg") == []


def test_a_typo_still_finds_the_case(vejle: Municipality) -> None:
    make_case(
        vejle,
        title="Medicindispensere i hjemmeplejen",
        summary="Færre besøg.",
        technologies=("apps",),
    )
    make_case(vejle, title="Robotplæneklippere", summary="Græsset slås om natten.")
    assert titles(query="medicindispesnere") == ["Medicindispensere i hjemmeplejen"]


@pytest.mark.parametrize(
    "query",
    [
        '"skærmbesøg',
        "skærm & besøg | !x",
        "title:skærm* OR NEAR(a b)",
        "'; DROP TABLE cases_case; --",
        "1=1) OR (1=1",
        "***",
        "\\\\ % _ \x00",
        "-",
        '"" AND "" NOT ',
    ],
)
def test_special_characters_give_a_normal_page(
    client: Client, vejle: Municipality, query: str
) -> None:
    make_case(vejle, title="Skærmbesøg i hjemmeplejen")
    response = client.get("/cases/", {"q": query})
    assert response.status_code == 200
    assert "<h1>" in response.content.decode()
    api = client.get("/api/v1/cases", {"q": query})
    assert api.status_code == 200
