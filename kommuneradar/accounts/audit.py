"""The audit trail, written by one mechanism that a new write path cannot forget.

Every audited model is registered with `track()` (at the bottom of its app's models.py), which
connects pre_save/post_save/post_delete signals. Whenever such an object is saved or deleted
while an audit context is open, an `AuditEntry` is written with who, what and a before/after
summary. Contexts are opened by:

- `AuditMiddleware` for every request (the request's user; anonymous visitors count too),
- `operation(user, action)` in a service function: it names the change ("enrol", "round_published")
  and, with `subject`, folds every change made inside it into one entry about that object,
- `acting_as(user)` in management commands and scripts.

Outside any context (data migrations, test-data builders) nothing is recorded.
Queryset `.update()` and `bulk_create()` send no signals: a service that uses them opens an
`operation` with a `subject`, whose entry is written even when no object was saved.
A test enumerates every model of the project's apps and requires each to be tracked or exempt."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

from kommuneradar.catalog.models import (
    Domain,
    MaturityRating,
    Quadrant,
    Technology,
    TechnologyTerm,
)
from kommuneradar.places.models import Municipality, Region

from .models import ApiToken, AuditEntry, Invitation, User

SUMMARY_LIMIT = 2000
# Fields whose change alone is not worth an entry (a login updates last_login).
UNRECORDED_FIELDS = frozenset({"last_login"})
VALUE_LIMIT = 60


@dataclass
class Change:
    obj: models.Model
    verb: str  # "create", "update", "delete"
    summary: str
    pk: object = None

    def __post_init__(self) -> None:
        self.pk = self.obj.pk


@dataclass
class Context:
    """Who is acting now, and (inside an operation) what the change is called."""

    who: Callable[[], object]
    action: str = ""
    subject: models.Model | None = None
    summary: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def user(self) -> User | None:
        user = self.who()
        return user if isinstance(user, User) and user.is_authenticated else None

    def note(self, summary: str) -> None:
        """Set the summary written on the operation's entry."""
        self.summary = summary


_current: contextvars.ContextVar[Context | None] = contextvars.ContextVar(
    "kommuneradar_audit", default=None
)

# model -> double-underscore path to the municipality the object belongs to ("" = none)
TRACKED: dict[type[models.Model], str] = {}
EXEMPT: dict[type[models.Model], str] = {}


@contextmanager
def acting_as(user: object) -> Iterator[Context]:
    """Record every change made inside as made by `user` (a command's operator, or None)."""
    context = Context(who=lambda: user)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


@contextmanager
def operation(
    user: object, action: str, subject: models.Model | None = None, summary: str = ""
) -> Iterator[Context]:
    """One named change, in one transaction. Without `subject`, each audited object saved
    inside gets its own entry carrying `action`; with `subject`, one entry about the subject
    sums up everything that changed."""
    context = Context(who=lambda: user, action=action, subject=subject, summary=summary)
    token = _current.set(context)
    try:
        with transaction.atomic():
            yield context
            _flush(context)
    finally:
        _current.reset(token)


def about(subject: models.Model) -> None:
    """Name the object the open operation's entry is about (once it exists)."""
    context = _current.get()
    if context is not None:
        context.subject = subject


class AuditMiddleware:
    """Opens an audit context for each request, so a write in any view is recorded."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = Context(who=lambda: getattr(request, "user", None))
        token = _current.set(context)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


# Registration and the signal handlers ---------------------------------------------------


def track(model: type[models.Model], municipality: str = "") -> None:
    """Audit every save and delete of `model`; `municipality` is the path to its owner."""
    TRACKED[model] = municipality
    uid = f"kommuneradar-audit-{model._meta.label}"
    pre_save.connect(_before, sender=model, dispatch_uid=uid)
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


def exempt(model: type[models.Model], why: str) -> None:
    """Declare that `model` is not audited, and why."""
    EXEMPT[model] = why


def _fields(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _short(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def _before(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _current.get() is None or instance.pk is None or kwargs.get("raw"):
        return
    names = [f.attname for f in sender._meta.concrete_fields]
    instance._audit_before = (  # type: ignore[attr-defined]
        sender._base_manager.filter(pk=instance.pk).values(*names).first()
    )


def _saved(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    context = _current.get()
    if context is None or kwargs.get("raw"):
        return
    before: dict[str, Any] | None = getattr(instance, "_audit_before", None)
    instance.__dict__.pop("_audit_before", None)
    if created or before is None:
        _change(context, Change(instance, "create", f"created: {_short(instance)}"))
        return
    after = _fields(instance)
    changed = [
        f"{name}: {_short(before[name])} → {_short(after[name])}"
        for name in before
        if name in after and before[name] != after[name] and name not in UNRECORDED_FIELDS
    ]
    if changed:
        _change(context, Change(instance, "update", "changed: " + "; ".join(changed)))


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    context = _current.get()
    if context is not None:
        _change(context, Change(instance, "delete", f"deleted: {_short(instance)}"))


def _change(context: Context, change: Change) -> None:
    if context.subject is not None:
        context.changes.append(change)
    elif context.action:
        summary = context.summary or change.summary
        _write(context.user, context.action, change.obj, summary, change.pk)
    else:
        _write(context.user, change.verb, change.obj, change.summary, change.pk)


def _flush(context: Context) -> None:
    subject = context.subject
    if subject is None:
        return
    parts = [
        change.summary
        if change.obj is subject
        else f"{change.obj._meta.label} {change.pk}: {change.summary}"
        for change in context.changes
    ]
    summary = context.summary or "; ".join(parts)
    _write(context.user, context.action, subject, summary)


def municipality_of(obj: models.Model) -> int | None:
    path = TRACKED.get(type(obj), "")
    if not path:
        return None
    value: Any = obj
    parts = path.split("__")
    for part in parts[:-1]:
        value = getattr(value, part, None)
        if value is None:
            return None
    found = getattr(value, f"{parts[-1]}_id", None)
    return found if isinstance(found, int) else None


def _write(
    user: User | None, action: str, obj: models.Model, summary: str, pk: object = None
) -> None:
    AuditEntry.objects.create(
        user=user,
        action=action[:50],
        object_type=obj._meta.label,
        object_id=str(obj.pk if pk is None else pk),
        summary=summary[:SUMMARY_LIMIT],
        municipality_id=municipality_of(obj),
    )


# The models of the apps below accounts (places, catalog) and accounts' own.
track(Region)
track(Municipality)
for _model in (Domain, Quadrant, Technology, TechnologyTerm, MaturityRating):
    track(_model)
track(User, municipality="municipality")
track(Invitation, municipality="user__municipality")
track(ApiToken, municipality="user__municipality")
exempt(AuditEntry, "the audit trail itself; entries are never changed")
