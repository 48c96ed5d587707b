"""Saved searches: a logged-in user keeps the list's filters under a name on the server;
only the owner sees, uses and deletes them."""

from __future__ import annotations

import pytest
from django.test import Client

from kommuneradar.accounts.models import AuditEntry, User
from kommuneradar.automation import searches
from kommuneradar.automation.models import SavedSearch

pytestmark = pytest.mark.django_db

QUERY = "q=attest&fase=operation&fase=idea&status=in_progress&ukendt=x&fase=nonsense"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_saving_keeps_the_lists_filters_under_a_name_and_lists_it(vejle_editor: User) -> None:
    client = _client(vejle_editor)
    answer = client.post(
        "/automatisering/soegninger/", {"name": "  Attester  i drift ", "query": QUERY}
    )
    search = SavedSearch.objects.get(user=vejle_editor)
    assert search.name == "Attester i drift"
    # only the filters the list knows, in its order
    assert search.query == "q=attest&fase=operation&fase=idea&status=in_progress"
    assert answer.status_code == 302
    assert answer["Location"] == "/automatisering/?" + search.query
    page = client.get(answer["Location"]).content.decode()
    assert "Attester i drift" in page
    assert "Søgningen “Attester i drift” blev gemt." in page
    assert AuditEntry.objects.filter(object_type="automation.SavedSearch", action="create").exists()


def test_saving_under_the_same_name_replaces_the_search(vejle_editor: User) -> None:
    searches.save_search(vejle_editor, "Mine", "fase=idea")
    searches.save_search(vejle_editor, "Mine", "fase=operation")
    assert list(SavedSearch.objects.values_list("name", "query")) == [("Mine", "fase=operation")]


def test_a_search_without_a_name_is_refused_and_the_filters_stay(vejle_editor: User) -> None:
    client = _client(vejle_editor)
    answer = client.post("/automatisering/soegninger/", {"name": "  ", "query": "fase=idea"})
    assert answer.status_code == 302
    assert answer["Location"] == "/automatisering/?fase=idea"
    assert "Giv søgningen et navn." in client.get(answer["Location"]).content.decode()
    assert not SavedSearch.objects.exists()


def test_only_the_owner_sees_and_deletes_a_saved_search(
    vejle_editor: User, aarhus_editor: User, analyst: User
) -> None:
    search = searches.save_search(vejle_editor, "Victors søgning", "fase=idea")
    for other in (aarhus_editor, analyst):
        client = _client(other)
        assert "Victors søgning" not in client.get("/automatisering/").content.decode()
        answer = client.post(f"/automatisering/soegninger/{search.pk}/slet/")
        assert answer.status_code == 404
    assert SavedSearch.objects.filter(pk=search.pk).exists()
    client = _client(vejle_editor)
    assert client.get(f"/automatisering/soegninger/{search.pk}/slet/").status_code == 405
    answer = client.post(f"/automatisering/soegninger/{search.pk}/slet/")
    assert answer.status_code == 302
    assert not SavedSearch.objects.filter(pk=search.pk).exists()
    assert AuditEntry.objects.filter(object_type="automation.SavedSearch", action="delete").exists()


def test_the_anonymous_cannot_save_and_see_no_save_form() -> None:
    client = Client()
    answer = client.post("/automatisering/soegninger/", {"name": "x", "query": ""})
    assert answer.status_code == 302 and answer["Location"].startswith("/log-ind/")
    assert not SavedSearch.objects.exists()
    assert "Gem søgning" not in client.get("/automatisering/").content.decode()


def test_a_user_keeps_at_most_fifty_searches(vejle_editor: User) -> None:
    SavedSearch.objects.bulk_create(
        SavedSearch(user=vejle_editor, name=f"s{n}", query="") for n in range(searches.MAX_SEARCHES)
    )
    client = _client(vejle_editor)
    answer = client.post("/automatisering/soegninger/", {"name": "en til", "query": ""})
    assert answer.status_code == 302
    assert "slet én" in client.get(answer["Location"]).content.decode()
    assert SavedSearch.objects.count() == searches.MAX_SEARCHES
