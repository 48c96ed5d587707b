"""Structured logs: one JSON object per line, for the application and for gunicorn's access log.

No Django import: the settings' LOGGING and the gunicorn configuration both use this module.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

# The WSGI environ key where the request's user id is left for the access log
# (set by core.middleware.AccessLogUserMiddleware, read by the gunicorn logger).
USER_ID_KEY = "kommuneradar.user_id"

# Links that are keys: their secret part never reaches a log, wherever it appears in a line.
_PART = r"[^/\s'\"?\\]+"
_SECRET_PATHS = [
    (re.compile(rf"/spoergeskema/{_PART}"), "/spoergeskema/[token]"),
    (re.compile(rf"/invitation/{_PART}"), "/invitation/[token]"),
    (re.compile(rf"/adgangskode/ny/(?!faerdig/){_PART}/{_PART}"), "/adgangskode/ny/[uid]/[token]"),
]

# The attributes every LogRecord has; anything else was passed with `extra=` and is logged.
_STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
}


def redact_path(path: str) -> str:
    """The text with the secret part of every questionnaire, invitation or reset link removed."""
    for pattern, replacement in _SECRET_PATHS:
        path = pattern.sub(replacement, path)
    return path


def _timestamp(created: float) -> str:
    return datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON: time (UTC, ISO 8601), level, logger, message,
    the exception if any, and every field passed with `extra=`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return redact_path(json.dumps(entry, default=str, ensure_ascii=False))


def access_entry(
    *,
    created: float,
    method: str,
    path: str,
    status: int,
    duration_ms: float,
    size: int | None,
    remote_addr: str,
    forwarded_for: str,
    user_id: object,
) -> str:
    """One request as one line of JSON (duration in milliseconds, size in bytes sent)."""
    entry: dict[str, Any] = {
        "time": _timestamp(created),
        "type": "access",
        "method": method,
        "path": redact_path(path),
        "status": status,
        "duration_ms": round(duration_ms, 1),
        "bytes": size,
        "remote_addr": remote_addr,
        "user_id": user_id,
    }
    if forwarded_for:
        entry["forwarded_for"] = forwarded_for
    return json.dumps(entry, ensure_ascii=False)
