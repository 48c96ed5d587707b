"""gunicorn's configuration (`gunicorn -c kommuneradar/gunicorn_conf.py kommuneradar.wsgi`),
read from the environment:

- `GUNICORN_BIND` (default `127.0.0.1:$PORT`, PORT default 8000): where to listen; behind a load
  balancer e.g. `0.0.0.0:8000`.
- `WEB_CONCURRENCY`: worker processes (default 2 × cores + 1 with a shared cache, `CACHE_URL`;
  without one a single worker, and more are refused: see `worker_count`).
- `GUNICORN_THREADS`: threads per worker (default 2, or 8 for a single worker; with more than
  one, gthread workers).
- `GUNICORN_TIMEOUT`: seconds before a silent worker is restarted (default 30).
- `FORWARDED_ALLOW_IPS` (gunicorn's own): the proxies whose X-Forwarded-* headers are trusted.

Every request is logged to stdout as one JSON object (time, method, path, status, duration_ms,
bytes, remote_addr, user_id); gunicorn's own messages go to stderr as JSON.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

from kommuneradar.core.logs import USER_ID_KEY, JsonFormatter, access_entry


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a whole number") from None
    if value < 1:
        raise SystemExit(f"{name}={raw!r} must be at least 1")
    return value


def default_workers(cores: int | None) -> int:
    """2 × cores + 1: while one request of a worker waits on the database, another runs."""
    return 2 * (cores or 1) + 1


def worker_count(requested: int | None, cores: int | None, shared_cache: bool) -> int:
    """How many worker processes to run. Published pages are cached under a version that a
    publish bumps (core/published.py): without a shared cache (CACHE_URL), each process keeps
    its own copy and would go on serving old pages after a publish in another one, so
    without one there is a single worker (with threads), and asking for more is refused."""
    if shared_cache:
        return requested or default_workers(cores)
    if requested is not None and requested > 1:
        raise SystemExit(
            f"WEB_CONCURRENCY={requested}: several worker processes need a shared cache; "
            "set CACHE_URL=redis://… (docs/operations.md) or run one worker"
        )
    return 1


def _bytes_sent(resp: Any, environ: dict[str, Any]) -> int | None:
    """The body's size; a file sent by sendfile (whitenoise) is not counted in `sent`."""
    sent = getattr(resp, "sent", None)
    if sent or environ.get("REQUEST_METHOD") == "HEAD":
        return int(sent) if sent is not None else None
    for name, value in getattr(resp, "headers", []):
        if name.lower() == "content-length" and value.isdigit():
            return int(value)
    return int(sent) if sent is not None else None


class JsonLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger with one JSON line per request (not Apache's combined format)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())
        for handler in self.access_log.handlers:
            handler.setFormatter(logging.Formatter("%(message)s"))

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status
        code = int(status.split(None, 1)[0]) if isinstance(status, str) else int(status or 0)
        path = environ.get("PATH_INFO", "")
        if path == "/healthz" and code == 200:
            return  # a load balancer asks every few seconds; only a failing answer is news
        self.access_log.info(
            "%s",
            access_entry(
                created=time.time(),
                method=environ.get("REQUEST_METHOD", ""),
                path=path,
                status=code,
                duration_ms=request_time.total_seconds() * 1000,
                size=_bytes_sent(resp, environ),
                remote_addr=environ.get("REMOTE_ADDR", ""),
                forwarded_for=environ.get("HTTP_X_FORWARDED_FOR", ""),
                user_id=environ.get(USER_ID_KEY),
            ),
        )


wsgi_app = "kommuneradar.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_positive_int('PORT', 8000)}"]
_requested = _positive_int("WEB_CONCURRENCY", 0) if os.environ.get("WEB_CONCURRENCY") else None
workers = worker_count(_requested, os.cpu_count(), bool(os.environ.get("CACHE_URL")))
# One worker without a shared cache: more threads take the place of the processes.
threads = _positive_int("GUNICORN_THREADS", 2 if workers > 1 else 8)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _positive_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
# A worker is replaced after about a thousand requests, so a slow leak never grows for long.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
logger_class = JsonLogger
# Processes are managed by signals (systemd, a container runtime); a shared control socket in
# $HOME would be fought over by several instances on one host.
control_socket_disable = True
