"""Is this process fit to serve? The answer a load balancer reads at /healthz."""

from __future__ import annotations

import json
import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse

logger = logging.getLogger(__name__)

# Migrations do not become unapplied under a running process (a deploy restarts it), so once
# the plan has been found empty, later probes only ask the database to answer.
_migrations_complete = False


def unfit_reason() -> str | None:
    """Why this process should get no traffic, or None when the database answers and every
    migration of the code is applied."""
    global _migrations_complete
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if _migrations_complete:
            return None
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return "the database does not answer"
    if plan:
        return f"{len(plan)} migration(s) not applied"
    _migrations_complete = True
    return None


def health_response() -> HttpResponse:
    """200 with {"status": "ok"}, or 503 with the reason."""
    reason = unfit_reason()
    body = {"status": "ok"} if reason is None else {"status": "unavailable", "reason": reason}
    response = HttpResponse(
        json.dumps(body), status=200 if reason is None else 503, content_type="application/json"
    )
    response["Cache-Control"] = "no-store"
    return response
