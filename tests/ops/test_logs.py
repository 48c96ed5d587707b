"""Structured logs: one JSON object per line, with no secret link in them."""

from __future__ import annotations

import json
import logging
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from gunicorn.config import Config

from kommuneradar.accounts.models import User
from kommuneradar.core.logs import USER_ID_KEY, JsonFormatter, redact_path
from kommuneradar.gunicorn_conf import JsonLogger, default_workers, worker_count


def _record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord(
        "kommuneradar.test", logging.WARNING, __file__, 1, message, args, None
    )
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_an_app_log_line_is_json_with_time_level_logger_message_and_extras() -> None:
    line = JsonFormatter().format(_record("%s rows imported", 12, round_year=2025))
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "kommuneradar.test"
    assert entry["message"] == "12 rows imported" and entry["round_year"] == 2025
    assert entry["time"].endswith("+00:00")
    assert "\n" not in line


def test_an_exception_is_kept_inside_the_one_line() -> None:
    try:
        raise ValueError("bad row")
    except ValueError:
        record = _record("import failed")
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert "ValueError: bad row" in json.loads(line)["exception"]


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("/spoergeskema/Xy_9-abc/", "/spoergeskema/[token]/"),
        ("Not Found: /invitation/q1w2e3/", "Not Found: /invitation/[token]/"),
        ("/adgangskode/ny/MTI/c4b-5e1/", "/adgangskode/ny/[uid]/[token]/"),
        ("/adgangskode/ny/faerdig/", "/adgangskode/ny/faerdig/"),
        ("/radar/2024/", "/radar/2024/"),
    ],
)
def test_the_key_in_a_questionnaire_invitation_or_reset_link_is_never_logged(
    text: str, redacted: str
) -> None:
    assert redact_path(text) == redacted
    assert json.loads(JsonFormatter().format(_record(text)))["message"] == redacted


class _Response:
    status = "404 Not Found"
    sent = 2538
    headers: list[tuple[str, str]] = []


def test_gunicorn_writes_one_json_line_per_request(capsys: pytest.CaptureFixture[str]) -> None:
    config = Config()
    config.set("accesslog", "-")
    logger = JsonLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/spoergeskema/secret-token/",
        "REMOTE_ADDR": "10.0.0.4",
        "HTTP_X_FORWARDED_FOR": "203.0.113.9",
        USER_ID_KEY: 17,
    }
    logger.access(_Response(), None, environ, timedelta(milliseconds=42.5))
    entry = json.loads(capsys.readouterr().out.strip())
    assert entry["method"] == "GET" and entry["status"] == 404 and entry["bytes"] == 2538
    assert entry["path"] == "/spoergeskema/[token]/" and entry["duration_ms"] == 42.5
    assert entry["remote_addr"] == "10.0.0.4" and entry["forwarded_for"] == "203.0.113.9"
    assert entry["user_id"] == 17


def test_a_healthy_probe_is_not_logged_but_a_failing_one_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = Config()
    config.set("accesslog", "-")
    logger = JsonLogger(config)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz", "REMOTE_ADDR": "10.0.0.2"}
    ok = type("Ok", (), {"status": "200 OK", "sent": 16, "headers": []})()
    logger.access(ok, None, environ, timedelta(milliseconds=1))
    assert capsys.readouterr().out == ""
    failing = type(
        "Failing", (), {"status": "503 Service Unavailable", "sent": 60, "headers": []}
    )()
    logger.access(failing, None, environ, timedelta(milliseconds=1))
    assert json.loads(capsys.readouterr().out)["status"] == 503


def test_the_user_of_a_request_reaches_the_access_log(client: Client, analyst: User) -> None:
    signed_in = client.post("/log-ind/", {"username": "anna", "password": "pw"})
    assert signed_in.status_code == 302, "the analyst logs in through the login page"
    response = client.get("/runder/")
    assert response.wsgi_request.META[USER_ID_KEY] == analyst.pk


def test_an_anonymous_request_has_no_user_in_the_access_log(client: Client, db: Any) -> None:
    response = client.get("/")
    assert USER_ID_KEY not in response.wsgi_request.META


@pytest.mark.parametrize(("cores", "workers"), [(None, 3), (1, 3), (2, 5), (8, 17)])
def test_workers_default_to_twice_the_cores_plus_one(cores: int | None, workers: int) -> None:
    assert default_workers(cores) == workers


def test_several_workers_need_a_shared_cache() -> None:
    """Without CACHE_URL a publish in one process would not reach the others' caches."""
    assert worker_count(None, 2, shared_cache=True) == 5
    assert worker_count(3, 2, shared_cache=True) == 3
    assert worker_count(None, 2, shared_cache=False) == 1
    assert worker_count(1, 2, shared_cache=False) == 1
    with pytest.raises(SystemExit, match="shared cache"):
        worker_count(2, 2, shared_cache=False)
