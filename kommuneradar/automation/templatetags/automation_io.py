"""The list page's tools for files and saved searches, as one inclusion tag:
`{% load automation_io %}{% pipeline_tools %}` shows the export links for the current
filters, the import link for those who may add processes, and the visitor's own saved
searches with the form to save the current filters (one query for the searches)."""

from __future__ import annotations

from typing import Any

from django import template

from kommuneradar.accounts.access import ADD, may, user_of

from ..models import Process
from ..searches import searches_of

register = template.Library()


@register.inclusion_tag("automation/_pipeline_tools.html", takes_context=True)
def pipeline_tools(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = user_of(request) if request is not None else None
    query = str(context.get("query") or "")
    may_import = user is not None and (
        user.is_analyst or may(user, ADD, Process(municipality=user.municipality, owner=user))
    )
    return {
        "request": request,
        "query": query,
        "signed_in": user is not None,
        "searches": list(searches_of(user)) if user is not None else [],
        "may_import": may_import,
        "formats": [("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("json", "JSON")],
        "csrf_token": context.get("csrf_token"),
    }
