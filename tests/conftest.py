"""Named people for every test: an analyst, an editor of Vejle, an editor of Aarhus
(the outsider for Vejle's data), an admin; and a client that enforces CSRF."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kommuneradar.accounts.models import User
from kommuneradar.places.models import Municipality


@pytest.fixture
def vejle(db: Any) -> Municipality:
    return Municipality.objects.get(code="630")


@pytest.fixture
def aarhus(db: Any) -> Municipality:
    return Municipality.objects.get(code="751")


@pytest.fixture
def analyst(db: Any) -> User:
    return User.objects.create_user("anna", "anna@kl.example", "pw", role=User.Role.ANALYST)


@pytest.fixture
def vejle_editor(vejle: Municipality) -> User:
    return User.objects.create_user(
        "victor", "victor@vejle.example", "pw", role=User.Role.EDITOR, municipality=vejle
    )


@pytest.fixture
def aarhus_editor(aarhus: Municipality) -> User:
    return User.objects.create_user(
        "astrid", "astrid@aarhus.example", "pw", role=User.Role.EDITOR, municipality=aarhus
    )


@pytest.fixture
def admin_user(db: Any) -> User:
    return User.objects.create_superuser("root", "root@kl.example", "pw")


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)
