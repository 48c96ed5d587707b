"""After a publication a task computes the radars and the technology pages' figures in
every language, so the first readers are served from the cache."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from kommuneradar.radar import figures, presentation
from kommuneradar.surveys.models import Round


def test_publishing_computes_the_radars_and_technology_pages_before_anyone_asks(
    client: Client,
    make_round: Any,
    analyst: Any,
    settings: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.WARM_PAGES_AFTER_PUBLISHING = True
    make_round(2024, {"skaermbesoeg": ["in_operation", "scaled", "piloting", "considering"] * 3})
    assert client.post("/log-ind/", {"username": "anna", "password": "pw"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/runder/2024/udgivelse/", {"action": "publish"})
    assert Round.objects.get(year=2024).status == Round.Status.PUBLISHED
    client.post("/log-ud/")

    def not_again(*args: Any) -> None:
        raise AssertionError("computed again for a reader")

    monkeypatch.setattr(figures, "_technology", not_again)
    monkeypatch.setattr(presentation, "_published_radar", not_again)
    for language in ("da", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for path in ("/radar/2024/", "/radar/2024/sundhed-og-aeldre/", "/teknologi/skaermbesoeg/"):
            assert client.get(path).status_code == 200, path

    # the next day: an edition does not change with the date, so its figures are not
    # computed again after midnight (the pages themselves are rendered again from them)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    for language in ("da", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for path in ("/radar/2024/", "/teknologi/skaermbesoeg/", "/api/v1/editions/2024/alle"):
            assert client.get(path).status_code == 200, path
