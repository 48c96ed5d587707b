"""Survey status for other apps' pages: `{% load surveys_tags %}` then
`{% open_round_status municipality as survey %}` gives the open round and, per domain,
whether the municipality is invited and whether its answers are submitted (four queries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from kommuneradar.catalog.models import Domain
from kommuneradar.places.models import Municipality

from ..models import Invitation, Response, Round

register = template.Library()


@dataclass(frozen=True)
class DomainStatus:
    domain: Domain
    invitation: Invitation | None
    response: Response | None

    @property
    def submitted(self) -> bool:
        return self.response is not None and self.response.submitted_at is not None

    @property
    def started(self) -> bool:
        return self.response is not None and self.response.submitted_at is None

    @property
    def invited(self) -> bool:
        return self.invitation is not None and self.invitation.revoked_at is None


@register.simple_tag
def open_round_status(municipality: Municipality) -> dict[str, Any]:
    """The newest open round and this municipality's status in each domain of it."""
    round_ = Round.objects.filter(status=Round.Status.OPEN).order_by("-year").first()
    if round_ is None:
        return {"round": None, "rows": [], "submitted": 0}
    invitations = {
        invitation.domain_id: invitation
        for invitation in Invitation.objects.filter(round=round_, municipality=municipality)
    }
    responses = {
        response.domain_id: response
        for response in Response.objects.filter(round=round_, municipality=municipality)
    }
    rows = [
        DomainStatus(domain, invitations.get(domain.pk), responses.get(domain.pk))
        for domain in Domain.objects.all()
        if domain.pk in invitations or domain.pk in responses
    ]
    return {"round": round_, "rows": rows, "submitted": sum(1 for row in rows if row.submitted)}
