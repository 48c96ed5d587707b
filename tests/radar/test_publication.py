"""Review and publication live in the radar app: the analyst computes, overrides and publishes
through the page, each step leaves its named audit entry, and editors are refused."""

from __future__ import annotations

from typing import Any

from django.test import Client

from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.catalog.models import Technology
from kommuneradar.radar.models import ALL_DOMAINS, Edition, Ring
from kommuneradar.surveys.models import Round

STAGES = ["in_operation", "scaled", "in_operation", "piloting", "considering"] * 2


def test_an_analyst_reviews_overrides_and_publishes_a_round(
    client: Client, make_round: Any, analyst: User
) -> None:
    make_round(2025, {"skaermbesoeg": STAGES})
    login = client.post(
        "/admin/login/?next=/runder/2025/udgivelse/",
        {"username": "anna", "password": "pw", "next": "/runder/2025/udgivelse/"},
    )
    assert login["Location"] == "/runder/2025/udgivelse/"
    assert client.post("/runder/2025/udgivelse/", {"action": "compute"}).status_code == 302
    technology = Technology.objects.get(slug="skaermbesoeg")
    override = {
        "action": "override",
        "scope": ALL_DOMAINS,
        "technology": technology.pk,
        "ring": Ring.HOLD_OEJE,
        "reason": "Få svar i år.",
    }
    assert client.post("/runder/2025/udgivelse/", override).status_code == 302
    assert client.post("/runder/2025/udgivelse/", {"action": "publish"}).status_code == 302
    assert Round.objects.get(year=2025).status == Round.Status.PUBLISHED
    assert Edition.objects.filter(status=Edition.Status.PUBLISHED).exists()
    actions = set(AuditEntry.objects.filter(user=analyst).values_list("action", flat=True))
    assert {"editions_computed", "ring_override", "round_published"} <= actions


def test_an_editor_sees_the_round_but_may_not_publish_it(
    client: Client, make_round: Any, vejle_editor: User
) -> None:
    make_round(2025, {"skaermbesoeg": STAGES})
    logged_in = client.post("/log-ind/", {"username": "victor", "password": "pw"})
    assert logged_in.status_code == 302
    assert client.get("/runder/2025/udgivelse/").status_code == 403
    assert client.post("/runder/2025/udgivelse/", {"action": "publish"}).status_code == 403
    assert Round.objects.get(year=2025).status == Round.Status.CLOSED
    assert not AuditEntry.objects.exists()
