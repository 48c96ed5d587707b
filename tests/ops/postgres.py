"""A throwaway PostgreSQL database for the tests that need a real server: the one of
DATABASE_URL when it is PostgreSQL, else the local server at 127.0.0.1:5432 when it answers."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def reachable_server() -> str | None:
    """The address of a PostgreSQL database we may connect to, or None."""
    configured = os.environ.get("DATABASE_URL", "")
    candidates = [configured] if configured.startswith(("postgres://", "postgresql://")) else []
    candidates.append(LOCAL_SERVER)
    for url in candidates:
        try:
            with psycopg.connect(_with_database(url, "postgres"), connect_timeout=3):
                return url
        except psycopg.Error:
            continue
    return None


@contextmanager
def fresh_database(server: str, prefix: str) -> Iterator[str]:
    """A new empty database on the server; dropped afterwards, connections and all."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = _with_database(server, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(server, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
