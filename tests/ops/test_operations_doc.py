"""docs/operations.md names every environment variable the settings and gunicorn read."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def variables_read() -> set[str]:
    settings = (ROOT / "kommuneradar" / "settings.py").read_text()
    gunicorn = (ROOT / "kommuneradar" / "gunicorn_conf.py").read_text()
    names = set(re.findall(r"env_[a-z]+\(\s*\"([A-Z][A-Z0-9_]*)\"", settings))
    names |= set(
        re.findall(r"(?:os\.environ\.get|_positive_int)\(\s*[\"']([A-Z][A-Z0-9_]*)", gunicorn)
    )
    return names


def test_every_environment_variable_is_documented_in_operations() -> None:
    names = variables_read()
    assert {"SECRET_KEY", "DATABASE_URL", "WEB_CONCURRENCY", "GUNICORN_THREADS"} <= names
    documented = (ROOT / "docs" / "operations.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in documented)
    assert not missing, f"add to the table in docs/operations.md: {missing}"
