"""The lock (requirements/lock.txt, `make lock`) holds every pin of pyproject.toml, each with
hashes: a dependency added to pyproject without re-locking fails here, not at install."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;]+)$")


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    pins = {}
    for requirement in requirements:
        match = PIN.match(requirement.strip())
        assert match, f"{requirement!r} in pyproject.toml is not pinned exactly (name==version)"
        pins[_name(match[1])] = match[3]
    return pins


def locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    text = LOCK.read_text().replace("\\\n", " ")
    entries = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, *options = line.split()
        name, _, version = requirement.partition("==")
        assert version, f"{requirement!r} in the lock is not pinned"
        hashes = sum(1 for option in options if option.startswith("--hash=sha256:"))
        entries[_name(name)] = (version, hashes)
    return entries


def test_every_pin_of_pyproject_is_in_the_lock_at_the_same_version() -> None:
    lock = locked()
    missing = {name: version for name, version in pyproject_pins().items() if name not in lock}
    different = {
        name: (version, lock[name][0])
        for name, version in pyproject_pins().items()
        if name in lock and lock[name][0] != version
    }
    assert not missing, f"not in {LOCK.name}: {missing}; run `make lock`"
    assert not different, f"pyproject vs lock: {different}; run `make lock`"


def test_every_locked_package_has_its_hashes() -> None:
    unhashed = [name for name, (_version, hashes) in locked().items() if hashes == 0]
    assert not unhashed


def test_the_extras_asked_for_are_locked_too() -> None:
    # psycopg[binary] brings psycopg-binary, django-stubs[compatible-mypy] brings mypy
    lock = locked()
    assert lock["psycopg-binary"][0] == lock["psycopg"][0]
    assert "mypy" in lock


def test_the_installer_and_its_build_backend_are_locked() -> None:
    # `make install` builds the project with --no-build-isolation: setuptools comes from the lock
    lock = locked()
    assert {"pip", "setuptools"} <= set(lock)
