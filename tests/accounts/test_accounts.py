"""Accounts in the site's own pages: logging in, landing by role, inviting editors,
one-time invitation links, deactivation, createsuperuser, and who may see the users page."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from kommuneradar.accounts.models import AuditEntry, Invitation, User
from kommuneradar.demo.demo_accounts import DEMO_PASSWORD, ensure_demo_accounts
from kommuneradar.places.models import Municipality

LINK = re.compile(r"https?://\S+/invitation/\S+/")


def log_in(client: Client, username: str, password: str) -> Any:
    """Through the real login form (with CSRF), as a browser would post it."""
    page = client.get("/log-ind/")
    token = page.cookies["csrftoken"].value
    return client.post(
        "/log-ind/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
    )


def invite(client: Client, vejle: Municipality, email: str = "Eva@Vejle.example") -> str:
    """An analyst (already logged in on `client`) invites an editor; returns the link."""
    client.get("/brugere/")
    response = client.post(
        "/brugere/inviter/",
        {
            "name": "Eva Egholm",
            "email": email,
            "municipality": vejle.pk,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302, response.content.decode()
    match = LINK.search(str(mail.outbox[-1].body))
    assert match is not None, mail.outbox[-1].body
    return match.group(0)


def test_the_login_page_is_the_sites_own_and_in_danish(client: Client, db: Any) -> None:
    html = client.get("/log-ind/").content.decode()
    assert "<h1>Log ind</h1>" in html and 'class="skip-link"' in html
    assert 'for="id_username"' in html and 'for="id_password"' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/log-ind/"})
    assert "<h1>Log in</h1>" in client.get("/log-ind/").content.decode()


def test_a_wrong_password_is_named_and_the_username_is_kept(
    csrf_client: Client, vejle_editor: User
) -> None:
    response = log_in(csrf_client, "victor", "wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "passer ikke til en aktiv konto" in html
    assert 'value="victor"' in html
    assert "_auth_user_id" not in csrf_client.session


def test_an_editor_lands_on_the_municipality_workspace(
    csrf_client: Client, vejle_editor: User
) -> None:
    response = log_in(csrf_client, "victor", "pw")
    assert response["Location"] == "/log-ind/videre/"
    assert csrf_client.get(response["Location"])["Location"] == "/min-kommune/"
    page = csrf_client.get("/min-kommune/").content.decode()
    assert "Arbejdsrum for Vejle" in page
    assert 'href="/cases/ny/"' in page and 'href="/gevinster/projekter/ny/"' in page


def test_an_analyst_and_an_admin_land_on_the_survey_rounds(
    client: Client, analyst: User, admin_user: User
) -> None:
    for username in ("anna", "root"):
        fresh = Client(enforce_csrf_checks=True)
        assert log_in(fresh, username, "pw")["Location"] == "/log-ind/videre/"
        assert fresh.get("/log-ind/videre/")["Location"] == "/runder/"


def test_a_login_keeps_the_page_asked_for(csrf_client: Client, vejle_editor: User) -> None:
    asked = csrf_client.get("/cases/arbejde/")
    assert asked["Location"] == "/log-ind/?next=/cases/arbejde/"
    page = csrf_client.get(asked["Location"])
    response = csrf_client.post(
        "/log-ind/",
        {
            "username": "victor",
            "password": "pw",
            "next": "/cases/arbejde/",
            "csrfmiddlewaretoken": page.cookies["csrftoken"].value,
        },
    )
    assert response["Location"] == "/cases/arbejde/"


def test_a_person_may_log_in_with_the_email_address_in_any_case(
    csrf_client: Client, vejle_editor: User
) -> None:
    assert log_in(csrf_client, "Victor@Vejle.example", "pw").status_code == 302


def test_logging_out_is_a_post(csrf_client: Client, vejle_editor: User) -> None:
    log_in(csrf_client, "victor", "pw")
    assert csrf_client.get("/log-ud/").status_code == 405
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post("/log-ud/", {"csrfmiddlewaretoken": token})
    assert response["Location"] == "/"
    assert "_auth_user_id" not in csrf_client.session


def test_the_menu_follows_the_role(client: Client, analyst: User, vejle_editor: User) -> None:
    html = client.get("/").content.decode()
    assert 'href="/log-ind/"' in html and 'href="/min-kommune/"' not in html
    client.force_login(vejle_editor)
    html = client.get("/").content.decode()
    assert 'href="/min-kommune/"' in html and 'href="/brugere/"' not in html
    assert 'action="/log-ud/"' in html
    client.force_login(analyst)
    html = client.get("/").content.decode()
    assert 'href="/brugere/"' in html and 'href="/runder/"' in html


def test_an_analyst_invites_an_editor_who_sets_a_password_once(
    csrf_client: Client, analyst: User, vejle: Municipality
) -> None:
    log_in(csrf_client, "anna", "pw")
    link = invite(csrf_client, vejle)
    message = mail.outbox[-1]
    assert message.to == ["Eva@Vejle.example"] and "Vejle" in message.subject
    eva = User.objects.get(username="eva@vejle.example")
    assert eva.role == User.Role.EDITOR and eva.municipality == vejle
    assert not eva.has_usable_password()
    assert AuditEntry.objects.filter(action="invite", object_id=str(eva.pk)).exists()
    assert "Inviteret" in csrf_client.get("/brugere/").content.decode()

    path = link.split("testserver", 1)[1]
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(path)
    assert page.status_code == 200 and "Vælg din adgangskode" in page.content.decode()
    token = page.cookies["csrftoken"].value
    short = visitor.post(
        path, {"new_password1": "abc", "new_password2": "abc", "csrfmiddlewaretoken": token}
    )
    assert short.status_code == 400 and "for kort" in short.content.decode()
    done = visitor.post(
        path,
        {
            "new_password1": "Gyldenblaa-Fjord-58",
            "new_password2": "Gyldenblaa-Fjord-58",
            "csrfmiddlewaretoken": token,
        },
    )
    assert done["Location"] == "/log-ind/"
    eva.refresh_from_db()
    assert eva.check_password("Gyldenblaa-Fjord-58")
    assert log_in(Client(enforce_csrf_checks=True), "eva@vejle.example", "Gyldenblaa-Fjord-58")[
        "Location"
    ].startswith("/log-ind/videre/")

    again = visitor.post(
        path,
        {
            "new_password1": "Other-Pass-9911",
            "new_password2": "Other-Pass-9911",
            "csrfmiddlewaretoken": token,
        },
    )
    assert again.status_code == 410 and "allerede brugt" in again.content.decode()
    eva.refresh_from_db()
    assert eva.check_password("Gyldenblaa-Fjord-58")


def test_an_expired_invitation_sets_no_password(
    csrf_client: Client, analyst: User, vejle: Municipality
) -> None:
    log_in(csrf_client, "anna", "pw")
    path = invite(csrf_client, vejle).split("testserver", 1)[1]
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 410 and "udløbet" in page.content.decode()
    posted = visitor.post(
        path, {"new_password1": "Lang-Kode-4411", "new_password2": "Lang-Kode-4411"}
    )
    assert posted.status_code == 410
    assert not User.objects.get(username="eva@vejle.example").has_usable_password()


def test_an_unknown_invitation_link_is_a_clear_404(client: Client, db: Any) -> None:
    response = client.get("/invitation/not-a-real-token/")
    assert response.status_code == 404 and "ikke gyldigt" in response.content.decode()


def test_the_invitation_lasts_the_configured_number_of_days(
    csrf_client: Client, analyst: User, vejle: Municipality, settings: Any
) -> None:
    settings.ACCOUNT_INVITATION_DAYS = 2
    log_in(csrf_client, "anna", "pw")
    invite(csrf_client, vejle)
    invitation = Invitation.objects.get()
    lifetime = invitation.expires_at - invitation.created_at
    assert dt.timedelta(days=2) - dt.timedelta(minutes=1) < lifetime <= dt.timedelta(days=2)


def test_inviting_again_replaces_the_old_link(
    csrf_client: Client, analyst: User, vejle: Municipality
) -> None:
    log_in(csrf_client, "anna", "pw")
    first = invite(csrf_client, vejle).split("testserver", 1)[1]
    second = invite(csrf_client, vejle).split("testserver", 1)[1]
    assert first != second
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 200


def test_an_existing_account_cannot_be_invited(
    csrf_client: Client, analyst: User, vejle_editor: User, vejle: Municipality
) -> None:
    log_in(csrf_client, "anna", "pw")
    response = csrf_client.post(
        "/brugere/inviter/",
        {
            "name": "Victor",
            "email": "victor@vejle.example",
            "municipality": vejle.pk,
            "csrfmiddlewaretoken": csrf_client.cookies["csrftoken"].value,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and "har allerede en konto" in html
    assert 'value="Victor"' in html
    assert mail.outbox == []


def test_an_invitation_needs_name_email_and_municipality(
    csrf_client: Client, analyst: User
) -> None:
    log_in(csrf_client, "anna", "pw")
    response = csrf_client.post(
        "/brugere/inviter/",
        {
            "name": "",
            "email": "not-an-address",
            "municipality": "",
            "csrfmiddlewaretoken": csrf_client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 400
    assert response.content.decode().count('class="errorlist"') >= 3
    assert User.objects.filter(role=User.Role.EDITOR).count() == 0


def test_a_deactivated_editor_cannot_log_in_and_is_reactivated(
    csrf_client: Client, analyst: User, vejle_editor: User
) -> None:
    log_in(csrf_client, "anna", "pw")
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        f"/brugere/{vejle_editor.pk}/aktiv/", {"csrfmiddlewaretoken": token}
    )
    assert response["Location"] == "/brugere/"
    vejle_editor.refresh_from_db()
    assert not vejle_editor.is_active
    assert AuditEntry.objects.filter(action="deactivate", object_id=str(vejle_editor.pk)).exists()
    assert "Deaktiveret" in csrf_client.get("/brugere/").content.decode()

    refused = log_in(Client(enforce_csrf_checks=True), "victor", "pw")
    assert (
        refused.status_code == 200 and "passer ikke til en aktiv konto" in refused.content.decode()
    )

    csrf_client.post(
        f"/brugere/{vejle_editor.pk}/aktiv/", {"active": "on", "csrfmiddlewaretoken": token}
    )
    vejle_editor.refresh_from_db()
    assert vejle_editor.is_active
    assert log_in(Client(enforce_csrf_checks=True), "victor", "pw").status_code == 302


def test_a_deactivated_editor_is_logged_out_of_a_running_session(
    client: Client, analyst: User, vejle_editor: User
) -> None:
    client.force_login(vejle_editor)
    assert client.get("/min-kommune/").status_code == 200
    User.objects.filter(pk=vejle_editor.pk).update(is_active=False)
    assert client.get("/min-kommune/")["Location"].startswith("/log-ind/")


def test_editors_never_see_the_users_page(client: Client, vejle_editor: User) -> None:
    # The refusal policy (docs/architecture.md): what a user may not see answers 404.
    assert client.post("/log-ind/", {"username": "victor", "password": "pw"}).status_code == 302
    assert client.get("/brugere/").status_code == 404
    assert client.post("/brugere/inviter/", {}).status_code == 404
    assert client.post(f"/brugere/{vejle_editor.pk}/aktiv/", {}).status_code == 404
    page = client.get("/brugere/").content.decode()
    assert "Siden blev ikke fundet" in page and 'href="/cases/"' in page


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, db: Any) -> None:
    for path in ("/brugere/", "/min-kommune/", "/adgangskode/"):
        assert client.get(path)["Location"] == f"/log-ind/?next={path}"
    assert client.post("/brugere/inviter/", {})["Location"].startswith("/log-ind/")


def test_the_users_page_needs_csrf(csrf_client: Client, analyst: User, vejle_editor: User) -> None:
    csrf_client.force_login(analyst)
    assert csrf_client.post(f"/brugere/{vejle_editor.pk}/aktiv/", {}).status_code == 403
    vejle_editor.refresh_from_db()
    assert vejle_editor.is_active


def test_analysts_cannot_deactivate_analysts_or_admins_here(
    client: Client, analyst: User, admin_user: User
) -> None:
    client.force_login(analyst)
    assert client.post(f"/brugere/{admin_user.pk}/aktiv/", {}).status_code == 404
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_the_users_page_lists_editors_with_last_login_in_fixed_queries(
    client: Client,
    analyst: User,
    vejle_editor: User,
    aarhus_editor: User,
    django_assert_max_num_queries: Any,
) -> None:
    User.objects.filter(pk=vejle_editor.pk).update(last_login=timezone.now())
    client.force_login(analyst)
    with django_assert_max_num_queries(12):
        html = client.get("/brugere/").content.decode()
    assert "victor@vejle.example" in html and "astrid@aarhus.example" in html
    assert "aldrig" in html  # astrid never logged in


def test_an_analyst_chooses_a_municipality_workspace(
    client: Client, analyst: User, vejle: Municipality
) -> None:
    client.force_login(analyst)
    assert "Vælg en kommune" in client.get("/min-kommune/").content.decode()
    html = client.get("/min-kommune/?kommune=630").content.decode()
    assert "Arbejdsrum for Vejle" in html and "/cases/ny/?kommune=vejle" in html


def test_an_editor_changes_the_password(csrf_client: Client, vejle_editor: User) -> None:
    log_in(csrf_client, "victor", "pw")
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        "/adgangskode/",
        {
            "old_password": "pw",
            "new_password1": "Ny-Lang-Kode-7320",
            "new_password2": "Ny-Lang-Kode-7320",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response["Location"] == "/adgangskode/skiftet/"
    vejle_editor.refresh_from_db()
    assert vejle_editor.check_password("Ny-Lang-Kode-7320")


def test_a_forgotten_password_is_reset_from_the_email(client: Client, vejle_editor: User) -> None:
    response = client.post("/adgangskode/glemt/", {"email": "victor@vejle.example"})
    assert response["Location"] == "/adgangskode/glemt/sendt/"
    link = re.search(r"http://testserver(/adgangskode/ny/\S+/)", str(mail.outbox[0].body))
    assert link is not None, mail.outbox[0].body
    form_page = client.get(link.group(1), follow=True)
    assert "Vælg en ny adgangskode" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Ny-Lang-Kode-7320", "new_password2": "Ny-Lang-Kode-7320"},
    )
    assert done["Location"] == "/adgangskode/ny/faerdig/"
    vejle_editor.refresh_from_db()
    assert vejle_editor.check_password("Ny-Lang-Kode-7320")
    assert "virker ikke" in client.get(link.group(1), follow=True).content.decode()


def test_createsuperuser_noinput_makes_an_admin(db: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "chef")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "chef@kl.example")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Et-Godt-Kodeord-2291")
    call_command("createsuperuser", "--noinput", stdout=StringIO())
    chef = User.objects.get(username="chef")
    assert chef.role == User.Role.ADMIN and chef.is_superuser and chef.is_staff
    assert chef.municipality is None and chef.is_analyst
    assert chef.check_password("Et-Godt-Kodeord-2291")


def test_createsuperuser_interactive_makes_an_admin(db: Any, monkeypatch: Any) -> None:
    answers = iter(["boss", "boss@kl.example"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Et-Godt-Kodeord-2291")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    call_command("createsuperuser", interactive=True, stdout=StringIO(), stdin=_Tty())
    boss = User.objects.get(username="boss")
    assert boss.role == User.Role.ADMIN and boss.is_superuser


class _Tty(StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("path", ["/no-such-page/", "/cases/999999/"])
def test_a_missing_page_is_a_404_in_the_sites_design(client: Client, db: Any, path: str) -> None:
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert "Siden blev ikke fundet" in html and 'aria-label="Hovedmenu"' in html
    assert 'href="/cases/"' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Page not found" in client.get(path).content.decode()


def test_a_server_error_is_answered_with_the_sites_500_page(db: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("kommuneradar.core.views.ROBOTS_DISALLOW", None)  # robots.txt breaks
    response = Client(raise_request_exception=False).get("/robots.txt")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Noget gik galt" in html and 'href="/cases/"' in html and 'class="skip-link"' in html


def test_a_bad_request_is_answered_with_the_sites_400_page(client: Client, db: Any) -> None:
    response = client.get("/", HTTP_HOST="not-our-host.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Forespørgslen kunne ikke forstås" in html and 'href="/cases/"' in html


def test_the_favicon_and_robots_txt_answer(client: Client, db: Any) -> None:
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 301 and favicon["Location"] == "/static/favicon.svg"
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").content.decode()
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots["Content-Type"].startswith("text/plain")
    body = robots.content.decode()
    assert "User-agent: *" in body and "Disallow: /admin/" in body
    assert "Disallow: /spoergeskema/" in body and "Disallow: /cases/" not in body


def test_demo_accounts_are_made_only_with_demo_data(make_round: Any, db: Any) -> None:
    make_round(2024, {"skaermbesoeg": ["in_operation"] * 5})
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    call_command("load_demo", "--if-empty", stdout=StringIO())
    assert not User.objects.filter(username__startswith="demo-").exists()


def test_the_demo_accounts_log_in_with_the_documented_password(
    csrf_client: Client, db: Any
) -> None:
    accounts = ensure_demo_accounts()
    assert [(a.username, a.municipality) for a in accounts] == [
        ("demo-analytiker", ""),
        ("demo-vejle", "Vejle"),
    ]
    assert log_in(csrf_client, "demo-vejle", DEMO_PASSWORD).status_code == 302
    assert csrf_client.get("/log-ind/videre/")["Location"] == "/min-kommune/"
    User.objects.filter(username="demo-vejle").update(is_active=False)
    ensure_demo_accounts()  # an existing account is left as it is
    assert not User.objects.get(username="demo-vejle").is_active
