"""Analysts can work in the admin on the catalogue; editors cannot."""

from __future__ import annotations

from django.test import Client

from kommuneradar.accounts.models import User


def test_an_analyst_is_staff_and_may_maintain_the_catalogue(client: Client, analyst: User) -> None:
    analyst.refresh_from_db()
    assert analyst.is_staff
    assert analyst.has_perm("catalog.change_technology")
    assert analyst.has_perm("radar.add_ringoverride")
    assert not analyst.has_perm("accounts.change_user")
    client.force_login(analyst)
    assert client.get("/admin/catalog/technology/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403


def test_an_editor_cannot_enter_the_admin(client: Client, vejle_editor: User) -> None:
    assert not vejle_editor.is_staff
    client.force_login(vejle_editor)
    response = client.get("/admin/catalog/technology/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
