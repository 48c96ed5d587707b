"""Schemathesis generates requests from /api/v1/openapi.json and sends them to the Django
application in-process (WSGI, the test database): every operation, anonymously and with a
municipal editor's token. No answer may be a server error, and every documented answer must
match its schema. At least 500 requests in all."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kommuneradar.accounts.models import User
from kommuneradar.api.api import api
from tests.api.conftest import World, bearer

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 13
MINIMUM_REQUESTS = 500
APP = get_wsgi_application()
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection when a request starts and finishes,
    which would end the test's transaction; Django's own test client holds the signals back
    the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_generated_requests_find_no_server_error_and_no_broken_schema(
    world: World, vejle_editor: User, keep_the_test_connection: None
) -> None:
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    token = bearer(vejle_editor, "schemathesis")
    callers: list[dict[str, str]] = [{}, {"Authorization": f"Bearer {token}"}]
    sent = 0
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 20

    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def send(case: Any) -> None:
            nonlocal sent
            for headers in callers:
                if not headers:
                    case.headers = {
                        key: value
                        for key, value in (case.headers or {}).items()
                        if key.lower() != "authorization"
                    }
                response = case.call(app=APP, headers=headers, base_url="http://testserver")
                sent += 1
                case.validate_response(response, checks=CHECKS, headers=headers)

        send()
    assert sent >= MINIMUM_REQUESTS
