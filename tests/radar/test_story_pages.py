"""The story of an edition on the real pages: analysts write the introduction, contact
and ring reasons (kept with history, audited); the radar, technology and method pages
show them; editors and anonymous visitors are refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kommuneradar.accounts.models import AuditEntry
from kommuneradar.radar.editions import compute_round
from kommuneradar.radar.models import EditionStory, PlacementRules, RingReason
from kommuneradar.surveys.models import Round
from tests.conftest import MakeRound

PATTERN = ["scaled", "in_operation", "piloting", "considering", "not_considering"]
SLUGS = ["skaermbesoeg", "sensorer", "telemedicin", "rpa"]


@pytest.fixture
def published(make_round: MakeRound) -> Round:
    round_ = None
    for year, shift in ((2023, 2), (2024, 0)):
        stages = {
            slug: [PATTERN[(i + j + shift) % len(PATTERN)] for j in range(12)]
            for i, slug in enumerate(SLUGS)
        }
        round_ = make_round(year, stages)
        compute_round(round_, publish=True)
    assert round_ is not None
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.PUBLISHED)
    return round_


def _client(user: Any) -> Client:
    """Signed in through the real login page."""
    client = Client()
    response = client.post("/log-ind/", {"username": user.username, "password": "pw"})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_analyst_writes_introduction_and_reason_with_history(
    published: Round, analyst: Any
) -> None:
    client = _client(analyst)
    url = "/runder/2024/fortaelling/"
    assert client.get(url).status_code == 200
    for text in ("Første indledning.", "Anden indledning."):
        response = client.post(
            url,
            {
                "action": "story",
                "scope": "alle",
                "introduction": text,
                "expert_panel": "Tre eksperter fra KL.",
                "contact_name": "Karen Kontakt",
                "contact_role": "Chefkonsulent",
                "contact_email": "karen@kl.example",
            },
        )
        assert response.status_code == 302
    for text in ("Moden og udbredt.", "Moden, udbredt og billig."):
        response = client.post(
            url,
            {"action": "reason", "scope": "alle", "technology": _pk("skaermbesoeg"), "text": text},
        )
        assert response.status_code == 302
    assert EditionStory.objects.filter(round=published).count() == 2
    assert RingReason.objects.filter(round=published).count() == 2
    assert AuditEntry.objects.filter(action="edition_story").count() == 2
    assert AuditEntry.objects.filter(action="ring_reason").count() == 2

    radar = Client().get("/radar/2024/").content.decode()
    assert "Anden indledning." in radar and "Første indledning." not in radar
    assert "Moden, udbredt og billig." in radar
    assert "Karen Kontakt" in radar and "karen@kl.example" in radar
    assert "Højdepunkter i 2024" in radar
    assert 'href="/radar/2024/alle/metode/"' in radar

    technology = Client().get("/teknologi/skaermbesoeg/").content.decode()
    assert "Hvorfor denne ring" in technology
    # the current reason and its history
    assert technology.count("Moden, udbredt og billig.") == 2
    assert "Moden og udbredt." in technology

    editing = client.get(url).content.decode()
    assert "Første indledning." in editing  # in the history
    assert "Anden indledning." in editing


def _pk(slug: str) -> int:
    from kommuneradar.catalog.models import Technology

    return Technology.objects.get(slug=slug).pk


def test_bad_input_is_refused_and_kept(published: Round, analyst: Any) -> None:
    client = _client(analyst)
    response = client.post(
        "/runder/2024/fortaelling/",
        {
            "action": "story",
            "scope": "alle",
            "introduction": "Min tekst",
            "contact_email": "ikke-en-adresse",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Min tekst" in body
    assert "gyldig e-mail-adresse" in body
    response = client.post(
        "/runder/2024/fortaelling/",
        {"action": "reason", "scope": "alle", "technology": _pk("rpa"), "text": "   "},
    )
    assert response.status_code == 400
    assert not EditionStory.objects.exists() and not RingReason.objects.exists()


def test_editors_and_anonymous_are_refused(
    published: Round, vejle_editor: Any, analyst: Any
) -> None:
    data = {"action": "reason", "scope": "alle", "technology": _pk("rpa"), "text": "Nej."}
    editor = _client(vejle_editor)
    assert editor.get("/runder/2024/fortaelling/").status_code == 403
    assert editor.post("/runder/2024/fortaelling/", data).status_code == 403
    anonymous = Client().post("/runder/2024/fortaelling/", data)
    assert anonymous.status_code == 302 and "/log-ind/" in anonymous["Location"]
    assert not RingReason.objects.exists()


def test_method_page_reads_the_rules_and_figures_of_the_edition(published: Round) -> None:
    rules = PlacementRules.objects.create(klar_from=0.8, afproev_from=0.55, hold_oeje_from=0.3)
    body = Client().get("/radar/2024/alle/metode/").content.decode()
    # the thresholds the edition was computed with, not today's rules
    assert "0,75 eller mere" in body
    assert "0,80" not in body
    assert "mindst 5 kommuner" in body
    assert "12 kommuner" in body  # respondents
    assert "Sundhed og ældre" in body  # response per domain
    assert "0,125" in body  # maturity of rating 2: (2 - 1) / 8
    rules.delete()
    assert Client().get("/radar/1999/alle/metode/").status_code == 404
