"""One page of every kind, opened in headless Chromium under the real Content-Security-Policy
(no 'unsafe-inline'): the browser reports no violation, so no page needs an inline script,
an inline style or a third-party origin; the charts and the radar are drawn inline as SVG."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Domain
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from kommuneradar.surveys import services
from kommuneradar.surveys.models import Contact, Invitation, Round
from tests.accounts.test_first_day_in_browser import log_in
from tests.benefits.factories import make_project
from tests.cases.factories import make_case
from tests.conftest import MakeRound
from tests.surveys.conftest import issue_token

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STAGES = ["scaled", "in_operation", "piloting", "considering", "not_considering"] * 3

# Collects what the browser blocks, before any of the page's own content runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


def _open_survey_link(vejle: Municipality) -> str:
    health = Domain.objects.get(slug="sundhed-og-aeldre")
    round_ = Round.objects.create(
        year=2025,
        opens_on=dt.date(2025, 2, 1),
        closes_on=dt.date(2025, 3, 31),
        status=Round.Status.DRAFT,
    )
    Contact.objects.create(municipality=vejle, domain=health, name="Vera", email="v@vejle.example")
    services.move_round(round_, Round.Status.OPEN, None)
    return issue_token(Invitation.objects.get(round=round_, municipality=vejle, domain=health))


def test_no_page_needs_inline_script_or_style(
    live_server: Any, browser: Any, vejle_editor: User, make_round: MakeRound
) -> None:
    vejle = Municipality.objects.get(code="630")
    for year in (2023, 2024):
        stages = {slug: STAGES[year % 2 :] + STAGES[: year % 2] for slug in ("skaermbesoeg", "rpa")}
        compute_round(make_round(year, stages), publish=True)
    case = make_case(vejle, effects=2)
    make_project(vejle, follow_ups=((dt.date(2024, 6, 1), 900),))
    token = _open_survey_link(vejle)

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    base = live_server.url
    public = {
        "radar": "/radar/2024/",
        "technology": "/teknologi/skaermbesoeg/",
        "municipality profile": "/kommuner/630/",
        "case list": "/cases/?q=projekt",
        "case detail": f"/cases/{case.pk}/",
        "benefits dashboard": "/gevinster/",
        "project list": "/gevinster/projekter/",
        "survey form": f"/spoergeskema/{token}/",
        "login": "/log-ind/",
        "not found": "/findes-ikke/",
    }
    checked = []
    for kind, path in public.items():
        response = page.goto(base + path)
        assert response.status == (404 if kind == "not found" else 200), kind
        checked.append((kind, page.evaluate("window.__cspViolations")))
    log_in(page, base, "victor", "pw")
    assert page.url == base + "/min-kommune/"
    checked.append(("workspace", page.evaluate("window.__cspViolations")))
    for kind, path in {
        "case form": "/cases/ny/",
        "project form": "/gevinster/projekter/ny/",
    }.items():
        assert page.goto(base + path).status == 200, kind
        assert page.locator("form").count() >= 2, kind  # the editor form besides log-out
        checked.append((kind, page.evaluate("window.__cspViolations")))
    assert [(kind, found) for kind, found in checked if found] == []
    assert console == []
    # The pictures are there: the radar and the charts drawn as inline SVG.
    page.goto(base + "/teknologi/skaermbesoeg/")
    assert page.locator("svg[role=img]").count() >= 1
    context.close()


def test_the_admin_works_under_the_same_policy(
    live_server: Any, browser: Any, admin_user: User, vejle_editor: User
) -> None:
    """Django's own admin needs no exception: its pages report no violation either."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "root", "pw")
    checked = []
    for path in [
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{vejle_editor.pk}/change/",
        "/admin/catalog/technology/",
        "/admin/catalog/technology/add/",
    ]:
        assert page.goto(base + path).status == 200, path
        checked.append((path, page.evaluate("window.__cspViolations")))
    assert [(path, found) for path, found in checked if found] == []
    context.close()
