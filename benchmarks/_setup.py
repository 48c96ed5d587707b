"""Shared set-up for benchmark scripts: a throwaway database, migrated, with Django ready.

SQLite in a temporary file by default; with DATABASE_URL=postgres://…, a database named
kr_bench_<name>_<database of DATABASE_URL> on the same server (so benchmarks started from
different checkouts never share one), dropped and created afresh.
"""

from __future__ import annotations

import os
import sys
import tempfile
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
