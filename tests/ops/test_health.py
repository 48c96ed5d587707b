"""/healthz: what a load balancer asks before it sends a process traffic."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from kommuneradar.core import health


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test is a process that has not yet checked its migrations."""
    monkeypatch.setattr(health, "_migrations_complete", False)


def test_it_answers_200_when_the_database_answers_and_every_migration_is_applied(
    client: Client, db: Any
) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"


def test_it_answers_503_while_a_migration_is_not_applied(client: Client, db: Any) -> None:
    latest = max(MigrationLoader(connection).graph.leaf_nodes())
    MigrationRecorder(connection).record_unapplied(*latest)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "reason": "1 migration(s) not applied",
    }


def test_it_answers_503_when_the_database_does_not_answer(
    client: Client, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Unreachable:
        def cursor(self) -> None:
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "reason": "the database does not answer",
    }


def test_after_the_first_check_a_probe_costs_one_query(
    client: Client, db: Any, django_assert_num_queries: Any
) -> None:
    assert client.get("/healthz").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200


def test_a_probe_over_http_by_address_is_neither_redirected_nor_refused_nor_given_a_session(
    client: Client, db: Any, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["kommuneradar.example"]
    response = client.get("/healthz", HTTP_HOST="10.0.3.17")
    assert response.status_code == 200
    assert "Set-Cookie" not in response and not response.cookies
    assert "Vary" not in response
    # an ordinary page under the same settings is redirected to https
    assert client.get("/", HTTP_HOST="kommuneradar.example").status_code == 301
