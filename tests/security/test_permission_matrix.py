"""The permission matrix: every URL pattern and every API operation, tried as every actor.

Every route from the URL resolver (Django's admin has one rule of its own, below) and every
operation of the OpenAPI document must have a row in `tests/security/matrix.py`; a new one
without a row fails `test_every_url_is_in_the_matrix` or `test_every_api_operation_is_in_the_matrix`
with its name. Then each row is tried as anonymous, the respondent (holder of Vejle's survey
link), an editor of Vejle (which owns the data), an editor of Aarhus, an analyst and an admin:

- a GET answers as the row's `read` says, and a private or personal value (a marker planted
  in `world.py`) appears in the body, page or export, only for the actors the row names;
- a write answers as the row's `write` says; when allowed, the change is made; when refused
  (404 invisible, 403 not changeable, the login page for anonymous visitors), nothing changes;
- a POST to a read-only route changes nothing.

Users are logged in with `client.force_login`: the matrix tests the views' checks, not the
login path, which tests/accounts and the browser tests walk through the real login page.
The data is built once per module (`world`, inside a transaction rolled back at the end);
each test's own changes are rolled back after it."""

from __future__ import annotations

import functools
import io
import json
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.api.api import api
from kommuneradar.radar.editions import compute_round
from kommuneradar.radar.models import Edition
from kommuneradar.surveys.models import Round

from . import matrix as m
from .data import FORGED
from .world import MARKERS, PERSONAL, World, build

FORMATS = ("csv", "json", "xlsx")
API_PREFIX = "/api"


# Finding every route and operation ----------------------------------------------------


def _walk(
    entries: list[URLPattern | URLResolver], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in entries:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # one rule for the whole admin: test_the_admin_is_for_staff_only
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        else:
            route = prefix + str(entry.pattern)
            yield (f"{namespace}{entry.name}" if entry.name else route), route, entry


def _schema_path(route: str) -> str:
    """'api/cases/<case_id>' or 'api/x/<int:pk>' as OpenAPI writes it: '/api/cases/{case_id}'."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


@functools.cache
def api_operations() -> dict[str, tuple[str, str]]:
    """operation id -> (HTTP method, path) from the API's OpenAPI document."""
    found = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            found[operation["operationId"]] = (method, path)
    return found


@functools.cache
def url_routes() -> dict[str, tuple[str, URLPattern]]:
    """URL name (or route, when unnamed) -> (route, pattern), without the admin and
    without the API's operations (those are rows of `matrix.API`)."""
    operation_paths = {path for _method, path in api_operations().values()}
    routes = {}
    for name, route, pattern in _walk(get_resolver().url_patterns):
        if _schema_path(route) in operation_paths:
            continue
        routes[name] = (route, pattern)
    return routes


def test_every_url_is_in_the_matrix() -> None:
    routes = url_routes()
    missing = [
        f"new endpoint {name} (/{route}) is not in the permission matrix: "
        "add it to tests/security/matrix.py (PAGES)"
        for name, (route, _pattern) in routes.items()
        if name not in m.PAGES
    ]
    stale = [f"{name} is in the permission matrix (PAGES) but no longer a URL" for name in m.PAGES]
    stale = [line for line, name in zip(stale, m.PAGES, strict=True) if name not in routes]
    assert missing + stale == []


def test_every_api_operation_is_in_the_matrix() -> None:
    operations = api_operations()
    problems = [
        f"new endpoint {op} ({method.upper()} {path}) is not in the permission matrix: "
        "add it to tests/security/matrix.py (API)"
        for op, (method, path) in operations.items()
        if op not in m.API
    ]
    problems += [
        f"{op} is in the permission matrix (API) but no longer an operation"
        for op in m.API
        if op not in operations
    ]
    for op, (method, path) in operations.items():
        row = m.API.get(op)
        if row is not None and method != "get" and row.write is None:
            problems.append(f"{op} ({method.upper()} {path}) writes: give its row a Write")
    assert problems == []


def test_the_rows_are_consistent() -> None:
    """A public row shows no marker; a personal row shows only personal markers; every
    actor has an answer; markers named exist."""
    problems = []
    for name, row in [*m.PAGES.items(), *m.API.items()]:
        answers = [row.read.expect, *(write.expect for write in row.writes())]
        for expect in answers:
            if set(expect) != set(m.ACTORS):
                problems.append(f"{name}: an answer for each of {m.ACTORS}")
        unknown = set(row.read.shows) - set(MARKERS)
        if unknown:
            problems.append(f"{name}: unknown markers {unknown}")
        if row.read.kind == m.PUBLIC and row.read.shows:
            problems.append(f"{name}: public but shows {sorted(row.read.shows)}")
        if row.read.kind == m.PERSONAL and any(
            MARKERS[key][1] != PERSONAL for key in row.read.shows if key in MARKERS
        ):
            problems.append(f"{name}: personal, but shows unpublished data: make it private")
    assert problems == []


# The data and the actors ---------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _client(actor: str, world: World) -> Client:
    """The respondent has no session (the link is the only key, see `_kwargs`): elsewhere
    they are anonymous."""
    client = Client()
    if actor not in (m.ANONYMOUS, m.RESPONDENT):
        key = {m.OWN: "own", m.OTHER: "other", m.ANALYST: "analyst", m.ADMIN: "admin"}[actor]
        client.force_login(User.objects.get(pk=world.users[key].pk))
    return client


def _api_client(actor: str, world: World) -> Client:
    """The API writes with a personal token only (never a session): signed-in actors send
    theirs, the anonymous and the respondent none."""
    if actor in (m.ANONYMOUS, m.RESPONDENT):
        return Client()
    key = {m.OWN: "own", m.OTHER: "other", m.ANALYST: "analyst", m.ADMIN: "admin"}[actor]
    return Client(HTTP_AUTHORIZATION=f"Bearer {world.api_tokens[key]}")


def _kwargs(row_kwargs: dict[str, Any], actor: str, world: World) -> dict[str, Any]:
    """The respondent holds the survey link; everyone else can only forge one."""
    held = world.respondent_token if actor == m.RESPONDENT else FORGED
    return {key: held if value == m.HELD else value for key, value in row_kwargs.items()}


def _page_urls(name: str, kwargs: dict[str, Any], query: str) -> list[str]:
    """The URL of a page; an export's in each format its URL takes."""
    _route, pattern = url_routes()[name]
    converters = getattr(pattern.pattern, "converters", {})
    formats: list[str | None] = [None]
    if "fmt" in converters and "fmt" not in kwargs:
        formats = [f for f in FORMATS if re.fullmatch(converters["fmt"].regex, f)]
    urls = []
    for fmt in formats:
        full = {**kwargs, "fmt": fmt} if fmt else kwargs
        urls.append(reverse(name, kwargs=full) + query)
    return urls


def _api_url(op: str, kwargs: dict[str, Any]) -> str:
    _method, path = api_operations()[op]
    return path.format(**kwargs)


# Reading the answer ----------------------------------------------------------------------


def _body(response: HttpResponseBase) -> str:
    raw = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.streaming
        else response.content  # type: ignore[attr-defined]
    )
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as workbook:
            raw = b"".join(workbook.read(member) for member in workbook.namelist())
    return raw.decode("utf-8", errors="replace")


