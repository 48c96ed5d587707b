"""Search structures per database: on PostgreSQL the pg_trgm extension, a GIN index on the
generated Danish search vector and a trigram index on titles for typos; on SQLite an FTS5 table of
Danish snowball stems (filled by the app, see kommuneradar/cases/indexing.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# lz4 (where the server has it) makes reading the stored vectors several times faster.
POSTGRES_LZ4 = (
    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
    "AND 'lz4' = ANY(enumvals)) THEN "
    "ALTER TABLE cases_case ALTER COLUMN search_vector SET COMPRESSION lz4; END IF; END $$"
)
POSTGRES_FORWARD = [
    "CREATE INDEX cases_case_search_gin ON cases_case USING gin (search_vector)",
    "CREATE INDEX cases_case_title_trgm ON cases_case USING gin (title gin_trgm_ops)",
    POSTGRES_LZ4,
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS cases_case_search_gin",
    "DROP INDEX IF EXISTS cases_case_title_trgm",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE cases_case_fts USING fts5("
    "title, summary, keywords, body, lessons, tokenize = 'unicode61 remove_diacritics 0')"
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS cases_case_fts"]


def forward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forward, backward),
    ]
