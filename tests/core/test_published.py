"""Published data is computed once per published-data version: every publication, revision
and follow-up moves the version, so each page shows the new data at once, and the ETag
that anonymous visitors revalidate with changes with it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kommuneradar.accounts.models import User
from kommuneradar.benefits import services as benefits_services
from kommuneradar.benefits.models import FollowUp
from kommuneradar.cases import services as case_services
from kommuneradar.cases import workflow
from kommuneradar.cases.models import Case
from kommuneradar.catalog.models import Technology
from kommuneradar.core import published
from kommuneradar.places.models import Municipality
from kommuneradar.radar import services as radar_services
from kommuneradar.surveys.models import Answer, Round
from tests.accounts.test_accounts import log_in
from tests.benefits.factories import make_project
from tests.conftest import MakeRound

USE = "in_operation"
# Ten municipalities: six use screen visits, so it is placed.
SCREEN_VISITS = [
    *[USE, USE, USE, "scaled", USE, USE],
    *["considering", "piloting", "not_considering", "not_considering"],
]


@pytest.fixture
def closed_round(make_round: MakeRound) -> Round:
    return make_round(2024, {"skaermbesoeg": SCREEN_VISITS, "rpa": SCREEN_VISITS[::-1]})


@pytest.fixture
def published_round(closed_round: Round, analyst: User) -> Round:
    radar_services.publish_round(closed_round, analyst)
    return closed_round


def _visit(client: Client, path: str) -> tuple[str, str]:
    """The page's HTML and ETag, for an anonymous visitor who already has the CSRF cookie."""
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), response["ETag"]


# The version -----------------------------------------------------------------------


def test_saving_a_tracked_model_moves_the_version(vejle: Municipality) -> None:
    before = published.version()
    vejle.population += 1
    vejle.save()
    assert published.version() > before


