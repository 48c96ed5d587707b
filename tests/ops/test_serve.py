"""`make serve` started for real, as production runs it behind a TLS-terminating load balancer:
gunicorn on a free port, a temporary database (SQLite, or PostgreSQL when DATABASE_URL is),
Redis as the cache where it answers on 127.0.0.1:6379, DEBUG off, hashed and compressed static
files, one JSON line per request."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ops.postgres import fresh_database, reachable_server
from tests.ops.redis import redis_answers

ROOT = Path(__file__).resolve().parents[2]
# Generous: migrating a fresh PostgreSQL database on a busy 2-core machine takes a while.
STARTUP_LIMIT_SECONDS = 600
BEHIND_TLS = {"X-Forwarded-Proto": "https"}


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


@dataclass
class Server:
    port: int
    static_root: Path
    stdout: Path
    stderr: Path
    session: int = 0  # the process session of `make serve` (gunicorn and the worker)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
            response = conn.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            conn.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url(stack: ExitStack, tmp_path: Path) -> str:
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        server = reachable_server()
        assert server, "DATABASE_URL names a PostgreSQL server that does not answer"
        return stack.enter_context(fresh_database(server, "kommuneradar_serve"))
    return f"sqlite:///{tmp_path / 'serve.sqlite3'}"


def _wait_until_healthy(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make serve stopped early:\n{server.stderr.read_text()[-3000:]}")
        try:
            if server.get("/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(1)
    pytest.fail(f"/healthz never answered 200:\n{server.stderr.read_text()[-3000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp_path = tmp_path_factory.mktemp("serve")
    with ExitStack() as stack:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "SECRET_KEY_FILE", "DEBUG"}
        }
        server = Server(_free_port(), tmp_path / "static", tmp_path / "out", tmp_path / "err")
        env.update(
            DATABASE_URL=_database_url(stack, tmp_path),
            STATIC_ROOT=str(server.static_root),
            SECRET_KEY="serve-test-" + os.urandom(16).hex(),
            ALLOWED_HOSTS="127.0.0.1",
            GUNICORN_THREADS="2",
            # production refuses a backend that sends nothing (core.E001); nothing is mailed here
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        )
        if redis_answers():  # the shared cache of production, where one runs
            # one Redis database per backend: CI runs the SQLite and PostgreSQL suites at once
            postgres = env["DATABASE_URL"].startswith("postgres")
            env["CACHE_URL"] = f"redis://127.0.0.1:6379/{14 if postgres else 15}"
            env["WEB_CONCURRENCY"] = "2"  # several workers need the shared cache
        with server.stdout.open("wb") as out, server.stderr.open("wb") as err:
            process = subprocess.Popen(  # noqa: S603 (our own Makefile)
                [  # noqa: S607 (make from PATH, as a person types it)
                    "make",
                    "--no-print-directory",
                    "serve",
                    f"PORT={server.port}",
                    f"PY={sys.executable}",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        stack.callback(_stop, process)
        server.session = process.pid
        _wait_until_healthy(server, process)
        yield server


def test_healthz_answers_over_plain_http(server: Server) -> None:
    answer = server.get("/healthz")
    assert answer.status == 200
    assert json.loads(answer.body) == {"status": "ok"}


def test_pages_redirect_to_https_when_the_balancer_did_not_terminate_tls(server: Server) -> None:
    answer = server.get("/")
    assert answer.status == 301
    assert answer.headers["Location"].startswith("https://127.0.0.1/")


def test_debug_is_off_an_unknown_page_is_the_sites_own_404(server: Server) -> None:
    answer = server.get("/findes-ikke/", BEHIND_TLS)
    assert answer.status == 404
    html = answer.body.decode()
    assert 'lang="da"' in html and 'class="skip-link"' in html
    assert "DEBUG = True" not in html and "URLconf" not in html and "Traceback" not in html


def _commands_in_session(session: int) -> list[str]:
    commands = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session:  # the session id, after state, ppid and pgrp
                commands.append(
                    (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                )
        except (OSError, IndexError, ValueError):
            continue
    return commands


def test_the_background_worker_runs_beside_gunicorn(server: Server) -> None:
    commands = _commands_in_session(server.session)
    assert any("gunicorn" in command for command in commands), commands
    assert any("manage.py db_worker" in command for command in commands), commands


def test_the_front_page_is_served(server: Server) -> None:
    answer = server.get("/", BEHIND_TLS)
    assert answer.status == 200
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_hashed_static_files_are_compressed_and_cached_for_long(
    server: Server, encoding: str
) -> None:
    manifest = json.loads((server.static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["kommuneradar.css"]
    assert hashed != "kommuneradar.css"
    answer = server.get(f"/static/{hashed}", {**BEHIND_TLS, "Accept-Encoding": encoding})
    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == encoding
    cache_control = answer.headers["Cache-Control"]
    assert "immutable" in cache_control
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600


def test_every_request_is_one_json_line_on_stdout(server: Server) -> None:
    server.get("/findes-heller-ikke/", {**BEHIND_TLS, "X-Forwarded-For": "203.0.113.9"})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        entries = [
            json.loads(line)
            for line in server.stdout.read_text().splitlines()
            if line.startswith('{"time"')
        ]
        found = [e for e in entries if e.get("path") == "/findes-heller-ikke/"]
        if found:
            break
        time.sleep(0.5)
    assert found, server.stdout.read_text()[-2000:]
    entry = found[0]
    assert entry["type"] == "access" and entry["method"] == "GET" and entry["status"] == 404
    assert entry["bytes"] > 0 and entry["duration_ms"] >= 0
    assert entry["remote_addr"] == "127.0.0.1" and entry["forwarded_for"] == "203.0.113.9"
    assert entry["user_id"] is None


def test_production_without_allowed_hosts_is_refused_before_anything_runs(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS", "DEBUG"}
    }
    env.update(SECRET_KEY="x" * 50, STATIC_ROOT=str(tmp_path / "static"), PY=sys.executable)
    done = subprocess.run(  # noqa: S603 (our own script)
        [str(ROOT / "scripts" / "serve")], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and "set ALLOWED_HOSTS" in done.stderr
    assert not (tmp_path / "static").exists()
