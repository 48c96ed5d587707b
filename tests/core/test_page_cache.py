"""Whole pages of published data kept for anonymous visitors (core/published.py): served
without rendering, with each visitor's own CSRF token, gone when published data changes,
never for logged-in users or requests with other cookies."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from kommuneradar.accounts.models import User
from kommuneradar.radar import services as radar_services
from kommuneradar.surveys.models import Round
from tests.accounts.test_accounts import log_in
from tests.conftest import MakeRound

USE = "in_operation"
SCREEN_VISITS = [
    *[USE, USE, USE, "scaled", USE, USE],
    *["considering", "piloting", "not_considering", "not_considering"],
]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings: Any) -> None:
    settings.PUBLISHED_PAGE_CACHE = True


@pytest.fixture
def published_round(make_round: MakeRound, analyst: User) -> Round:
    round_ = make_round(2024, {"skaermbesoeg": SCREEN_VISITS, "rpa": SCREEN_VISITS[::-1]})
    radar_services.publish_round(round_, analyst)
    return round_


def _without_tokens(html: str) -> str:
    return TOKEN.sub("TOKEN", html)


def test_a_second_visitor_gets_the_page_without_rendering_it(published_round: Round) -> None:
    first = Client().get("/radar/2024/")
    second = Client().get("/radar/2024/")
    assert first.status_code == second.status_code == 200
    assert first.context is not None  # rendered
    assert second.context is None  # from the cache
    assert _without_tokens(second.content.decode()) == _without_tokens(first.content.decode())
    assert second["Content-Type"] == first["Content-Type"]


def test_the_cached_page_carries_the_visitors_own_csrf_token(published_round: Round) -> None:
    Client().get("/radar/2024/")  # someone else's visit fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/radar/2024/")
    assert page.context is None
    tokens = TOKEN.findall(page.content.decode())
    assert tokens, "the language form has its token"
    assert "csrftoken" in page.cookies  # a first visit gets its cookie, as when rendered
    chosen = visitor.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/radar/2024/", "csrfmiddlewaretoken": tokens[0]},
    )
    assert chosen.status_code == 302
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/kommuner/")  # a cookie of its own
    refused = stranger.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/radar/2024/", "csrfmiddlewaretoken": tokens[0]},
    )
    assert refused.status_code == 403


def test_publishing_replaces_the_cached_page(
    make_round: MakeRound, analyst: User, client: Client
) -> None:
    round_ = make_round(2024, {"skaermbesoeg": SCREEN_VISITS, "rpa": SCREEN_VISITS[::-1]})
    client.get("/teknologi/skaermbesoeg/")
    before = client.get("/teknologi/skaermbesoeg/")
    assert before.context is None and "Ring 2024" not in before.content.decode()
    radar_services.publish_round(round_, analyst)
    after = client.get("/teknologi/skaermbesoeg/")
    assert after.context is not None  # rendered afresh
    assert "Ring 2024" in after.content.decode()


def test_each_language_has_its_own_copy(published_round: Round, client: Client) -> None:
    danish = client.get("/radar/2024/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/radar/2024/"})
    english = client.get("/radar/2024/")
    assert english.context is not None
    assert _without_tokens(english.content.decode()) != _without_tokens(danish)
    assert 'lang="en"' in english.content.decode()


def test_logged_in_users_get_a_rendered_page(published_round: Round, analyst: User) -> None:
    Client().get("/radar/2024/")
    client = Client()
    log_in(client, "anna", "pw")
    page = client.get("/radar/2024/")
    assert page.context is not None
    assert "anna" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert "anna" not in Client().get("/radar/2024/").content.decode()


def test_a_request_with_other_cookies_is_rendered(published_round: Round) -> None:
    Client().get("/radar/2024/")
    client = Client()
    client.cookies["messages"] = "anything"
    assert client.get("/radar/2024/").context is not None


def test_a_page_with_a_query_is_kept_apart(published_round: Round) -> None:
    plain = Client().get("/radar/2024/")
    sorted_ = Client().get("/radar/2024/?sort=name")
    assert sorted_.context is not None
    assert plain.content != sorted_.content
