"""The Backstage export validated by the Backstage plugin's own parser, under Node.

The set-up installs the pinned npm packages once into a cache directory
($KOMMUNERADAR_NODE_CACHE, or ~/.cache/kommuneradar/node); later runs are offline. In CI
(environment variable CI set) a missing Node or a failed install is an error; elsewhere
the test is skipped and says why."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kommuneradar.radar import exporting
from kommuneradar.radar.models import Edition

from .conftest import MakeRound
from .test_pages import SLUGS, publish

PACKAGES = ("@backstage-community/plugin-tech-radar-common@1.13.0", "zod@3.25.76")
CHECK = Path(__file__).with_name("backstage_check.cjs")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def node_prefix() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _unavailable("Node.js and npm are needed to check the Backstage export")
    default = Path.home() / ".cache" / "kommuneradar" / "node"
    prefix = Path(os.environ.get("KOMMUNERADAR_NODE_CACHE", default)) / "tech-radar-common-1.13.0"
    marker = prefix / "node_modules" / "@backstage-community" / "plugin-tech-radar-common"
    if not marker.exists():
        prefix.mkdir(parents=True, exist_ok=True)
        command = [str(npm), "install", "--prefix", str(prefix), "--no-audit", "--no-fund"]
        try:
            subprocess.run(  # noqa: S603 (fixed, pinned arguments)
                [*command, "--ignore-scripts", *PACKAGES],
                check=True,
                capture_output=True,
                timeout=180,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            _unavailable(f"npm could not install {', '.join(PACKAGES)}: {exc}")
    return prefix


def _check(prefix: Path, *documents: Any, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    files = []
    for number, document in enumerate(documents):
        path = tmp_path / f"radar-{number}.json"
        path.write_bytes(document if isinstance(document, bytes) else json.dumps(document).encode())
        files.append(str(path))
    node = shutil.which("node")
    assert node is not None
    return subprocess.run(  # noqa: S603 (our own script and files)
        [node, str(CHECK), str(prefix), *files],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_backstage_export_passes_the_plugins_own_parser(
    node_prefix: Path, make_round: MakeRound, tmp_path: Path
) -> None:
    publish(make_round, SLUGS[:6], 2022)
    publish(make_round, SLUGS, 2023)
    publish(make_round, SLUGS[2:], 2024)
    documents = [
        exporting.export_edition(edition, "backstage", "https://kommuneradar.example")[0]
        for edition in Edition.objects.filter(status=Edition.Status.PUBLISHED)
    ]
    assert len(documents) >= 3
    result = _check(node_prefix, *documents, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_refuses_a_broken_document(node_prefix: Path, tmp_path: Path) -> None:
    broken = {
        "quadrants": [{"id": "q", "name": "Q"}],
        "rings": [{"id": "r", "name": "R"}],
        "entries": [{"key": "a", "id": "a", "quadrant": "elsewhere", "title": "A", "timeline": []}],
    }
    result = _check(node_prefix, broken, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "rings.0.color" in result.stdout
    broken["rings"] = [{"id": "r", "name": "R", "color": "#000"}]
    result = _check(node_prefix, broken, tmp_path=tmp_path)
    assert "entries.0.quadrant: unknown elsewhere" in result.stdout
