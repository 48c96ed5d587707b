"""Analysts (and admins) read the audit trail: one object's history, one user's changes, all
of it, filtered by model, action and dates, a page at a time in a fixed number of queries.
An editor reads the history of their own municipality's objects only; nobody changes or
deletes an entry, on these pages or in the admin."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kommuneradar.accounts import audit
from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.cases.models import Case
from kommuneradar.places.models import Municipality
from tests.benefits.factories import make_project
from tests.cases.factories import make_case


def sign_in(client: Client, username: str, next_url: str = "/") -> None:
    """Log in through the site's own login page."""
    answer = client.post(
        f"/log-ind/?next={next_url}", {"username": username, "password": "pw", "next": next_url}
    )
    assert answer.status_code == 302, answer.content


def edited_case(municipality: Municipality, user: User, title: str = "Robotter") -> Case:
    case = make_case(municipality, title=title, state=Case.State.DRAFT)
    with audit.acting_as(user):
        case.title = f"{title} i hjemmeplejen"
        case.save()
    return case


@pytest.mark.django_db
def test_an_analyst_follows_the_history_link_from_a_case_page(
    client: Client, vejle: Municipality, vejle_editor: User, analyst: User
) -> None:
    case = edited_case(vejle, vejle_editor)
    sign_in(client, "anna", f"/cases/{case.pk}/")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    link = re.search(r'href="(/historik/cases\.Case/\d+/)"', page)
    assert link is not None
    history = client.get(link.group(1))
    assert history.status_code == 200
    text = history.content.decode()
    assert "title: Robotter → Robotter i hjemmeplejen" in text
    assert "victor" in text


@pytest.mark.django_db
def test_an_editor_reads_the_history_of_their_own_municipality_only(
    client: Client,
    vejle: Municipality,
    aarhus: Municipality,
    vejle_editor: User,
    aarhus_editor: User,
) -> None:
    own = edited_case(vejle, vejle_editor)
    other = edited_case(aarhus, aarhus_editor, title="Sensorer")
    other.state = Case.State.PUBLISHED
    other.save()
    sign_in(client, "victor", f"/cases/{own.pk}/")
    page = client.get(f"/cases/{own.pk}/").content.decode()
    assert f"/historik/cases.Case/{own.pk}/" in page
    assert client.get(f"/historik/cases.Case/{own.pk}/").status_code == 200
    # the other municipality's case is public, its history is not
    assert (
        f"/historik/cases.Case/{other.pk}/"
        not in client.get(f"/cases/{other.pk}/").content.decode()
    )
    assert client.get(f"/historik/cases.Case/{other.pk}/").status_code == 404
    assert client.get("/historik/cases.Case/999999/").status_code == 404
    assert client.get("/historik/surveys.Round/1/").status_code == 404
    assert client.get(f"/historik/accounts.User/{vejle_editor.pk}/").status_code == 404
    assert client.get(f"/brugere/{vejle_editor.pk}/historik/").status_code == 404
    trail = client.get("/historik/").content.decode()
    assert "Robotter i hjemmeplejen" in trail and "Sensorer i hjemmeplejen" not in trail


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(
    client: Client, vejle: Municipality, vejle_editor: User
) -> None:
    case = edited_case(vejle, vejle_editor)
    for url in [
        "/historik/",
        f"/historik/cases.Case/{case.pk}/",
        f"/brugere/{vejle_editor.pk}/historik/",
    ]:
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer["Location"].startswith("/log-ind/")


@pytest.mark.django_db
def test_the_users_page_links_each_editors_changes_with_filters(
    client: Client, vejle: Municipality, vejle_editor: User, analyst: User
) -> None:
    edited_case(vejle, vejle_editor)
    with audit.acting_as(vejle_editor):
        make_project(vejle, published=False, title="Skærmbesøg i Vejle")
    AuditEntry.objects.filter(object_type="benefits.Project").update(
        at=timezone.now() - dt.timedelta(days=30)
    )
    sign_in(client, "anna", "/brugere/")
    users = client.get("/brugere/").content.decode()
    assert f"/brugere/{vejle_editor.pk}/historik/" in users
    url = f"/brugere/{vejle_editor.pk}/historik/"
    everything = client.get(url).content.decode()
    assert "cases.Case" in everything and "benefits.Project" in everything
    only_cases = client.get(url, {"model": "cases.Case"}).content.decode()
    assert "benefits.Project" not in only_cases.split("<tbody>")[1]
    updates = client.get(url, {"action": "update"}).content.decode().split("<tbody>")[1]
    assert "cases.Case" in updates and ">create<" not in updates
    recent = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    last_week = client.get(url, {"date_from": recent}).content.decode().split("<tbody>")[1]
    assert "cases.Case" in last_week and "benefits.Project" not in last_week
    old = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    earlier = client.get(url, {"date_to": old}).content.decode().split("<tbody>")[1]
    assert "benefits.Project" in earlier and "cases.Case" not in earlier
    wrong = client.get(url, {"date_from": recent, "date_to": old})
    assert wrong.status_code == 400


@pytest.mark.django_db
def test_the_trail_pages_take_a_fixed_number_of_queries(
    client: Client,
    vejle: Municipality,
    vejle_editor: User,
    analyst: User,
    django_assert_num_queries: Any,
) -> None:
    case = edited_case(vejle, vejle_editor)
    sign_in(client, "anna", "/historik/")

    def counts() -> tuple[int, int, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        result = []
        for url in [
            "/historik/",
            f"/historik/cases.Case/{case.pk}/",
            f"/brugere/{vejle_editor.pk}/historik/",
        ]:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            result.append(len(captured))
        return result[0], result[1], result[2]

    few = counts()
    with audit.acting_as(vejle_editor):
        for number in range(120):
            case.summary = f"Resumé {number}"
            case.save()
    assert AuditEntry.objects.count() > 120
    assert counts() == few
    with django_assert_num_queries(few[0]):
        page = client.get("/historik/", {"side": 3})
    assert "Side 3 af 3" in page.content.decode()


@pytest.mark.django_db
def test_nobody_changes_or_deletes_an_entry(
    client: Client, vejle: Municipality, vejle_editor: User, admin_user: User
) -> None:
    case = edited_case(vejle, vejle_editor)
    entry = AuditEntry.objects.get(object_type="cases.Case", action="update")
    sign_in(client, "root", "/historik/")
    for url in [
        "/historik/",
        f"/historik/cases.Case/{case.pk}/",
        f"/brugere/{vejle_editor.pk}/historik/",
    ]:
        assert client.post(url, {"summary": "x"}).status_code == 405
    change = client.get(f"/admin/accounts/auditentry/{entry.pk}/change/")
    assert change.status_code == 200
    assert 'name="summary"' not in change.content.decode()
    assert (
        client.post(f"/admin/accounts/auditentry/{entry.pk}/change/", {"summary": "x"}).status_code
        == 403
    )
    assert (
        client.post(f"/admin/accounts/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert "Robotter i hjemmeplejen" in entry.summary
