"""Analysts run a round: who may, the life cycle, e-mails, monitoring, ratings, publication."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from kommuneradar.accounts.models import AuditEntry
from kommuneradar.catalog.models import Domain, MaturityRating, Technology
from kommuneradar.places.models import Municipality
from kommuneradar.radar.models import Edition, RingOverride
from kommuneradar.surveys import services
from kommuneradar.surveys.models import Answer, Invitation, Response, Round

from .conftest import full_answers, technologies

pytestmark = pytest.mark.django_db

ANALYST_PAGES = [
    "/runder/",
    "/runder/2025/",
    "/runder/2025/svarprocent.csv",
    "/runder/2025/import/",
    "/runder/2025/modenhed/",
    "/runder/2025/udgivelse/",
]


@pytest.mark.parametrize("path", ANALYST_PAGES)
def test_anonymous_visitors_are_sent_to_the_login(
    client: Client, draft_round: Round, path: str
) -> None:
    page = client.get(path)
    assert page.status_code == 302
    assert page["Location"].startswith("/log-ind/")


@pytest.mark.parametrize("path", ANALYST_PAGES)
def test_municipal_editors_are_refused(
    client: Client, draft_round: Round, vejle_editor: Any, path: str
) -> None:
    client.force_login(vejle_editor)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ANALYST_PAGES)
def test_analysts_see_every_round_page(
    client: Client, draft_round: Round, analyst: Any, path: str
) -> None:
    client.force_login(analyst)
    assert client.get(path).status_code == 200


def test_editors_cannot_change_a_round(
    client: Client, draft_round: Round, vejle_editor: Any
) -> None:
    client.force_login(vejle_editor)
    assert client.post("/runder/2025/status/", {"status": "open"}).status_code == 403
    assert (
        client.post(
            "/runder/", {"year": 2026, "opens_on": "2026-02-01", "closes_on": "2026-03-01"}
        ).status_code
        == 403
    )
    draft_round.refresh_from_db()
    assert draft_round.status == Round.Status.DRAFT
    assert not Round.objects.filter(year=2026).exists()


def test_an_analyst_creates_a_round_and_bad_dates_keep_the_input(
    client: Client, analyst: Any
) -> None:
    client.force_login(analyst)
    bad = client.post(
        "/runder/", {"year": "2026", "opens_on": "2026-03-01", "closes_on": "2026-02-01"}
    )
    assert bad.status_code == 400
    assert 'value="2026"' in bad.content.decode()
    assert not Round.objects.exists()
    good = client.post(
        "/runder/", {"year": "2026", "opens_on": "2026-02-01", "closes_on": "2026-03-31"}
    )
    assert good.status_code == 302
    assert Round.objects.get().status == Round.Status.DRAFT
    assert AuditEntry.objects.filter(action="round_created").exists()


def test_opening_a_round_invites_every_municipality_for_every_domain(
    client: Client, draft_round: Round, analyst: Any, vejle: Municipality, health: Domain
) -> None:
    client.force_login(analyst)
    assert client.post("/runder/2025/status/", {"status": "open"}).status_code == 302
    draft_round.refresh_from_db()
    assert draft_round.status == Round.Status.OPEN
    domains = Domain.objects.filter(technologies__isnull=False).distinct().count()
    assert Invitation.objects.filter(round=draft_round).count() == 98 * domains
    assert AuditEntry.objects.filter(action="round_status").exists()


def test_the_life_cycle_cannot_be_skipped(client: Client, draft_round: Round, analyst: Any) -> None:
    client.force_login(analyst)
    client.post("/runder/2025/status/", {"status": "closed"})
    client.post("/runder/2025/status/", {"status": "published"})
    client.post("/runder/2025/status/", {"status": "nonsense"})
    draft_round.refresh_from_db()
    assert draft_round.status == Round.Status.DRAFT
    publish = client.post("/runder/2025/udgivelse/", {"action": "publish"})
    assert publish.status_code == 302
    assert not Edition.objects.exists()


def test_sending_mails_each_named_recipient_a_working_link(
    client: Client, open_round: Round
) -> None:
    result = services.send_invitations(
        open_round, "https://kommuneradar.example", None, reminder=False
    )
    assert result.sent == 2
    assert result.without_recipient > 0
    assert sorted(m.to[0] for m in mail.outbox) == ["aksel@aarhus.example", "vera@vejle.example"]
    vejle_mail = next(m for m in mail.outbox if m.to == ["vera@vejle.example"])
    assert "Vera Vejle" in vejle_mail.body
    assert "Sundhed og ældre" in vejle_mail.subject
    link = re.search(r"https://kommuneradar\.example(/spoergeskema/[\w-]+/)", str(vejle_mail.body))
    assert link is not None
    token = link.group(1).split("/")[2]
    assert not Invitation.objects.filter(token_hash__contains=token).exists()
    assert client.get(link.group(1)).status_code == 200
    # Sending again sends nothing new.
    again = services.send_invitations(
        open_round, "https://kommuneradar.example", None, reminder=False
    )
    assert again.sent == 0


def test_reminders_go_only_to_those_who_have_not_submitted(
    client: Client, open_round: Round, health: Domain
) -> None:
    services.send_invitations(open_round, "http://x", None, reminder=False)
    vejle_link = re.search(
        r"http://x(/spoergeskema/[\w-]+/)",
        next(str(m.body) for m in mail.outbox if m.to == ["vera@vejle.example"]),
    )
    assert vejle_link is not None
    client.post(vejle_link.group(1), {**full_answers(health), "submit": "1"})
    mail.outbox.clear()
    call_command("send_invitations", "--round", "2025", "--reminder", "--base-url", "http://x")
    assert [m.to for m in mail.outbox] == [["aksel@aarhus.example"]]
    assert mail.outbox[0].subject.startswith("Påmindelse")
    assert Invitation.objects.get(recipient_email="aksel@aarhus.example").reminders_sent == 1


def test_the_send_command_refuses_a_round_that_is_not_open(draft_round: Round) -> None:
    with pytest.raises(CommandError):
        call_command("send_invitations", "--round", "2025")
    with pytest.raises(CommandError):
        call_command("send_invitations", "--round", "1999")
    assert mail.outbox == []


def test_an_analyst_revokes_and_reissues_a_link(
    client: Client, open_round: Round, analyst: Any, vejle: Municipality
) -> None:
    services.send_invitations(open_round, "http://x", None, reminder=False)
    invitation = Invitation.objects.get(recipient_email="vera@vejle.example")
    old = re.search(
        r"http://x(/spoergeskema/[\w-]+/)",
        next(str(m.body) for m in mail.outbox if m.to == ["vera@vejle.example"]),
    )
    assert old is not None
    client.force_login(analyst)
    action = f"/runder/2025/invitationer/{invitation.pk}/handling/"
    assert client.post(action, {"action": "revoke"}).status_code == 302
    assert client.get(old.group(1)).status_code == 404
    mail.outbox.clear()
    assert client.post(action, {"action": "reissue"}).status_code == 302
    new = re.search(r"http://testserver(/spoergeskema/[\w-]+/)", str(mail.outbox[0].body))
    assert new is not None
    assert client.get(old.group(1)).status_code == 404
    assert client.get(new.group(1)).status_code == 200
    assert AuditEntry.objects.filter(action="invitation_revoked", municipality=vejle).exists()


def test_an_analyst_sets_a_missing_recipient_and_bad_email_keeps_input(
    client: Client, open_round: Round, analyst: Any
) -> None:
    invitation = Invitation.objects.filter(recipient_email="").first()
    assert invitation is not None
    client.force_login(analyst)
    page = f"/runder/2025/invitationer/{invitation.pk}/"
    bad = client.post(page, {"name": "Bo Berg", "email": "not-an-address", "role": "IT"})
    assert bad.status_code == 400
    assert 'value="Bo Berg"' in bad.content.decode()
    assert (
        client.post(
            page, {"name": "Bo Berg", "email": "bo@kommune.example", "role": "IT"}
        ).status_code
        == 302
    )
    invitation.refresh_from_db()
    assert invitation.recipient_email == "bo@kommune.example"


def test_the_monitoring_page_shows_rates_the_missing_and_the_change(
    client: Client,
    open_round: Round,
    analyst: Any,
    vejle_token: str,
    health: Domain,
    django_assert_num_queries: Any,
) -> None:
    client.post(f"/spoergeskema/{vejle_token}/", {**full_answers(health), "submit": "1"})
    client.force_login(analyst)
    client.get("/runder/2025/")  # warm the session and user caches
    with django_assert_num_queries(15):
        page = client.get("/runder/2025/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Svarprocent pr. fagområde" in html
    assert "Aksel Aarhus" in html
    assert "Ingen tidligere runde" in html or "ingen tidligere runde" in html


def _pair_rows(html: str) -> list[str]:
    body = html.split('id="pairs-caption"')[1].split("</tbody>")[0]
    return re.findall(r'<th scope="row">(.*?) <span', body)


def test_the_monitoring_page_pages_every_pair_by_a_hundred_and_keeps_the_figures(
    client: Client, open_round: Round, analyst: Any, vejle_token: str, health: Domain
) -> None:
    client.post(f"/spoergeskema/{vejle_token}/", {**full_answers(health), "submit": "1"})
    client.force_login(analyst)
    domains = Domain.objects.filter(technologies__isnull=False).distinct().count()
    first = client.get("/runder/2025/").content.decode()
    second = client.get("/runder/2025/?side=2").content.decode()
    assert len(_pair_rows(first)) == 100
    assert len(_pair_rows(second)) == min(100, 98 * domains - 100)
    assert 'rel="next"' in first and 'aria-current="page"' in second
    # The figures count every pair, whichever page is shown.
    expected = f"1 af {98 * domains} forventede besvarelser er indsendt"
    assert expected in first and expected in second
    # A page is the same slice of the whole ordered table, with and without a filter.
    every = [(p.municipality.pk, p.domain.pk) for p in services.monitoring_pairs(open_round)]
    for side in ("1", "2", "8"):
        page = services.monitoring(open_round, side=side).pairs
        start = (int(side) - 1) * 100
        assert [(p.municipality.pk, p.domain.pk) for p in page] == every[start : start + 100]
    not_submitted = services.monitoring(open_round, state="not_submitted", side="2").pairs
    assert len(not_submitted) == 100 and all(p.state != "submitted" for p in not_submitted)


def test_the_monitoring_page_finds_a_municipality_by_name_or_code(
    client: Client, open_round: Round, analyst: Any
) -> None:
    client.force_login(analyst)
    domains = Domain.objects.filter(technologies__isnull=False).distinct().count()
    for typed in ("vejle", "630"):
        html = client.get(f"/runder/2025/?q={typed}").content.decode()
        assert _pair_rows(html) == ["Vejle"] * domains
    nothing = client.get("/runder/2025/?q=atlantis").content.decode()
    assert "Ingen kommune og intet fagområde passer til søgningen" in nothing


def test_the_monitoring_page_filters_by_status(
    client: Client, open_round: Round, analyst: Any, vejle_token: str, health: Domain
) -> None:
    client.post(f"/spoergeskema/{vejle_token}/", {**full_answers(health), "submit": "1"})
    client.force_login(analyst)
    submitted = client.get("/runder/2025/?status=submitted").content.decode()
    assert _pair_rows(submitted) == ["Vejle"]
    assert "Genåbn Vejle" in submitted
    missing = client.get("/runder/2025/?q=vejle&status=not_submitted").content.decode()
    assert health.name not in missing.split('id="pairs-caption"')[1]
    # Unknown values are ignored, not an error.
    assert client.get("/runder/2025/?status=x&land=%00&side=-1").status_code == 200


def test_the_monitoring_page_offers_a_country_only_where_there_are_several(
    client: Client, open_round: Round, analyst: Any
) -> None:
    client.force_login(analyst)
    assert 'name="land"' not in client.get("/runder/2025/").content.decode()
    Municipality.objects.create(
        country="XS", code="S00001", name="Synthia", slug="xs-synthia", population=1000
    )
    html = client.get("/runder/2025/?land=XS").content.decode()
    assert 'name="land"' in html
    assert set(_pair_rows(html)) == {"Synthia"}


def test_monitoring_compares_with_the_previous_round(
    open_round: Round, vejle: Municipality, health: Domain
) -> None:
    before = Round.objects.create(
        year=2024, opens_on=dt.date(2024, 2, 1), closes_on=dt.date(2024, 3, 1), status="published"
    )
    technology = technologies(health)[0]
    old = Response.objects.create(
        round=before,
        municipality=vejle,
        domain=health,
        submitted_at=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
    )
    Answer.objects.create(response=old, technology=technology, stage="in_operation")
    report = services.monitoring(open_round)
    assert report.previous == before
    report = services.monitoring(open_round, typed="vejle")
    vejle_change = next(c for c in report.changes if c.municipality == "Vejle")
    assert (vejle_change.domains_before, vejle_change.domains_now, vejle_change.in_use_change) == (
        1,
        0,
        -1,
    )


def test_the_response_table_exports_as_csv(client: Client, open_round: Round, analyst: Any) -> None:
    client.force_login(analyst)
    export = client.get("/runder/2025/svarprocent.csv")
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    domains = Domain.objects.filter(technologies__isnull=False).distinct().count()
    assert len(lines) == 1 + 98 * domains
    assert lines[0].startswith("kommunekode;kommune;region")
    assert any("vera@vejle.example" in line for line in lines)


def test_analysts_enter_maturity_ratings_and_errors_keep_the_input(
    client: Client, draft_round: Round, analyst: Any
) -> None:
    technology = Technology.objects.order_by("name_da").first()
    assert technology is not None
    client.force_login(analyst)
    bad = client.post(
        "/runder/2025/modenhed/",
        {f"r{technology.pk}-rating": "", f"r{technology.pk}-rationale": "Moden i mange kommuner"},
    )
    assert bad.status_code == 400
    assert "Moden i mange kommuner" in bad.content.decode()
    assert not MaturityRating.objects.exists()
    good = client.post(
        "/runder/2025/modenhed/",
        {f"r{technology.pk}-rating": "7", f"r{technology.pk}-rationale": "Moden"},
    )
    assert good.status_code == 302
    rating = MaturityRating.objects.get()
    assert (rating.technology, rating.year, rating.rating) == (technology, 2025, 7)
    client.post("/runder/2025/modenhed/", {f"r{technology.pk}-rating": "8"})
    assert MaturityRating.objects.get().rating == 8
    assert AuditEntry.objects.filter(action="maturity_rated").count() == 2


def test_an_override_needs_a_reason(client: Client, open_round: Round, analyst: Any) -> None:
    technology = Technology.objects.first()
    assert technology is not None
    client.force_login(analyst)
    data = {
        "action": "override",
        "scope": "alle",
        "technology": technology.pk,
        "ring": "klar",
        "reason": "  ",
    }
    assert client.post("/runder/2025/udgivelse/", data).status_code == 400
    assert not RingOverride.objects.exists()
    data["reason"] = "Udbredt i praksis, men få har svaret"
    assert client.post("/runder/2025/udgivelse/", data).status_code == 302
    assert RingOverride.objects.get().reason == "Udbredt i praksis, men få har svaret"


def test_a_refused_mail_keeps_the_old_link_and_is_counted(
    client: Client, open_round: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smtplib

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr(services, "send_mail", refuse)
    result = services.send_invitations(open_round, "http://x", None, reminder=False)
    assert (result.sent, result.failed) == (0, 2)
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()
    assert not Invitation.objects.exclude(token_hash="").exists()


def test_the_round_list_has_a_fixed_number_of_queries(
    client: Client, analyst: Any, django_assert_num_queries: Any
) -> None:
    for year in (2021, 2022, 2023):
        Round.objects.create(year=year, opens_on=dt.date(year, 2, 1), closes_on=dt.date(year, 3, 1))
    client.force_login(analyst)
    client.get("/runder/")
    with django_assert_num_queries(4):
        page = client.get("/runder/")
    assert page.content.decode().count("/runder/202") >= 3


def test_the_open_data_api_lists_rounds_without_answers(client: Client, open_round: Round) -> None:
    data = client.get("/api/v1/rounds").json()["results"]
    assert data == [
        {"year": 2025, "status": "open", "opens_on": "2025-02-01", "closes_on": "2025-03-31"}
    ]


def test_an_unknown_status_is_refused_with_a_clear_message(
    client: Client, draft_round: Round, analyst: Any
) -> None:
    client.force_login(analyst)
    page = client.post("/runder/2025/status/", {"status": "nonsense"}, follow=True)
    assert "Ukendt status." in page.content.decode()
    draft_round.refresh_from_db()
    assert draft_round.status == Round.Status.DRAFT