def _answer(response: HttpResponseBase) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        target = response["Location"].split("?")[0]
        return m.LOGIN if target == resolve_url(settings.LOGIN_URL) else m.OK
    if 200 <= status < 300:
        return m.OK
    return str(status)


def _audit_count() -> int:
    return AuditEntry.objects.count()


# Reads -----------------------------------------------------------------------------------

READS = [(name, actor) for name in m.PAGES for actor in m.ACTORS]
API_READS = [(op, actor) for op, row in m.API.items() if row.write is None for actor in m.ACTORS]


def _check_read(urls: list[str], read: m.Read, actor: str, client: Client) -> None:
    expected = read.expect[actor]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, f"{url} as {actor}: server error"
        answer = _answer(response)
        assert answer == expected, f"GET {url} as {actor}: {answer}, the matrix says {expected}"
        body = _body(response)
        wrong = []
        for key, (text, _category) in MARKERS.items():
            should = answer == m.OK and actor in read.shows.get(key, frozenset())
            if (text in body) != should:
                wrong.append(f"{key} {'missing' if should else 'shown'}")
        assert wrong == [], f"GET {url} as {actor}: {', '.join(wrong)}"


@pytest.mark.parametrize(("name", "actor"), READS)
def test_reading_a_page(name: str, actor: str, world: World, db: Any) -> None:
    route = m.PAGES[name]
    read = route.read
    client = _client(actor, world)
    urls = _page_urls(name, _kwargs(route.read_kwargs(world), actor, world), read.query)
    _check_read(urls, read, actor, client)


@pytest.mark.parametrize(("op", "actor"), API_READS)
def test_reading_the_api(op: str, actor: str, world: World, db: Any) -> None:
    route = m.API[op]
    read = route.read
    client = _api_client(actor, world)
    url = _api_url(op, _kwargs(route.read_kwargs(world), actor, world)) + read.query
    _check_read([url], read, actor, client)


# Writes ----------------------------------------------------------------------------------

WRITES = [
    (name, number, actor)
    for name, row in m.PAGES.items()
    for number in range(len(row.writes()))
    for actor in m.ACTORS
]
API_WRITES = [
    (op, number, actor)
    for op, row in m.API.items()
    for number in range(len(row.writes()))
    for actor in m.ACTORS
]
READ_ONLY = [
    (name, actor)
    for name, row in m.PAGES.items()
    if row.write is None
    for actor in (m.ANONYMOUS, m.ADMIN)
]


