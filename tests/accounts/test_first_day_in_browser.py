"""Each role's first day, walked in headless Chromium through the real pages: the first
admin from `createsuperuser --noinput` logs in; an analyst invites an editor; the editor
chooses a password from the e-mailed link, logs in, lands on /min-kommune/ and creates a
case and a project through the existing forms; a wrong password is named; a public visitor
meets a 404 page with the navigation. Every page passes axe (WCAG 2.1 AA)."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from kommuneradar.accounts.models import User
from kommuneradar.benefits.models import Project
from kommuneradar.cases.models import Case
from kommuneradar.places.models import Municipality
from tests.browsing import axe_violations, sideways_overflow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Fjordbyen-Skaermbesoeg-42"


def log_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/log-ind/")
    page.get_by_label("E-mailadresse eller brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()


def test_the_first_admin_from_createsuperuser_logs_in(
    live_server: Any, browser: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "forste")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "forste@kl.example")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", stdout=StringIO())
    page = browser.new_page()
    log_in(page, live_server.url, "forste", PASSWORD)
    assert page.url == live_server.url + "/runder/"
    menu = page.get_by_role("navigation", name="Hovedmenu")
    assert menu.get_by_role("link", name="Brugere").is_visible()
    assert menu.get_by_role("link", name="Administration").is_visible()
    page.close()


def test_an_analyst_invites_an_editor_who_creates_a_case_and_a_project(
    live_server: Any, browser: Any, analyst: User, vejle: Municipality
) -> None:
    base = live_server.url
    staff = browser.new_page()
    log_in(staff, base, "anna", "pw")
    assert staff.url == base + "/runder/"
    with staff.expect_navigation():
        staff.get_by_role("navigation", name="Hovedmenu").get_by_role(
            "link", name="Brugere"
        ).click()
    assert staff.url == base + "/brugere/"
    assert axe_violations(staff) == []
    staff.get_by_label("Navn", exact=True).fill("Eva Egholm")
    staff.get_by_label("E-mailadresse", exact=True).fill("eva@vejle.example")
    staff.get_by_label("Kommune", exact=True).select_option(label="Vejle")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Send invitationen").click()
    assert "Der er sendt en invitation til eva@vejle.example" in staff.content()
    assert staff.get_by_role("row", name=re.compile("Eva Egholm")).is_visible()

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["eva@vejle.example"]
    link = re.search(r"http://\S+/invitation/\S+/", str(mail.outbox[0].body))
    assert link is not None

    editor_context = browser.new_context(viewport={"width": 375, "height": 900})
    editor = editor_context.new_page()
    editor.goto(link.group(0))
    assert editor.get_by_role("heading", name="Vælg din adgangskode").is_visible()
    assert axe_violations(editor) == []
    assert sideways_overflow(editor) <= 1
    editor.get_by_label("Ny adgangskode", exact=True).fill(PASSWORD)
    editor.get_by_label("Bekræftelse af ny adgangskode").fill(PASSWORD)
    with editor.expect_navigation():
        editor.get_by_role("button", name="Gem min adgangskode").click()
    assert editor.url == base + "/log-ind/"
    assert "Din adgangskode er gemt" in editor.content()

    log_in(editor, base, "eva@vejle.example", PASSWORD)
    assert editor.url == base + "/min-kommune/"
    assert editor.get_by_role("heading", name="Arbejdsrum for Vejle").is_visible()
    assert axe_violations(editor) == []
    assert sideways_overflow(editor) <= 1

    with editor.expect_navigation():
        editor.get_by_role("link", name="Skriv en ny case").click()
    editor.get_by_label("Titel").fill("Skærmbesøg om natten")
    editor.get_by_label("Resumé").fill("Natlige tilsyn flyttet til skærm hos udvalgte borgere.")
    editor.get_by_role("group", name="Teknologier").get_by_label("Skærmbesøg").check()
    editor.get_by_role("group", name="Fagområder").get_by_label("Sundhed og ældre").check()
    with editor.expect_navigation():
        editor.get_by_role("button", name="Gem").first.click()
    case = Case.objects.get(title="Skærmbesøg om natten")
    assert case.lead_municipality == vejle and case.state == Case.State.DRAFT
    assert editor.url == base + f"/cases/{case.pk}/"

    editor.goto(base + "/min-kommune/")
    assert editor.get_by_role("link", name="Skærmbesøg om natten").is_visible()
    with editor.expect_navigation():
        editor.get_by_role("link", name="Tilføj et implementeringsprojekt").click()
    editor.fill("#id_project-title", "Skærmbesøg i nattevagten")
    editor.select_option("#id_project-technology", label="Skærmbesøg")
    editor.select_option("#id_project-domain", label="Sundhed og ældre")
    editor.fill("#id_project-start_date", "2025-02-01")
    editor.fill("#id_project-benefit_owner", "Leder af nattevagten")
    editor.fill("#id_case-one_off_cost", "150000")
    editor.fill("#id_case-running_cost", "20000")
    editor.fill("#id_case-gain_dkk", "90000")
    editor.fill("#id_case-hours_freed", "1200")
    with editor.expect_navigation():
        editor.locator("form button[type=submit]").last.click()
    project = Project.objects.get(title="Skærmbesøg i nattevagten")
    assert project.municipality == vejle
    assert editor.url == base + f"/gevinster/projekter/{project.pk}/"
    editor_context.close()
    staff.close()


def test_a_wrong_password_shows_a_clear_message(
    live_server: Any, browser: Any, vejle_editor: User
) -> None:
    page = browser.new_page()
    log_in(page, live_server.url, "victor@vejle.example", "not-the-password")
    assert page.url.startswith(live_server.url + "/log-ind/")
    alert = page.get_by_role("alert")
    assert "passer ikke til en aktiv konto" in alert.inner_text()
    assert page.get_by_label("E-mailadresse eller brugernavn").input_value() == (
        "victor@vejle.example"
    )
    assert axe_violations(page) == []
    page.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_public_visitor_meets_a_404_page_with_navigation(
    live_server: Any, browser: Any, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    response = page.goto(live_server.url + "/teknologi/findes-ikke/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Siden blev ikke fundet").is_visible()
    menu = page.get_by_role("navigation", name="Hovedmenu")
    assert menu.get_by_role("link", name="Log ind").is_visible()
    assert axe_violations(page) == []
    assert sideways_overflow(page) <= 1
    with page.expect_navigation():
        page.get_by_role("link", name="Søg i videncentret").click()
    assert page.url == live_server.url + "/cases/"
    page.goto(live_server.url + "/log-ind/")
    assert axe_violations(page) == []
    assert sideways_overflow(page) <= 1
    page.close()
