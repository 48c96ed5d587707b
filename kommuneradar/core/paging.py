"""One way to page a long list: a page of a fixed size, read without counting the whole
list (one row more than a page is read to know whether there is a next one), and asked
for by `?side=<n>` with the list's other parameters kept (`core/_pages.html` draws it
with DKFDS pagination)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

PAGE_SIZE = 100
LAST_PAGE = 1_000_000  # a larger page number is read as the first page


class Sliceable(Protocol):
    def __getitem__(self, index: slice, /) -> Any: ...


@dataclass(frozen=True)
class Page:
    """One page of a list: its number (from 1), its rows, and whether more follow."""

    number: int
    rows: list[Any]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(side: str | None) -> int:
    """The page a `side` parameter asks for; anything but a plausible number is page 1."""
    return int(side) if side and side.isdigit() and 0 < int(side) < LAST_PAGE else 1


def page_of(found: Sliceable, side: str | None, size: int = PAGE_SIZE) -> Page:
    """The page `side` of `found` (a queryset, or anything that reads rows by a slice)."""
    number = page_number(side)
    start = (number - 1) * size
    rows = list(found[start : start + size + 1])
    return Page(number, rows[:size], len(rows) > size)


def query_without_page(**criteria: str) -> str:
    """The list's other parameters for its page links (empty ones left out)."""
    return urlencode({name: value for name, value in criteria.items() if value})
