"""Hardening, as an attacker and a careful operator see it: a guessed password locks the
account for a while; too many requests from one address answer 429 with Retry-After; every
response carries a Content-Security-Policy and a Permissions-Policy; nothing a logged-in
person sees is stored by a cache; production cookies are Secure; production refuses to start
with an e-mail backend that sends nothing; numbers in the query string never give a 500."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from kommuneradar.accounts.models import User
from kommuneradar.core.checks import email_is_sent
from kommuneradar.places.models import Municipality
from tests.benefits.factories import make_project
from tests.cases.factories import make_case

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/log-ind/"


def _post_login(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


# Login lockout (django-axes)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(
    client: Client, vejle_editor: User
) -> None:
    for _attempt in range(4):
        assert _post_login(client, "victor", "gaet").status_code == 200
    locked = _post_login(client, "victor", "gaet")
    assert locked.status_code == 429
    right = _post_login(client, "victor", "pw")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    page = right.content.decode()
    assert "Kontoen er midlertidigt låst" in page
    assert "Prøv igen om 15 minutter" in page
    assert right.headers["Retry-After"] == str(15 * 60)
    # The login page itself, with the name typed kept, not a bare error page.
    assert 'name="password"' in page and 'value="victor"' in page


@pytest.mark.django_db
def test_the_e_mail_address_and_the_username_share_one_count(
    client: Client, vejle_editor: User
) -> None:
    for typed in ("victor", "VICTOR@vejle.example", "victor", "victor@vejle.example"):
        _post_login(client, typed, "gaet")
    assert _post_login(client, "Victor@Vejle.example", "gaet").status_code == 429
    assert _post_login(client, "victor", "pw").status_code == 429


@pytest.mark.django_db
def test_after_the_cool_off_the_right_password_works_again(
    client: Client, vejle_editor: User
) -> None:
    for _attempt in range(5):
        _post_login(client, "victor", "gaet")
    assert _post_login(client, "victor", "pw").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _post_login(client, "victor", "pw").status_code == 302
    assert client.session["_auth_user_id"] == str(vejle_editor.pk)


@pytest.mark.django_db
def test_axes_reset_username_lifts_the_lock(client: Client, vejle_editor: User) -> None:
    for _attempt in range(5):
        _post_login(client, "victor", "gaet")
    assert _post_login(client, "victor", "pw").status_code == 429
    call_command("axes_reset_username", "victor", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert _post_login(client, "victor", "pw").status_code == 302


@pytest.mark.django_db
def test_choosing_a_new_password_from_the_reset_link_lifts_the_lock(
    client: Client, vejle_editor: User
) -> None:
    for _attempt in range(5):
        _post_login(client, "victor", "gaet")
    client.post("/adgangskode/glemt/", {"email": "victor@vejle.example"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/adgangskode/ny/" in line)
    form_page = client.get(link.strip()[link.strip().index("/adgangskode/") :], follow=True)
    new = "Fjordbyen-Skaermbesoeg-42"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert _post_login(client, "victor", new).status_code == 302


@pytest.mark.django_db
def test_a_lock_on_one_account_leaves_the_others_alone(
    client: Client, vejle_editor: User, aarhus_editor: User
) -> None:
    for _attempt in range(5):
        _post_login(client, "victor", "gaet")
    assert _post_login(client, "astrid", "pw").status_code == 302


# Rate limits: 429 with Retry-After, per client address, in the shared cache


def assert_too_many(response: Any) -> None:
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60


@pytest.mark.django_db
def test_the_login_form_answers_429_after_too_many_posts(
    client: Client, low_rate_limits: None
) -> None:
    for _attempt in range(3):
        assert _post_login(client, f"nobody{_attempt}", "x").status_code == 200
    response = _post_login(client, "nobody", "x")
    assert_too_many(response)
    assert "For mange forespørgsler" in response.content.decode()
    # Reading the login page is not limited.
    assert client.get(LOGIN).status_code == 200


@pytest.mark.django_db
def test_the_api_answers_429_with_json_after_too_many_requests(
    client: Client, low_rate_limits: None
) -> None:
    for _attempt in range(3):
        assert client.get("/api/v1/cases").status_code == 200
    response = client.get("/api/v1/cases")
    assert_too_many(response)
    assert "detail" in json.loads(response.content)


@pytest.mark.django_db
def test_each_address_has_its_own_count(client: Client, low_rate_limits: None) -> None:
    for _attempt in range(4):
        client.get("/api/v1/cases", REMOTE_ADDR="10.0.0.1")
    assert client.get("/api/v1/cases", REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.django_db
def test_one_ipv6_network_is_one_client_and_a_request_without_address_is_counted_not_refused(
    client: Client, low_rate_limits: None
) -> None:
    for host in range(3):
        client.get("/api/v1/cases", REMOTE_ADDR=f"2001:db8:1:2::{host + 1}")
    assert_too_many(client.get("/api/v1/cases", REMOTE_ADDR="2001:db8:1:2::99"))
    assert client.get("/api/v1/cases", REMOTE_ADDR="2001:db8:1:3::1").status_code == 200
    # a WSGI caller that names no address (schemathesis in-process, a unix socket) is one client
    assert client.get("/api/v1/cases", REMOTE_ADDR="").status_code == 200


# Headers on every kind of response


CSP_PARTS = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


@pytest.fixture
def pages(vejle_editor: User, analyst: User) -> dict[str, str]:
    case = make_case(Municipality.objects.get(code="630"))
    return {
        "html page": "/cases/",
        "case page": f"/cases/{case.pk}/",
        "api json": "/api/v1/cases",
        "api docs": "/api/v1/docs",
        "download": "/cases/eksport.csv",
        "404": "/findes-ikke/",
        "403": "/runder/",
        "login": LOGIN,
        "robots": "/robots.txt",
    }


@pytest.mark.django_db
def test_every_kind_of_response_carries_the_content_security_policy(
    client: Client, pages: dict[str, str]
) -> None:
    client.post(LOGIN, {"username": "victor", "password": "pw"})
    for kind, url in pages.items():
        response = client.get(url)
        header = response.headers.get("Content-Security-Policy", "")
        assert all(part in header for part in CSP_PARTS), (kind, header)
        assert "unsafe-inline" not in header and "http" not in header, (kind, header)
        assert "camera=()" in response.headers.get("Permissions-Policy", ""), kind
    assert client.get("/runder/").status_code == 403


@pytest.mark.django_db
def test_the_permissions_policy_denies_the_powerful_features(client: Client) -> None:
    header = client.get("/cases/").headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


@pytest.mark.django_db
def test_nothing_a_logged_in_person_sees_is_stored(client: Client, pages: dict[str, str]) -> None:
    project = make_project(Municipality.objects.get(code="630"))
    assert _post_login(client, "victor", "pw").status_code == 302
    for url in [
        *pages.values(),
        "/min-kommune/",
        f"/gevinster/projekter/{project.pk}/",
        "/gevinster/projekter/eksport.xlsx",
        "/api/v1/openapi.json",
    ]:
        response = client.get(url)
        assert response.headers.get("Cache-Control") == "private, no-store", url


@pytest.mark.django_db
def test_anonymous_public_pages_keep_their_own_caching(client: Client) -> None:
    response = client.get("/cases/")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


# Production settings, read in a fresh process


PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "SECRET_KEY": "production-like-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "kommuneradar.example",
    "DJANGO_SETTINGS_MODULE": "kommuneradar.settings",
}


def _production(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_cookie_is_secure_and_same_site_lax_in_production() -> None:
    names = ["SESSION", "CSRF", "LANGUAGE"]
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: [getattr(s, n + '_COOKIE_SECURE'), "
        f"getattr(s, n + '_COOKIE_SAMESITE')] for n in {names!r}}} "
        "| {'lang_httponly': s.LANGUAGE_COOKIE_HTTPONLY, "
        "'session_httponly': s.SESSION_COOKIE_HTTPONLY}))"
    )
    result = _production(code)
    assert result.returncode == 0, result.stderr
    cookies = json.loads(result.stdout)
    for name in names:
        assert cookies[name] == [True, "Lax"], name
    assert cookies["lang_httponly"] and cookies["session_httponly"]


def test_production_with_the_console_e_mail_backend_refuses_to_start() -> None:
    manage = [sys.executable, "manage.py", "check", "--deploy"]
    refused = subprocess.run(  # noqa: S603
        manage, cwd=ROOT, env=PRODUCTION_ENV, capture_output=True, text=True, check=False
    )
    assert refused.returncode != 0
    assert "core.E001" in refused.stderr
    smtp = {**PRODUCTION_ENV, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    started = subprocess.run(  # noqa: S603
        manage, cwd=ROOT, env=smtp, capture_output=True, text=True, check=False
    )
    assert "core.E001" not in started.stderr + started.stdout


@pytest.mark.parametrize(
    "backend", ["console", "locmem", "dummy", "filebased"], ids=lambda name: name
)
def test_every_backend_that_sends_nothing_is_an_error_without_debug(backend: str) -> None:
    path = f"django.core.mail.backends.{backend}.EmailBackend"
    with override_settings(DEBUG=False, EMAIL_BACKEND=path, ALLOW_NON_SMTP_EMAIL=False):
        assert [error.id for error in email_is_sent(None)] == ["core.E001"]
    with override_settings(DEBUG=False, EMAIL_BACKEND=path, ALLOW_NON_SMTP_EMAIL=True):
        assert email_is_sent(None) == []
    with override_settings(DEBUG=True, EMAIL_BACKEND=path, ALLOW_NON_SMTP_EMAIL=False):
        assert email_is_sent(None) == []


# Numbers in the query string and the path: never a 500

HOSTILE_NUMBERS = ["9223372036854775808", "-1", "0", "abc", "1e9", "١", ""]


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
def test_hostile_numbers_in_query_strings_never_give_a_server_error(
    value: str, vejle_editor: User, analyst: User
) -> None:
    vejle = Municipality.objects.get(code="630")
    make_case(vejle)
    make_project(vejle)
    client = Client(raise_request_exception=False)
    public = [
        f"/cases/?side={value}",
        f"/cases/?side={value}&q=borger",
        f"/cases/?kommune={value}&stoerrelse={value}&effekter={value}",
        f"/gevinster/projekter/?side={value}&kommune={value}",
        f"/?sort={value}&dir={value}",
    ]
    for url in public:
        assert client.get(url).status_code in {200, 400}, url
    _post_login(client, "anna", "pw")
    assert client.get(f"/min-kommune/?kommune={value}").status_code in {200, 400}


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999999"])
def test_huge_numbers_in_paths_are_not_found(value: str, analyst: User) -> None:
    client = Client(raise_request_exception=False)
    urls = [
        f"/radar/{value}/",
        f"/radar/{value}/sundhed/",
        f"/cases/{value}/",
        f"/gevinster/projekter/{value}/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    _post_login(client, "anna", "pw")
    for url in [f"/runder/{value}/", f"/runder/{value}/invitationer/{value}/"]:
        assert client.get(url).status_code == 404, url


def test_postgresql_startup_options_can_be_left_out_for_a_connection_pooler() -> None:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {}).get('options')))"
    )
    url = "postgres://kr@db.example:5432/kommuneradar"
    default = _production(code, DATABASE_URL=url)
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout.splitlines()[-1]) == "-c cursor_tuple_fraction=1.0"
    pooled = _production(code, DATABASE_URL=url, DATABASE_STARTUP_OPTIONS="")
    assert pooled.returncode == 0, pooled.stderr
    assert json.loads(pooled.stdout.splitlines()[-1]) is None
