"""Personal API tokens on /min-konto/noegler/: only the owner sees and revokes them; the
secret is shown on the answer to the creation only; creating and revoking are audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kommuneradar.accounts import access
from kommuneradar.accounts.apitokens import create_token
from kommuneradar.accounts.models import ApiToken, AuditEntry, User

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_and_stored_hashed(
    csrf_client: Client, vejle_editor: User
) -> None:
    csrf_client.force_login(vejle_editor)
    page = csrf_client.get("/min-konto/noegler/")
    token = page.context["csrf_token"]
    created = csrf_client.post(
        "/min-konto/noegler/", {"name": "Sagssystem", "csrfmiddlewaretoken": token}
    )
    assert created.status_code == 200
    secret = created.context["new"].secret
    assert secret in created.content.decode()
    stored = ApiToken.objects.get(user=vejle_editor)
    assert stored.name == "Sagssystem"
    assert secret.split("_", 2)[2] not in stored.secret_hash
    again = csrf_client.get("/min-konto/noegler/").content.decode()
    assert "Sagssystem" in again
    assert secret not in again
    entry = AuditEntry.objects.get(action="token_created")
    assert entry.user == vejle_editor
    assert stored.secret_hash not in entry.summary


def test_a_name_is_required(client: Client, vejle_editor: User) -> None:
    client.force_login(vejle_editor)
    response = client.post("/min-konto/noegler/", {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_only_the_owner_revokes_a_token(
    client: Client, vejle_editor: User, aarhus_editor: User, analyst: User
) -> None:
    new = create_token(vejle_editor, "script")
    path = f"/min-konto/noegler/{new.token.pk}/tilbagekald/"
    for other in (aarhus_editor, analyst):
        client.force_login(other)
        assert client.post(path).status_code == 404
        assert new.token.pk not in [
            t.pk for t in client.get("/min-konto/noegler/").context["tokens"]
        ]
    client.force_login(vejle_editor)
    assert client.post(path).status_code == 302
    new.token.refresh_from_db()
    assert new.token.revoked_at is not None
    assert AuditEntry.objects.filter(action="token_revoked", user=vejle_editor).exists()


def test_the_page_needs_a_login(client: Client) -> None:
    response = client.get("/min-konto/noegler/")
    assert response.status_code == 302
    assert response["Location"].startswith("/log-ind/")


@pytest.mark.parametrize(
    ("who", "action", "allowed"),
    [
        ("owner", "view", True),
        ("owner", "change", True),
        ("other editor", "view", False),
        ("analyst", "view", False),
        ("analyst", "change", False),
        ("anonymous", "view", False),
    ],
)
def test_a_token_is_its_owners_alone(
    vejle_editor: User,
    aarhus_editor: User,
    analyst: User,
    who: str,
    action: Any,
    allowed: bool,
) -> None:
    token = create_token(vejle_editor, "script").token
    user = {
        "owner": vejle_editor,
        "other editor": aarhus_editor,
        "analyst": analyst,
        "anonymous": None,
    }[who]
    assert access.may(user, action, token) is allowed
    rows = access.restrict(ApiToken.objects, user, action)
    assert rows.filter(pk=token.pk).exists() is allowed
