"""`make backup` and `make restore` on a real PostgreSQL server: the demo data dumped and
restored into another database, every table with every row. Runs where PostgreSQL answers
(DATABASE_URL, or the local server at 127.0.0.1:5432); skipped elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.ops.postgres import fresh_database, reachable_server

ROOT = Path(__file__).resolve().parents[2]
# Tables whose every value is compared, not only their number of rows.
CHECKSUMMED = ["places_municipality", "surveys_answer", "radar_blip", "cases_case", "accounts_user"]

SERVER = reachable_server()
needs_postgres = pytest.mark.skipif(
    SERVER is None, reason="no PostgreSQL server answers (DATABASE_URL or 127.0.0.1:5432)"
)


def _env(**values: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "SECRET_KEY_FILE", "DEBUG"}
    }
    env.update(values)
    return env


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own Makefile and manage.py)
        args, cwd=ROOT, env=_env(**env), capture_output=True, text=True, check=False
    )


def _make(target: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return _run(["make", "--no-print-directory", "-s", target, *args], **env)


def _tables(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts = {}
        for name in names:
            row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name)))
            counts[name] = row.fetchone()[0]  # type: ignore[index]
        return counts


def _checksum(url: str, table: str) -> str:
    query = sql.SQL("SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {} AS t").format(
        sql.Identifier(table)
    )
    with psycopg.connect(url) as conn:
        return str(conn.execute(query).fetchone()[0])  # type: ignore[index]


@pytest.fixture(scope="module")
def demo_database() -> Iterator[str]:
    assert SERVER is not None
    with fresh_database(SERVER, "kommuneradar_backup_source") as url:
        for command in (["migrate", "--noinput"], ["load_demo"]):
            done = _run([sys.executable, "manage.py", *command], DATABASE_URL=url, DEBUG="1")
            assert done.returncode == 0, done.stderr[-3000:]
        yield url


@needs_postgres
def test_a_backup_restored_into_a_fresh_database_holds_every_row(
    demo_database: str, tmp_path: Path
) -> None:
    assert SERVER is not None
    backup = _make("backup", f"BACKUP_DIR={tmp_path}", DATABASE_URL=demo_database)
    assert backup.returncode == 0, backup.stderr
    file = Path(backup.stdout.strip().splitlines()[-1])
    assert file.parent == tmp_path and file.name.startswith("kommuneradar-")
    assert file.suffix == ".dump" and file.stat().st_size > 0

    with ExitStack() as stack:
        restored = stack.enter_context(fresh_database(SERVER, "kommuneradar_backup_target"))
        restore = _make("restore", f"FILE={file}", DATABASE_URL=restored)
        assert restore.returncode == 0, restore.stderr

        source, target = _tables(demo_database), _tables(restored)
        assert source == target
        assert source["surveys_answer"] > 10_000 and source["cases_case"] > 0
        for table in CHECKSUMMED:
            assert _checksum(restored, table) == _checksum(demo_database, table), table


@needs_postgres
def test_restore_refuses_a_database_that_holds_tables_unless_told_to_overwrite(
    demo_database: str, tmp_path: Path
) -> None:
    backup = _make("backup", f"BACKUP_DIR={tmp_path}", DATABASE_URL=demo_database)
    file = backup.stdout.strip().splitlines()[-1]
    refused = _make("restore", f"FILE={file}", DATABASE_URL=demo_database)
    assert refused.returncode != 0
    assert "already holds" in refused.stderr and "OVERWRITE=yes" in refused.stderr
    before = _tables(demo_database)
    overwritten = _make("restore", f"FILE={file}", "OVERWRITE=yes", DATABASE_URL=demo_database)
    assert overwritten.returncode == 0, overwritten.stderr
    assert _tables(demo_database) == before


@pytest.mark.parametrize("url", ["", "sqlite:///db.sqlite3"])
def test_backup_and_restore_say_they_need_postgresql(url: str, tmp_path: Path) -> None:
    backup = _make("backup", f"BACKUP_DIR={tmp_path}", DATABASE_URL=url)
    assert backup.returncode != 0 and "PostgreSQL" in backup.stderr
    assert not list(tmp_path.iterdir())
    dump = tmp_path / "some.dump"
    dump.write_bytes(b"PGDMP")
    restore = _make("restore", f"FILE={dump}", DATABASE_URL=url)
    assert restore.returncode != 0 and "PostgreSQL" in restore.stderr


def test_restore_names_the_file_it_needs(tmp_path: Path) -> None:
    missing = _make("restore", DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert missing.returncode != 0 and "FILE=" in missing.stderr
    absent = _make("restore", f"FILE={tmp_path / 'none.dump'}", DATABASE_URL="postgres://x/y")
    assert absent.returncode != 0 and "there is no file" in absent.stderr
