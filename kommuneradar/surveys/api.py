"""Open data about survey rounds: which rounds exist and their status (no answers)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema

from kommuneradar.accounts.access import VIEW, restrict
from kommuneradar.core.api import PageMeta, Paging, page_of

from .models import Round

router = Router(tags=["surveys"])


class RoundOut(Schema):
    year: int = Field(description=gettext_noop("The survey year."))
    status: str = Field(
        description=gettext_noop(
            "`draft`, `open` (municipalities answer), `closed` or `published` "
            "(its radar editions are public)."
        )
    )
    opens_on: str = Field(
        description=gettext_noop("The first day municipalities can answer (ISO date).")
    )
    closes_on: str = Field(description=gettext_noop("The answering deadline (ISO date)."))


class RoundPage(PageMeta):
    results: list[RoundOut] = Field(description=gettext_noop("This page of survey rounds."))


class RoundFilters(Paging):
    status: Round.Status | None = Field(
        None, description=gettext_noop("Only rounds with this status.")
    )


def _round(found: Round) -> dict[str, Any]:
    return {
        "year": found.year,
        "status": found.status,
        "opens_on": found.opens_on.isoformat(),
        "closes_on": found.closes_on.isoformat(),
    }


@router.get("/rounds", response=RoundPage, operation_id="list_rounds")
def rounds(request: HttpRequest, filters: Query[RoundFilters]) -> dict[str, Any]:
    """Survey rounds and their status, newest first (no answers: those are not public)."""
    found = restrict(Round.objects, None, VIEW)
    if filters.status:
        found = found.filter(status=filters.status)
    return page_of(found.order_by("-year", "id"), filters, _round)
