"""The respondent's questionnaire: a token opens one municipality's one domain, nothing else."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from kommuneradar.catalog.models import Domain
from kommuneradar.places.models import Municipality
from kommuneradar.surveys import services
from kommuneradar.surveys.models import Answer, Invitation, Response, Round
from tests.core.test_hardening import assert_too_many

from .conftest import full_answers, issue_token, technologies

pytestmark = pytest.mark.django_db


def url(token: str) -> str:
    return f"/spoergeskema/{token}/"


def test_a_valid_token_shows_its_own_municipality_and_domain(
    client: Client, vejle_token: str, health: Domain
) -> None:
    page = client.get(url(vejle_token))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vejle" in html and health.name_da in html
    assert "Aarhus" not in html
    for technology in technologies(health):
        assert f'id="id_t{technology.pk}-stage"' in html
        assert f'for="id_t{technology.pk}-stage"' in html


@pytest.mark.parametrize("token", ["made-up", "x" * 43, "a" * 300])
def test_a_made_up_token_gets_a_clear_404(client: Client, open_round: Round, token: str) -> None:
    page = client.get(url(token))
    assert page.status_code == 404
    assert "ikke gyldigt" in page.content.decode()


def test_a_revoked_token_gets_a_404(client: Client, vejle_token: str, vejle: Municipality) -> None:
    invitation = Invitation.objects.get(municipality=vejle, token_hash__gt="")
    services.revoke(invitation, None)
    assert client.get(url(vejle_token)).status_code == 404


def test_a_token_expires_when_the_round_closes(client: Client, vejle_token: str) -> None:
    round_ = Round.objects.get(year=2025)
    services.move_round(round_, Round.Status.CLOSED, None)
    page = client.get(url(vejle_token))
    assert page.status_code == 404
    assert "Vejle" not in page.content.decode()


def test_a_new_link_replaces_the_old_one(
    client: Client, vejle_token: str, vejle: Municipality
) -> None:
    invitation = Invitation.objects.get(municipality=vejle, token_hash__gt="")
    new_token = issue_token(invitation)
    assert client.get(url(vejle_token)).status_code == 404
    assert client.get(url(new_token)).status_code == 200


def test_a_token_writes_only_its_own_response(
    client: Client, vejle_token: str, aarhus_token: str, health: Domain, vejle: Municipality
) -> None:
    data = full_answers(health)
    social = Domain.objects.get(slug="social")
    foreign = next(t for t in technologies(social) if t not in technologies(health))
    data[f"t{foreign.pk}-stage"] = "scaled"
    data["municipality"] = "751"
    data["save"] = "1"
    assert client.post(url(vejle_token), data).status_code == 302
    [response] = Response.objects.all()
    assert (response.municipality, response.domain) == (vejle, health)
    assert not Answer.objects.filter(technology=foreign).exists()
    assert Answer.objects.count() == len(technologies(health))


def test_a_draft_can_be_saved_many_times_then_submitted_once(
    client: Client, vejle_token: str, health: Domain
) -> None:
    first = technologies(health)[0]
    partial = {f"t{first.pk}-stage": "considering", f"t{first.pk}-efficiency": "large", "save": "1"}
    assert client.post(url(vejle_token), partial).status_code == 302
    response = Response.objects.get()
    assert response.submitted_at is None
    assert Answer.objects.get().value_efficiency == "large"
    page = client.get(url(vejle_token)).content.decode()
    assert re.search(r'<option value="considering" selected>', page)
    assert "Forventet værdi" in page

    partial[f"t{first.pk}-stage"] = "piloting"
    assert client.post(url(vejle_token), partial).status_code == 302
    assert Answer.objects.get().stage == "piloting"

    submit = {**full_answers(health), "submit": "1"}
    assert client.post(url(vejle_token), submit).status_code == 302
    response.refresh_from_db()
    assert response.submitted_at is not None
    assert Answer.objects.count() == len(technologies(health))

    after = client.get(url(vejle_token))
    assert after.status_code == 200
    assert "indsendt" in after.content.decode()
    again = {**full_answers(health, stage="scaled"), "submit": "1"}
    client.post(url(vejle_token), again)
    assert not Answer.objects.filter(stage="scaled").exists()


def test_submitting_an_incomplete_form_keeps_the_input_and_marks_the_fields(
    client: Client, vejle_token: str, health: Domain
) -> None:
    data = full_answers(health)
    first, second = technologies(health)[:2]
    data[f"t{first.pk}-stage"] = ""
    data[f"t{second.pk}-quality"] = ""
    data[f"t{second.pk}-comment"] = "Vi har prøvet det i to plejecentre"
    data["submit"] = "1"
    page = client.post(url(vejle_token), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Vi har prøvet det i to plejecentre" in html
    assert "Vælg et svar" in html
    assert f'href="#id_t{first.pk}-stage"' in html
    assert f'href="#id_t{second.pk}-quality"' in html
    assert 'aria-invalid="true"' in html
    assert not Response.objects.exists()


def test_a_value_for_a_not_relevant_technology_is_refused_beside_the_field(
    client: Client, vejle_token: str, health: Domain
) -> None:
    first = technologies(health)[0]
    data = {f"t{first.pk}-stage": "not_relevant", f"t{first.pk}-wellbeing": "large", "save": "1"}
    page = client.post(url(vejle_token), data)
    assert page.status_code == 400
    assert f'href="#id_t{first.pk}-wellbeing"' in page.content.decode()


def test_garbage_choices_do_not_break_the_page(
    client: Client, vejle_token: str, health: Domain
) -> None:
    first = technologies(health)[0]
    data: dict[str, Any] = {f"t{first.pk}-stage": "<script>", f"t{first.pk}-efficiency": "9" * 500}
    page = client.post(url(vejle_token), {**data, "save": "1"})
    assert page.status_code == 400
    assert "<script>" not in page.content.decode()


def test_only_an_analyst_can_reopen_a_submitted_response(
    client: Client, vejle_token: str, health: Domain, analyst: Any, vejle_editor: Any
) -> None:
    client.post(url(vejle_token), {**full_answers(health), "submit": "1"})
    response = Response.objects.get()
    reopen = f"/runder/2025/svar/{response.pk}/genaabn/"
    assert client.post(reopen).status_code == 302  # to the login page
    client.force_login(vejle_editor)
    assert (
        client.post(reopen).status_code == 404
    )  # the refusal policy: editors may not see responses
    response.refresh_from_db()
    assert response.submitted_at is not None
    client.force_login(analyst)
    assert client.post(reopen).status_code == 302
    response.refresh_from_db()
    assert response.submitted_at is None
    client.logout()
    assert client.get(url(vejle_token)).status_code == 200
    assert "<form" in client.get(url(vejle_token)).content.decode()


def test_the_survey_link_answers_429_after_too_many_requests(
    client: Client, vejle_token: str, low_rate_limits: None
) -> None:
    url = f"/spoergeskema/{vejle_token}/"
    for _attempt in range(3):
        assert client.get(url).status_code == 200
    assert_too_many(client.get(url))
    # Guessing other keys counts against the same address.
    assert_too_many(client.get("/spoergeskema/gaettet-noegle/"))
