"""Local governments of any country: a country, a code of up to 10 characters unique per
country, an optional region. Denmark's municipalities keep their codes, names, slugs and
URLs, and a Danish name or code always means the Danish municipality."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.db import IntegrityError, transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from kommuneradar.network.services import municipality_profile
from kommuneradar.places import forms as place_forms
from kommuneradar.places.models import CHOICE_LIMIT, Municipality, Region, municipality_choices
from kommuneradar.places.naming import (
    find_municipality,
    lookup_candidates,
    municipality_slug,
    place_slug,
    place_table,
    split_url_code,
    url_code,
)

pytestmark = pytest.mark.django_db


def foreign(
    code: str, name: str, country: str = "XS", region: Region | None = None
) -> Municipality:
    return Municipality.objects.create(
        country=country,
        code=code,
        name=name,
        slug=municipality_slug(country, name),
        region=region,
        population=1000,
    )


def test_denmark_keeps_its_98_with_their_codes_and_urls(client: Client) -> None:
    assert Municipality.objects.filter(country="DK").count() == 98
    vejle = Municipality.objects.get(country="DK", code="630")
    assert vejle.url_code == "630"
    assert vejle.get_absolute_url() == "/kommuner/630/"
    assert client.get("/kommuner/630/").status_code == 200


def test_another_country_has_its_own_url_and_may_reuse_a_danish_code(client: Client) -> None:
    other = foreign("630", "Vejle", country="SE")
    assert other.url_code == "se/630"
    assert client.get("/kommuner/se/630/").status_code == 200
    assert client.get("/kommuner/630/").context["municipality"].country == "DK"
    assert client.get("/kommuner/no/630/").status_code == 404
    assert client.get("/api/v1/municipalities/se:630").json()["municipality"]["name"] == "Vejle"
    assert client.get("/api/v1/municipalities/630").status_code == 200


def test_a_code_and_a_name_are_unique_per_country_only() -> None:
    foreign("S1", "Syntetisk")
    foreign("S1", "Syntetisk", country="XT")
    with transaction.atomic(), pytest.raises(IntegrityError):
        foreign("S1", "Andet navn")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Municipality.objects.create(
            country="XS", code="S2", name="Syntetisk", slug="andet", population=1
        )


def test_a_danish_name_or_code_always_means_the_danish_municipality() -> None:
    foreign("101", "København", country="SE")
    foreign("S00001", "Syntetisk kommune 00001")
    named = Municipality.objects.named
    assert (m := named("101")) is not None and m.country == "DK"
    assert (m := named("Københavns Kommune")) is not None and m.country == "DK"
    assert (m := named("se:101")) is not None and m.country == "SE"
    assert (m := named("S00001")) is not None and m.country == "XS"
    assert (m := named("xs:S00001")) is not None and m.code == "S00001"
    assert (m := named("syntetisk kommune 00001")) is not None and m.code == "S00001"
    assert named("Atlantis") is None
    table = Municipality.objects.lookup_table()
    assert table["101"] == Municipality.objects.get(country="DK", code="101").pk


def test_named_finds_what_the_whole_table_finds_for_every_danish_way_of_naming(
    django_assert_num_queries: Any,
) -> None:
    table = Municipality.objects.lookup_table()
    for municipality in Municipality.objects.all():
        for text in (
            municipality.code,
            municipality.code.zfill(4),
            municipality.name,
            f"{municipality.name} Kommune",
            f"{municipality.name}s Kommune",
            municipality.slug,
        ):
            expected = find_municipality(table, text)
            with django_assert_num_queries(1):
                found = Municipality.objects.named(text)
            assert (found.pk if found else None) == expected, text


def test_the_region_is_optional() -> None:
    place = foreign("S9", "Uden region")
    assert place.region is None
    assert place.region_name == "" and place.region_code == ""


@given(st.sampled_from(["DK", "XS", "SE"]), st.from_regex(r"[0-9A-Za-z-]{1,10}", fullmatch=True))
def test_a_url_code_names_its_country_and_code(country: str, code: str) -> None:
    assert split_url_code(url_code(country, code)) == (country, code)


@given(st.text(max_size=40))
def test_a_slug_is_lower_case_ascii(name: str) -> None:
    slug = place_slug(name)
    assert slug == slug.lower()
    assert all(c.isascii() and (c.isalnum() or c in "-_") for c in slug)


def test_foreign_slugs_start_with_their_country() -> None:
    assert municipality_slug("XS", "Syntetisk kommune 00001") == "xs-syntetisk-kommune-00001"
    assert municipality_slug("DK", "Tårnby") == "taarnby"


def test_candidates_include_padded_codes_and_qualified_codes() -> None:
    _codes, _slugs, qualified = lookup_candidates("xs:S00001")
    assert ("XS", "S00001") in qualified
    codes, _slugs, _ = lookup_candidates("0630")
    assert "630" in codes and "0630" in codes
    assert "koebenhavn" in lookup_candidates("Københavns Kommune")[1]


def test_place_table_puts_denmark_first() -> None:
    table = place_table([(1, "SE", "101", "Vejle", "se-vejle"), (2, "DK", "630", "Vejle", "vejle")])
    assert find_municipality(table, "Vejle") == 2
    assert find_municipality(table, "se:101") == 1
    assert find_municipality(table, "101") == 1


class Choose(forms.Form):
    municipality = forms.ModelChoiceField(queryset=Municipality.objects.all())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place_forms.fit_municipality_field(self, "municipality")


def test_a_form_offers_a_list_of_98_and_a_text_field_for_thousands() -> None:
    assert isinstance(Choose().fields["municipality"], forms.ModelChoiceField)
    assert municipality_choices() is not None
    region = Region.objects.create(country="XS", code="R1", name="Syntetisk region")
    Municipality.objects.bulk_create(
        Municipality(
            country="XS",
            code=f"S{n:05d}",
            name=f"Syntetisk {n}",
            slug=f"xs-syntetisk-{n}",
            region=region,
            population=1000,
        )
        for n in range(CHOICE_LIMIT)
    )
    assert municipality_choices() is None
    form = Choose({"municipality": "Vejle Kommune"})
    assert isinstance(form.fields["municipality"], place_forms.MunicipalityNameField)
    assert form.is_valid() and form.cleaned_data["municipality"].code == "630"
    refused = Choose({"municipality": "Atlantis"})
    assert not refused.is_valid()
    assert "Atlantis" in str(refused.errors["municipality"])


def test_peers_of_a_foreign_municipality_come_from_its_own_country() -> None:
    places = [foreign(f"S{n}", f"Syntetisk {n}") for n in range(4)]
    profile = municipality_profile(places[0])
    assert profile.size_group
    assert {m.country for m in profile.size_group} == {"XS"}
    danish = municipality_profile(Municipality.objects.get(country="DK", code="630"))
    assert {m.country for m in danish.size_group} == {"DK"}
