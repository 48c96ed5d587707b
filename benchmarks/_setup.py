"""Shared set-up for benchmark scripts: a throwaway database, migrated, with Django ready.

SQLite in a temporary file by default; with DATABASE_URL=postgres://…, a database named
kr_bench_<name>_<database of DATABASE_URL> on the same server (so benchmarks started from
different checkouts never share one), dropped and created afresh.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def throwaway_database(name: str) -> str:
    """Point Django at a fresh database and return a label for the report."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommuneradar.test_settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        parts = urlsplit(url)
        own = parts.path.strip("/")
        database = f"kr_bench_{name}_{own}" if own else f"kr_bench_{name}"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
            connection.execute(f'CREATE DATABASE "{database}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
        label = "PostgreSQL"
    else:
        folder = tempfile.mkdtemp(prefix=f"kr-bench-{name}-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        label = "SQLite"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return label


# The benchmarks of issue 10 (load.py, edition_round.py, import_million.py, submissions.py)
# measure the database DATABASE_URL points at, as it is: the demo (`manage.py load_demo`) or
# the scale data (`manage.py load_scale_demo`). What they write they roll back or delete.


def existing_database() -> str:
    """Point Django at DATABASE_URL as it is (PostgreSQL required) and return a label."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommuneradar.test_settings")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        # skipped, not failed: `make bench` without PostgreSQL runs the other benchmarks
        print(
            "skipped: set DATABASE_URL=postgres://… to the database to measure, with data in "
            "it (manage.py migrate, then manage.py load_demo or load_scale_demo)"
        )
        raise SystemExit(0)
    import django

    django.setup()
    return "PostgreSQL"


def data_size() -> dict[str, int]:
    """How much data the database holds (printed and written beside every figure)."""
    from django.db import connection

    tables = {
        "municipalities": "places_municipality",
        "domains": "catalog_domain",
        "technologies": "catalog_technology",
        "rounds": "surveys_round",
        "responses": "surveys_response",
        "answers": "surveys_answer",
        "editions": "radar_edition",
        "cases": "cases_case",
        "projects": "benefits_project",
    }
    size: dict[str, int] = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")
            size[name] = int(cursor.fetchone()[0])
    return size


def describe(size: dict[str, int]) -> str:
    return ", ".join(f"{count:,} {name}" for name, count in size.items())


def machine() -> dict[str, object]:
    """The machine and its load when a figure was measured (the machine is shared)."""
    import platform
    import time

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    memory_kb = 0
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return {
        "host": platform.node(),
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "postgresql": server_version,
        "python": platform.python_version(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }


def write_results(name: str, figures: dict[str, object]) -> Path:
    """Write a benchmark's figures to benchmarks/results/<name>.json and say where."""
    import json

    path = ROOT / "benchmarks" / "results" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"figures written to {path.relative_to(ROOT)}")
    return path


@contextlib.contextmanager
def served(started_with: dict[str, str], **settings: str) -> Iterator[str]:
    """scripts/serve (`make serve`: gunicorn, DEBUG off) on a free port with the environment
    the benchmark was started with plus `settings`; yields its base URL, stops it after."""
    import signal
    import socket
    import subprocess
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    environment = {k: v for k, v in started_with.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment |= {"PORT": str(port), "PY": sys.executable, **settings}
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [str(ROOT / "scripts" / "serve")],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,  # the access log: one line per request
            stderr=log,
            start_new_session=True,
        )
        try:
            for _attempt in range(3000):
                try:
                    with urllib.request.urlopen(f"{base}/healthz", timeout=30) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if server.poll() is not None:
                    log.seek(0)
                    sys.stderr.write(log.read().decode(errors="replace")[-3000:])
                    raise SystemExit("scripts/serve stopped")
                time.sleep(0.1)
            else:
                raise SystemExit("the server did not start")
            yield base
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=60)
