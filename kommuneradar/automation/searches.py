"""Saved searches: a logged-in user's named filter sets of the list page, kept on the
server. The query string is cleaned by the list's own parser before it is kept, so a
saved search holds only the filters the list knows."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from django.db.models import QuerySet

from kommuneradar.accounts import access, audit
from kommuneradar.accounts.models import User

from . import queries
from .models import SavedSearch

MAX_SEARCHES = 50


def clean_query(query: str) -> str:
    """Only the list's filters, in its order, as the list page writes them."""
    pairs = parse_qs(query[:4000], keep_blank_values=False)
    single = {key: values[0] for key, values in pairs.items() if values}
    chosen = queries.filters_from(single, pairs.get("fase", []))
    return urlencode(chosen.as_query())


def searches_of(user: object) -> QuerySet[SavedSearch]:
    """The user's own saved searches (none for the anonymous)."""
    found: QuerySet[SavedSearch] = access.restrict(SavedSearch.objects, user, access.VIEW)
    return found.order_by("name", "id")


class TooMany(Exception):
    pass


def save_search(user: User, name: str, query: str) -> SavedSearch:
    """Save the filters under `name`; a search of the same name is replaced."""
    search = SavedSearch.objects.filter(user=user, name=name).first()
    created = search is None
    if search is None:
        if SavedSearch.objects.filter(user=user).count() >= MAX_SEARCHES:
            raise TooMany
        search = SavedSearch(user=user, name=name)
    search.query = clean_query(query)
    access.refuse_unless(user, access.ADD if created else access.CHANGE, search)
    with audit.operation(user, "create" if created else "update", subject=search) as op:
        search.save()
        op.note(f"saved search {search.name}: {search.query}")
    return search


def delete_search(user: User, search: SavedSearch) -> None:
    access.refuse_unless(user, access.DELETE, search)
    with audit.operation(user, "delete", summary=f"saved search {search.name} deleted"):
        search.delete()