def test_the_version_moves_again_when_the_transaction_commits(
    vejle: Municipality, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        vejle.save()
        during = published.version()
    assert callbacks
    assert published.version() > during


def test_a_saved_survey_answer_does_not_move_the_version(closed_round: Round) -> None:
    before = published.version()
    answer = Answer.objects.filter(response__round=closed_round).first()
    assert answer is not None
    answer.stage = "scaled"
    answer.save()
    assert published.version() == before


def test_a_cached_value_is_computed_once_per_version(vejle: Municipality) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert published.cached("test-figure", (1,), compute) == 1
    assert published.cached("test-figure", (1,), compute) == 1
    vejle.save()
    assert published.cached("test-figure", (1,), compute) == 2


def test_only_values_that_read_the_date_are_computed_again_the_next_day(
    vejle: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def compute(name: str) -> Any:
        def value() -> int:
            calls.append(name)
            return len(calls)

        return value

    published.cached("overdue", (), compute("overdue"))
    published.cached("radar", (), compute("radar"), daily=False)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    published.cached("overdue", (), compute("overdue"))
    published.cached("radar", (), compute("radar"), daily=False)
    assert calls == ["overdue", "radar", "overdue"]
    vejle.save()  # a change of published data reaches both
    published.cached("radar", (), compute("radar"), daily=False)
    assert calls[-1] == "radar"


def test_a_municipality_profile_is_not_computed_again_the_next_day(
    client: Client, published_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kommuneradar.network import services as network_services

    html, _etag = _visit(client, "/kommuner/630/")

    def not_again(*args: Any) -> None:
        raise AssertionError("the profile was computed again")

    monkeypatch.setattr(network_services, "municipality_profile", not_again)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    again, _etag = _visit(client, "/kommuner/630/")
    assert "<h1>Vejle</h1>" in html and "<h1>Vejle</h1>" in again


# Each invalidation shows the new data ----------------------------------------------


def test_publishing_an_edition_shows_it(client: Client, closed_round: Round, analyst: User) -> None:
    assert client.get("/radar/2024/").status_code == 404
    technology_before, etag_before = _visit(client, "/teknologi/skaermbesoeg/")
    radar_services.publish_round(closed_round, analyst)
    html, _etag = _visit(client, "/radar/2024/")
    assert "Skærmbesøg" in html
    technology_after, etag_after = _visit(client, "/teknologi/skaermbesoeg/")
    assert "Ring 2024" in technology_after and "Ring 2024" not in technology_before
    assert etag_after != etag_before


def test_revising_an_edition_shows_the_revision(
    client: Client, published_round: Round, analyst: User
) -> None:
    html, etag = _visit(client, "/radar/2024/")
    api_before = client.get("/api/v1/editions/2024/alle").json()
    Answer.objects.filter(
        response__round=published_round, technology__slug="skaermbesoeg", stage=USE
    ).update(stage="considering")
    radar_services.publish_round(published_round, analyst, "Svar rettet")
    html_after, etag_after = _visit(client, "/radar/2024/")
    assert etag_after != etag
    assert "Svar rettet" in html_after and "Svar rettet" not in html
    api_after = client.get("/api/v1/editions/2024/alle").json()
    assert api_after["revision"] == api_before["revision"] + 1


def test_publishing_a_case_shows_it(
    client: Client, published_round: Round, analyst: User, vejle: Municipality
) -> None:
    case = Case.objects.create(
        title="Skærmbesøg om natten",
        summary="Kort resumé.",
        lead_municipality=vejle,
        state=Case.State.SUBMITTED,
    )
    case.technologies.add(Technology.objects.get(slug="skaermbesoeg"))
    before, etag = _visit(client, "/teknologi/skaermbesoeg/")
    profile_before, profile_etag = _visit(client, "/kommuner/630/")
    search_before, search_etag = _visit(client, "/cases/")
    assert "Skærmbesøg om natten" not in before + profile_before + search_before
    case_services.change_state(analyst, case, workflow.PUBLISH)
    after, etag_after = _visit(client, "/teknologi/skaermbesoeg/")
    profile_after, profile_etag_after = _visit(client, "/kommuner/630/")
    search_after, search_etag_after = _visit(client, "/cases/")
    assert "Skærmbesøg om natten" in after and "Skærmbesøg om natten" in profile_after
    assert "Skærmbesøg om natten" in search_after
    assert etag_after != etag and profile_etag_after != profile_etag
    assert search_etag_after != search_etag


def test_publishing_a_project_shows_it(
    client: Client, published_round: Round, vejle: Municipality
) -> None:
    project = make_project(vejle, title="Natkameraer i Vejle", published=False)
    board_before, etag = _visit(client, "/gevinster/")
    technology_before, _etag = _visit(client, "/teknologi/skaermbesoeg/")
    assert "Natkameraer i Vejle" not in technology_before
    project.published = True
    project.save()
    board_after, etag_after = _visit(client, "/gevinster/")
    technology_after, _etag = _visit(client, "/teknologi/skaermbesoeg/")
    assert "Natkameraer i Vejle" in technology_after
    assert board_after != board_before and etag_after != etag


def test_recording_a_follow_up_shows_it(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    project = make_project(vejle, hours_expected=3848)
    _visit(client, "/gevinster/")
    before = client.get("/gevinster/").context["board"].overall
    etag = client.get("/gevinster/")["ETag"]
    follow_up = FollowUp(
        project=project, measured_on=dt.date(2024, 6, 1), hours_freed=Decimal(1924)
    )
    benefits_services.save_follow_up(vejle_editor, follow_up)
    response = client.get("/gevinster/")
    after = response.context["board"].overall
    assert (before.measured_projects, before.realised_fte) == (0, 0)
    assert (after.measured_projects, after.realised_fte) == (1, pytest.approx(1.0))
    assert response["ETag"] != etag


# HTTP caching ----------------------------------------------------------------------

PAGES = [
    "/",
    "/radar/2024/",
    "/radar/2024/sundhed-og-aeldre/",
    "/teknologi/skaermbesoeg/",
    "/kommuner/630/",
    "/gevinster/",
    "/cases/?q=sk%C3%A6rmbes%C3%B8g",
]  # the API's own ETag and 304: tests/api/test_caching_and_redirects.py


@pytest.mark.parametrize("path", PAGES)
def test_a_matching_etag_answers_304_without_rendering(
    client: Client, published_round: Round, path: str, django_assert_num_queries: Any
) -> None:
    client.get(path)  # the CSRF cookie of a first visit
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == f"public, max-age={published.PUBLIC_MAX_AGE}"
    assert "Cookie" in response["Vary"]
    with django_assert_num_queries(0 if path != "/" else 1):  # "/" looks up the latest year
        again = client.get(path, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == response["ETag"]
    assert again["Cache-Control"] == response["Cache-Control"]


def test_a_published_case_page_answers_304(
    client: Client, vejle: Municipality, analyst: User
) -> None:
    case = Case.objects.create(
        title="Robotter", summary="Kort.", lead_municipality=vejle, state=Case.State.PUBLISHED
    )
    client.get(f"/cases/{case.pk}/")
    etag = client.get(f"/cases/{case.pk}/")["ETag"]
    assert client.get(f"/cases/{case.pk}/", headers={"if-none-match": etag}).status_code == 304
    case.summary = "Længere resumé."
    case.save()
    assert client.get(f"/cases/{case.pk}/", headers={"if-none-match": etag}).status_code == 200


def test_a_first_visit_that_gets_its_csrf_cookie_is_not_shared(
    client: Client, published_round: Round
) -> None:
    first = client.get("/radar/2024/")
    assert "csrftoken" in first.cookies
    assert "private" in first["Cache-Control"] and "public" not in first["Cache-Control"]


def test_the_etag_varies_by_language(client: Client, published_round: Round) -> None:
    _html, danish = _visit(client, "/radar/2024/")
    client.get("/radar/2024/")
    client.cookies["django_language"] = "en"
    english = client.get("/radar/2024/")
    assert "Technology radar 2024" in english.content.decode()
    assert english["ETag"] != danish


def test_the_etag_varies_by_query(client: Client, published_round: Round) -> None:
    _html, plain = _visit(client, "/radar/2024/")
    _html, sorted_by_name = _visit(client, "/radar/2024/?sort=name")
    assert plain != sorted_by_name


def test_logged_in_users_get_no_etag_and_no_shared_caching(
    client: Client, published_round: Round, analyst: User
) -> None:
    log_in(client, "anna", "pw")
    response = client.get("/radar/2024/")
    assert response.status_code == 200
    assert not response.has_header("ETag")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_missing_page_gets_no_etag(client: Client, published_round: Round) -> None:
    response = client.get("/radar/1999/")
    assert response.status_code == 404
    assert not response.has_header("ETag")
    assert "public" not in response.get("Cache-Control", "")


def test_an_unpublished_case_stays_hidden_however_the_client_asks(
    client: Client, vejle: Municipality
) -> None:
    case = Case.objects.create(title="Kladde", summary="Kort.", lead_municipality=vejle)
    response = client.get(f"/cases/{case.pk}/", headers={"if-none-match": "*"})
    assert response.status_code == 404
