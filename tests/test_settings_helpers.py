"""Settings come from the environment and fail loudly on nonsense."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kommuneradar.settings import env_bool, env_int, env_list, env_str


def test_booleans_accept_the_usual_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", default=False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


@pytest.mark.parametrize(("helper", "value"), [(env_bool, "maybe"), (env_int, "12x")])
def test_a_bad_value_is_refused_with_its_name(
    monkeypatch: pytest.MonkeyPatch, helper: object, value: str
) -> None:
    monkeypatch.setenv("SETTING", value)
    with pytest.raises(ImproperlyConfigured, match="SETTING"):
        if helper is env_bool:
            env_bool("SETTING", default=False)
        else:
            env_int("SETTING", 1)


def test_secrets_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("API_TOKEN_FILE", str(secret))
    assert env_str("API_TOKEN") == "from-a-file"
    monkeypatch.setenv("API_TOKEN_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="API_TOKEN_FILE"):
        env_str("API_TOKEN")


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTS", " a.example, b.example ,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import kommuneradar.settings"],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "false"},
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
