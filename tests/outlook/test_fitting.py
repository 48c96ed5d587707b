"""The outlook is fitted once per data state, by a background task when there are many
places, and shared through the cache: no request fits it at scale, and every process reads
the one fit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend

from kommuneradar.outlook import services, tasks
from kommuneradar.places.models import Municipality
from kommuneradar.radar.editions import compute_round
from tests.conftest import MakeRound

from .conftest import COURSES

NOTICE = "Fremskrivningen beregnes"


@pytest.fixture
def queued(settings: Any) -> list[Any]:
    """A worker that never runs: tasks stay queued (django-tasks' dummy backend), and
    more places than a request may fit for."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.OUTLOOK_FIT_IN_REQUEST_MAX = 0
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    backend.clear()
    return backend.results


def _run(results: list[Any]) -> None:
    """What the worker does with each queued fit."""
    for result in results:
        assert result.task.name == "fit"
        tasks.fit.call(*result.args)


def test_with_many_places_the_pages_say_it_is_being_computed_and_queue_one_fit(
    client: Client, panel: list[Municipality], queued: list[Any]
) -> None:
    page = client.get("/teknologi/rpa/")
    assert page.status_code == 200
    html = page.content.decode()
    assert NOTICE in html
    assert 'role="status"' in html
    # An unfinished page is neither kept nor given an ETag, so the finished one replaces it.
    assert "ETag" not in page.headers
    assert "no-store" in page.headers["Cache-Control"]
    profile = client.get(f"/kommuner/{panel[0].code}/")
    assert profile.status_code == 200 and NOTICE in profile.content.decode()
    whole = client.get("/fremskrivning/")
    assert whole.status_code == 503
    assert whole.headers["Retry-After"] == "60"
    assert NOTICE in whole.content.decode()
    assert client.get("/fremskrivning/tal.csv").status_code == 503
    api = client.get("/api/v1/outlook/")
    assert api.status_code == 503
    assert "being computed" in api.json()["detail"]
    # Five readers, one fit queued.
    assert len(queued) == 1

    _run(queued)
    page = client.get("/teknologi/rpa/")
    html = page.content.decode()
    assert NOTICE not in html
    assert "Fremskrivning til 2030" in html
    assert page.headers["ETag"]
    assert client.get("/fremskrivning/").status_code == 200
    assert client.get("/api/v1/outlook/").status_code == 200
    assert len(queued) == 1


def test_another_process_reads_the_shared_fit_instead_of_fitting_again(
    client: Client, panel: list[Municipality], queued: list[Any], monkeypatch: Any
) -> None:
    client.get("/fremskrivning/")
    _run(queued)
    services.forget()  # a process that has read nothing yet

    def no_fit() -> services.State:
        raise AssertionError("fitted again in another process")

    monkeypatch.setattr(services, "fit_state", no_fit)
    page = client.get("/fremskrivning/")
    assert page.status_code == 200
    assert page.context["state"].years == [2022, 2023, 2024]


def test_a_fit_whose_worker_died_is_asked_for_again_once_its_lock_expires(
    client: Client, panel: list[Municipality], queued: list[Any]
) -> None:
    client.get("/fremskrivning/")
    client.get("/fremskrivning/")
    assert len(queued) == 1
    # The lock lives FIT_SECONDS; its expiry is what a dead worker leaves behind.
    cache.delete(services._shared_key("fitting", services.fingerprint()))
    client.get("/fremskrivning/")
    assert len(queued) == 2


def test_a_failed_fit_is_not_retried_on_every_request(
    client: Client, panel: list[Municipality], queued: list[Any], monkeypatch: Any
) -> None:
    client.get("/fremskrivning/")

    def broken() -> services.State:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "fit_state", broken)
    with pytest.raises(RuntimeError):
        _run(queued)
    assert client.get("/fremskrivning/").status_code == 503
    assert len(queued) == 1


def test_few_places_are_fitted_in_the_request_even_while_a_fit_is_queued(
    client: Client, panel: list[Municipality], queued: list[Any], settings: Any
) -> None:
    services.request_fit()
    assert len(queued) == 1
    settings.OUTLOOK_FIT_IN_REQUEST_MAX = 1000
    page = client.get("/fremskrivning/")
    assert page.status_code == 200
    assert NOTICE not in page.content.decode()


def test_publishing_a_round_queues_the_fit_once_it_is_committed(
    make_round: MakeRound,
    panel: list[Municipality],
    queued: list[Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.FIT_OUTLOOK_AFTER_CHANGES = True
    round_ = make_round(2025, {"rpa": ["scaled"] * len(COURSES)})
    with django_capture_on_commit_callbacks(execute=True):
        compute_round(round_, publish=True)
    assert len(queued) == 1
    _run(queued)
    _key, fitted = services.state()
    assert fitted.years[-1] == 2025