def _check_write(
    url: str, write: m.Write, actor: str, world: World, client: Client, *, as_json: bool
) -> None:
    changed = write.changed
    assert changed is None or not changed(world), f"{url}: the change is there before the test"
    before = _audit_count()
    data = write.data(world)
    if as_json:
        response = client.generic(
            write.method.upper(),
            url,
            data=json.dumps(data),
            content_type="application/json",
        )
    else:
        response = getattr(client, write.method)(url, data)
    expected = write.expect[actor]
    assert response.status_code < 500, f"{write.method.upper()} {url} as {actor}: server error"
    made = changed(world) if changed is not None else _audit_count() > before
    if expected == m.UNCHANGED:
        assert _audit_count() == before, f"POST {url} as {actor} changed data"
        return
    answer = _answer(response)
    assert answer == expected, (
        f"{write.method.upper()} {url} as {actor}: {answer}, the matrix says {expected}"
    )
    if expected == m.OK:
        assert made, f"{write.method.upper()} {url} as {actor}: answered {answer}, changed nothing"
    else:
        assert not made and _audit_count() == before, f"POST {url} as {actor}: refused but changed"


@pytest.mark.parametrize(("name", "number", "actor"), WRITES)
def test_writing_through_a_page(name: str, number: int, actor: str, world: World, db: Any) -> None:
    write = m.PAGES[name].writes()[number]
    client = _client(actor, world)
    url = _page_urls(name, _kwargs(write.kwargs(world), actor, world), "")[0]
    _check_write(url, write, actor, world, client, as_json=False)


@pytest.mark.parametrize(("op", "number", "actor"), API_WRITES)
def test_writing_through_the_api(op: str, number: int, actor: str, world: World, db: Any) -> None:
    write = m.API[op].writes()[number]
    client = _api_client(actor, world)
    url = _api_url(op, _kwargs(write.kwargs(world), actor, world))
    _check_write(url, write, actor, world, client, as_json=True)


@pytest.mark.parametrize(("name", "actor"), READ_ONLY)
def test_a_post_to_a_read_only_page_changes_nothing(
    name: str, actor: str, world: World, db: Any
) -> None:
    read = m.PAGES[name].read
    client = _client(actor, world)
    before = _audit_count()
    for url in _page_urls(name, _kwargs(read.kwargs(world), actor, world), ""):
        response = client.post(url, {"title": "x", "action": "publish"})
        assert response.status_code < 500, f"POST {url} as {actor}: server error"
    assert _audit_count() == before


# Django's admin: one rule -----------------------------------------------------------------


@pytest.mark.parametrize("actor", m.ACTORS)
def test_the_admin_is_for_staff_only(actor: str, world: World, db: Any) -> None:
    """Only analysts (staff, with the Analysts group's permissions) and admins get in; the
    admin's lists and buttons then ask the access module (RestrictedAdmin)."""
    client = _client(actor, world)
    index = client.get("/admin/")
    adding = client.post("/admin/network/programme/add/", {"name": "Fra admin", "slug": "adm"})
    if actor in (m.ANALYST, m.ADMIN):
        assert index.status_code == 200
    else:
        assert index.status_code == 302
        assert index["Location"].startswith("/admin/login/")
        assert adding.status_code == 302
        assert adding["Location"].startswith("/admin/login/")


# Draft editions -----------------------------------------------------------------------------


@pytest.mark.parametrize("actor", m.ACTORS)
def test_a_draft_edition_is_shown_to_no_one_on_the_radar_pages_and_the_api(
    actor: str, world: World, db: Any
) -> None:
    """The open round's draft editions exist (computed for review) but no radar page or
    API operation shows them, to anyone; analysts review them on the publication page."""
    draft_round = Round.objects.get(year=world.open_year)
    compute_round(draft_round, publish=False)
    assert Edition.objects.filter(round=draft_round, status=Edition.Status.DRAFT).exists()
    client = _client(actor, world)
    year = world.open_year
    for url in (
        f"/radar/{year}/",
        f"/radar/{year}/sundhed-og-aeldre/",
        f"/radar/{year}/alle/eksport/",
        f"/radar/{year}/alle/eksport/byor-csv",
        f"/radar/{year}/sundhed-og-aeldre/eksport/backstage",
        f"/api/v1/editions/{year}/alle",
        f"/api/v1/editions/{year}/sundhed-og-aeldre",
        f"/api/v1/editions/{year}/alle/export?format=byor-csv",
    ):
        assert client.get(url).status_code == 404, f"{url} as {actor}"
    listed = client.get("/api/v1/editions?limit=200").json()["results"]
    assert year not in {edition["year"] for edition in listed}
