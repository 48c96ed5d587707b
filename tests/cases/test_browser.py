"""The knowledge centre in headless Chromium: no WCAG 2.1 AA violations (axe) and no
sideways scrolling at phone width, for the public pages and the editor's form."""

from __future__ import annotations

from typing import Any

import pytest

from kommuneradar.accounts.models import User
from kommuneradar.cases.models import Case, ContactPerson
from kommuneradar.places.models import Municipality
from tests.browsing import assert_accessible_and_fits, axe_violations, signed_in_context

from .factories import make_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def case(db: Any) -> Case:
    vejle = Municipality.objects.get(code="630")
    aarhus = Municipality.objects.get(code="751")
    make_case(aarhus, title="Skærmbesøg i Aarhus", effects=1)
    case = make_case(
        vejle,
        title="Skærmbesøg i Vejles hjemmepleje",
        summary="Korte støttebesøg flyttet til skærm; skærmbesøgene sparer kørsel.",
        body="## Forløbet\n\n- tablet med én knap\n- faste tider\n\n[KL](https://www.kl.dk)",
        lessons="Start med de enkle besøg.",
        effects=2,
        budget_dkk=250_000,
        duration_months=8,
    )
    ContactPerson.objects.create(case=case, name="Karen Synlig", consent_to_publish=True)
    return case


@pytest.mark.parametrize("width", [1280, 375])
def test_case_pages_pass_axe_and_fit_a_phone(
    case: Case, live_server: Any, browser: Any, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    paths = (
        "/cases/",
        "/cases/?q=sk%C3%A6rmbes%C3%B8gene&effekter=on",
        "/cases/?q=sk%C3%A6rmbes%C3%B8k&region=1084",  # no hit: suggestions
        f"/cases/{case.pk}/",
    )
    for path in paths:
        page.goto(live_server.url + path)
        assert_accessible_and_fits(page, f"{path} at {width}px")
    page.close()


def test_the_editors_pages_pass_axe(case: Case, live_server: Any, browser: Any) -> None:
    editor = User.objects.create_user(
        "vera",
        "vera@vejle.example",
        "pw",
        role=User.Role.EDITOR,
        municipality=case.lead_municipality,
    )
    Case.objects.filter(pk=case.pk).update(state=Case.State.DRAFT)
    context = signed_in_context(browser, live_server, editor, 375)
    page = context.new_page()
    for path in (f"/cases/{case.pk}/", f"/cases/{case.pk}/rediger/", "/cases/arbejde/"):
        page.goto(live_server.url + path)
        assert_accessible_and_fits(page, path)
    context.close()


def test_a_visitor_types_a_misspelt_word_and_finds_the_case(
    case: Case, live_server: Any, browser: Any
) -> None:
    vejle = case.lead_municipality
    make_case(
        vejle,
        title="Hygiejnerobotter på plejecentret",
        summary="Vasketoiletter giver beboerne mere selvstændighed.",
        technologies=("hygiejnerobotter",),
    )
    make_case(vejle, title="Softwarerobot bogfører fakturaer", technologies=("rpa",))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/cases/")
    search_box = page.get_by_role("searchbox")
    search_box.fill("hygiejnerobbot")
    search_box.press("Enter")
    page.wait_for_url("**/cases/?q=hygiejnerobbot*")
    results = page.locator(".cases-result h3")
    assert results.all_inner_texts() == ["Hygiejnerobotter på plejecentret"]
    assert page.get_by_role("searchbox").input_value() == "hygiejnerobbot"

    search_box = page.get_by_role("searchbox")
    search_box.fill("RPA")
    search_box.press("Enter")
    page.wait_for_url("**/cases/?q=RPA*")
    assert page.locator(".cases-result h3").all_inner_texts() == [
        "Softwarerobot bogfører fakturaer"
    ]

    search_box = page.get_by_role("searchbox")
    search_box.fill("skærmopkaldsløsninger")
    search_box.press("Enter")
    page.wait_for_url("**/cases/?q=*")
    assert page.locator(".cases-result").count() == 0
    assert axe_violations(page) == []
    page.get_by_role("link", name="Skærmbesøg").first.click()
    page.wait_for_url("**/cases/?teknologi=skaermbesoeg")
    assert sorted(page.locator(".cases-result h3").all_inner_texts()) == [
        "Skærmbesøg i Aarhus",
        "Skærmbesøg i Vejles hjemmepleje",
    ]
    page.close()
