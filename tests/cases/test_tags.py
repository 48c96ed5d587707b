from __future__ import annotations

from typing import Any

from django.template import Context, Template

from kommuneradar.cases.models import Case
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

from .factories import make_case


def _render(source: str, **context: Any) -> str:
    return Template("{% load cases_tags %}" + source).render(Context(context))


def test_technology_cases_lists_published_cases_with_headline_effect(
    vejle: Municipality, aarhus: Municipality, django_assert_num_queries: Any
) -> None:
    technology = Technology.objects.get(slug="skaermbesoeg")
    for number in range(4):
        make_case(vejle, title=f"Skærmbesøg nr. {number}", effects=2)
    make_case(aarhus, title="Kladde om skærmbesøg", state=Case.State.DRAFT)
    make_case(aarhus, title="Robotter", technologies=("rpa",))
    with django_assert_num_queries(2):
        html = _render("{% technology_cases technology %}", technology=technology)
    assert html.count('class="cases-item"') == 4
    assert "Sparede timer 0" in html
    assert "Kladde" not in html
    assert "Robotter" not in html
    assert "/cases/?teknologi=skaermbesoeg" in html


def test_municipality_cases_lists_led_and_partner_cases_once(
    vejle: Municipality, aarhus: Municipality, django_assert_num_queries: Any
) -> None:
    led = make_case(vejle, title="Vejles egen case")
    shared = make_case(aarhus, title="Fælles case")
    shared.partner_municipalities.set([vejle, aarhus])
    make_case(aarhus, title="Aarhus alene")
    make_case(vejle, title="Ikke indsendt", state=Case.State.DRAFT)
    with django_assert_num_queries(2):
        html = _render("{% municipality_cases municipality %}", municipality=vejle)
    assert led.title in html
    assert html.count("Fælles case") == 1
    assert "Aarhus alene" not in html
    assert "Ikke indsendt" not in html


def test_tags_say_so_when_there_are_no_cases(vejle: Municipality) -> None:
    technology = Technology.objects.get(slug="droner")
    assert "Droner" in _render("{% technology_cases technology %}", technology=technology)
    assert "Vejle" in _render("{% municipality_cases municipality %}", municipality=vejle)
