"""Reading the audit trail: the entries a user may see, filtered by model, action and date,
a page at a time in a fixed number of queries. Nothing here writes an entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone

from . import access, audit
from .models import AuditEntry, User

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    """What the reader asked for; empty means everything."""

    model: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audited_models() -> list[type[models.Model]]:
    """The audited models, by label (the choices of the model filter)."""
    return sorted(audit.TRACKED, key=lambda model: model._meta.label)


def model_named(label: str) -> type[models.Model]:
    """The audited model with this label ("cases.Case"); 404 for anything else."""
    for model in audit.TRACKED:
        if model._meta.label == label:
            return model
    raise Http404


def visible_entries(user: User) -> models.QuerySet[AuditEntry]:
    """The entries `user` may read (accounts.access)."""
    rows: models.QuerySet[AuditEntry] = access.restrict(AuditEntry.objects, user, access.VIEW)
    return rows


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def apply(entries: models.QuerySet[AuditEntry], filters: Filters) -> models.QuerySet[AuditEntry]:
    """Narrow `entries` by the filters (dates are whole local days, both ends included)."""
    if filters.model:
        entries = entries.filter(object_type=filters.model)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.date_from:
        entries = entries.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return entries


def actions_in(entries: models.QuerySet[AuditEntry]) -> list[str]:
    """The distinct actions among `entries` (one query)."""
    return list(entries.order_by("action").values_list("action", flat=True).distinct())


def page_of(entries: models.QuerySet[AuditEntry], number: Any) -> Page[AuditEntry]:
    """One page of entries, newest first, with who and which municipality (two queries)."""
    rows = entries.select_related("user", "municipality").order_by("-at", "-pk")
    return Paginator(rows, PAGE_SIZE).get_page(number)


def object_for_history(user: User, label: str, object_id: str) -> models.Model | None:
    """The object whose history `user` asks for, by the refusal policy: analysts read any
    audited object's history (also a deleted one's); an editor only that of an object of
    their own municipality that they may change. None when the object no longer exists."""
    model = model_named(label)
    try:
        obj = model._base_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
    if obj is None:
        return None
    if not user.is_analyst and not access.may(user, access.CHANGE, obj):
        raise Http404
    return obj
