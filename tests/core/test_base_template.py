"""Every page's frame: skip link, language, menu by role."""

from __future__ import annotations

from typing import Any

from django.test import Client

from kommuneradar.accounts.models import User


def test_every_page_has_a_skip_link_and_danish_by_default(client: Client, db: Any) -> None:
    html = client.get("/").content.decode()
    assert 'class="skip-link" href="#main"' in html and 'id="main"' in html
    assert 'lang="da"' in html and "Gå til indhold" in html


def test_analysts_see_the_survey_rounds_and_editors_do_not(
    client: Client, analyst: User, vejle_editor: User
) -> None:
    client.force_login(analyst)
    assert 'href="/runder/"' in client.get("/").content.decode()
    client.force_login(vejle_editor)
    html = client.get("/").content.decode()
    assert 'href="/runder/"' not in html
    assert 'href="/admin/"' not in html  # editors are not admin staff
    assert "Log ud (victor)" in html


def test_the_public_sees_a_login_link(client: Client, db: Any) -> None:
    assert 'href="/log-ind/"' in client.get("/").content.decode()
