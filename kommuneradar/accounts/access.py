"""Who may do what to which object: the one place every view, form, admin page and API
endpoint asks.

Each audited app registers one `Rule` per model (at the bottom of its `models.py`); then
`may(user, action, obj)` answers for one object and `restrict(queryset, user, action)` narrows
a queryset to the rows the user may see or change. The refusal policy (docs/architecture.md):
an object the user may not see answers 404, one they may see but not change answers 403, and
an anonymous visitor on a login-only page is sent to `settings.LOGIN_URL`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Literal, TypeVar

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from kommuneradar.catalog.models import (
    Domain,
    MaturityRating,
    Quadrant,
    Technology,
    TechnologyTerm,
)
from kommuneradar.places.models import Municipality, Region

from . import audit
from .models import ApiToken, AuditEntry, Invitation, User

Action = Literal["view", "add", "change", "delete"]
VIEW: Action = "view"
ADD: Action = "add"
CHANGE: Action = "change"
DELETE: Action = "delete"

M = TypeVar("M", bound=models.Model)

NOTHING = Q(pk__in=[])
EVERYTHING = Q()


class AuthenticatedHttpRequest(HttpRequest):
    """A request whose user is known to be a logged-in, active `User` (see `login_only`)."""

    user: User


def user_of(request: HttpRequest) -> User | None:
    """The request's active user, or None for anonymous visitors and deactivated users."""
    user = request.user
    return user if isinstance(user, User) and user.is_active else None


def _active(user: object) -> User | None:
    return user if isinstance(user, User) and user.is_active else None


View = Callable[..., HttpResponseBase]


def login_only(view: Callable[..., HttpResponseBase]) -> View:
    """Anonymous visitors go to the login page; the view gets an `AuthenticatedHttpRequest`."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if user_of(request) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# Rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """Who may see and who may change the objects of one model.

    `seen`/`changed` give the rows as a `Q` for a user (None = anonymous); `sees`/`changes`
    answer for one object. The two forms of each rule are tested against each other."""

    seen: Callable[[User | None], Q]
    changed: Callable[[User | None], Q]
    sees: Callable[[User | None, Any], bool]
    changes: Callable[[User | None, Any], bool]


def _analyst(user: User | None) -> bool:
    return user is not None and user.is_analyst


def either(first: Q, second: Q) -> Q:
    """Rows matching either condition (an empty `Q` means every row, as in `EVERYTHING`)."""
    if not first or not second:
        return EVERYTHING
    return first | second


def _all_or_nothing(allowed: bool) -> Q:
    return EVERYTHING if allowed else NOTHING


def public_rule(changed_by: Callable[[User | None], bool] = _analyst) -> Rule:
    """Seen by everyone; changed only by analysts (the catalogue, programmes, places)."""
    return Rule(
        seen=lambda user: EVERYTHING,
        changed=lambda user: _all_or_nothing(changed_by(user)),
        sees=lambda user, obj: True,
        changes=lambda user, obj: changed_by(user),
    )


def analyst_rule() -> Rule:
    """Seen and changed by analysts only (rounds, invitations, overrides, the audit trail)."""
    return Rule(
        seen=lambda user: _all_or_nothing(_analyst(user)),
        changed=lambda user: _all_or_nothing(_analyst(user)),
        sees=lambda user, obj: _analyst(user),
        changes=lambda user, obj: _analyst(user),
    )


def _path_get(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def municipal_rule(
    path: str,
    *,
    public: Q = NOTHING,
    is_public: Callable[[Any], bool] = lambda obj: False,
) -> Rule:
    """Belongs to the municipality at `path` (a double-underscore path to its id): analysts and
    that municipality's editors see and change it; everyone else sees it only when it is
    public (`public` as rows, `is_public` for one object)."""
    id_path = f"{path}_id" if path else "pk"

    def own(user: User | None) -> Q:
        if user is None:
            return NOTHING
        if user.is_analyst:
            return EVERYTHING
        if user.municipality_id is None:
            return NOTHING
        return Q(**{id_path: user.municipality_id})

    def changes(user: User | None, obj: Any) -> bool:
        if user is None:
            return False
        return user.is_analyst or user.may_edit_municipality(_path_get(obj, id_path))

    return Rule(
        seen=lambda user: either(public, own(user)),
        changed=own,
        sees=lambda user, obj: is_public(obj) or changes(user, obj),
        changes=changes,
    )


_RULES: dict[type[models.Model], Rule] = {}
EXEMPT: dict[type[models.Model], str] = {}


def register(model: type[models.Model], rule: Rule) -> None:
    """Give `model` its rule (called once per model, from the app's models.py)."""
    _RULES[model] = rule


def exempt(model: type[models.Model], why: str) -> None:
    """Declare that `model` has no per-object rule, and why (tests list both)."""
    EXEMPT[model] = why


def rule_for(model: type[models.Model]) -> Rule:
    for klass in model.__mro__:
        if klass in _RULES:
            return _RULES[klass]
    raise LookupError(f"no access rule for {model._meta.label}")


def registered() -> dict[type[models.Model], Rule]:
    return dict(_RULES)


# The two questions ---------------------------------------------------------------------


def may(user: object, action: Action, obj: models.Model) -> bool:
    """May `user` (None or anonymous allowed) do `action` to `obj`?

    "add" asks about an unsaved object with its owner (e.g. the municipality) filled in."""
    who = _active(user)
    rule = rule_for(type(obj))
    if action == VIEW:
        return rule.sees(who, obj)
    return rule.changes(who, obj)


def restrict(queryset: models.QuerySet[M] | Any, user: object, action: Action) -> Any:
    """The rows of `queryset` (or a manager) that `user` may see ("view") or change."""
    if isinstance(queryset, models.Manager):
        queryset = queryset.all()
    who = _active(user)
    rule = rule_for(queryset.model)
    condition = rule.seen(who) if action == VIEW else rule.changed(who)
    return queryset.filter(condition)


def get_or_refuse(
    queryset: models.QuerySet[M] | Any, user: object, action: Action, **lookup: Any
) -> Any:
    """The object `lookup` names, by the refusal policy: 404 when the user may not see it
    (or it does not exist), 403 when they may see it but not do `action`."""
    if isinstance(queryset, models.Manager):
        queryset = queryset.all()
    try:
        obj = restrict(queryset, user, VIEW).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    refuse_unless(user, action, obj)
    return obj


def refuse_unless(user: object, action: Action, obj: models.Model) -> None:
    """Raise by the refusal policy unless `user` may do `action` to `obj`."""
    if action != ADD and not may(user, VIEW, obj):
        raise Http404
    if action != VIEW and not may(user, action, obj):
        raise PermissionDenied


def refuse_unless_analyst(user: object) -> User:
    """For pages about analyst-only things as a whole (a list of rounds): 404 for others."""
    who = _active(user)
    if who is None or not who.is_analyst:
        raise Http404
    return who


# Personal data inside objects that others may see -----------------------------------


@dataclass(frozen=True)
class Personal:
    """The fields of a model that name or reach a person (names, e-mail addresses) and
    who may see them, where that is fewer people than may see the object itself."""

    fields: tuple[str, ...]
    sees: Callable[[User | None, Any], bool]


_PERSONAL: dict[type[models.Model], Personal] = {}


def register_personal(
    model: type[models.Model], fields: tuple[str, ...], sees: Callable[[User | None, Any], bool]
) -> None:
    """Declare that `fields` of `model` are personal data shown only to whom `sees` says."""
    _PERSONAL[model] = Personal(fields=fields, sees=sees)


def personal_data() -> dict[type[models.Model], Personal]:
    return dict(_PERSONAL)


def may_see_personal(user: object, obj: models.Model) -> bool:
    """May `user` see the personal data (names, e-mail addresses) of `obj`? As its model's
    `register_personal` says; for other models, whoever may see the object."""
    personal = _PERSONAL.get(type(obj))
    if personal is None:
        return may(user, VIEW, obj)
    return personal.sees(_active(user), obj)


def owners_and_analysts(path: str) -> Callable[[User | None, Any], bool]:
    """For `register_personal`: the editors of the municipality at `path` (a
    double-underscore path to it), analysts and admins."""
    return municipal_rule(path).changes


# The rules of the apps below accounts (places, catalog) and of accounts' own models.


def _superuser(user: User | None) -> bool:
    return user is not None and user.is_superuser


register(Region, public_rule())
register(
    Municipality,
    municipal_rule("", public=EVERYTHING, is_public=lambda municipality: True),
)
for _model in (Domain, Quadrant, Technology, TechnologyTerm, MaturityRating):
    register(_model, public_rule())


def _users_managed(user: User | None) -> Q:
    """Admins manage every account; analysts invite and deactivate municipal editors."""
    if _superuser(user):
        return EVERYTHING
    return Q(role=User.Role.EDITOR) if _analyst(user) else NOTHING


def _manages(user: User | None, account: Any) -> bool:
    return _superuser(user) or (_analyst(user) and account.role == User.Role.EDITOR)


register(
    User,
    Rule(seen=_users_managed, changed=_users_managed, sees=_manages, changes=_manages),
)
register(Invitation, analyst_rule())


def editor_audited_types(user: User | None) -> list[str]:
    """The labels of the audited models whose objects this editor may change: the only
    kinds of object whose history an editor sees (their own municipality's)."""
    from_tracked = [
        model
        for model in audit.TRACKED
        if model is not AuditEntry and rule_for(model).changed(user) != NOTHING
    ]
    return sorted(model._meta.label for model in from_tracked)


def _entries_seen(user: User | None) -> Q:
    if user is None:
        return NOTHING
    if user.is_analyst:
        return EVERYTHING
    if user.role != User.Role.EDITOR or user.municipality_id is None:
        return NOTHING
    return Q(municipality_id=user.municipality_id, object_type__in=editor_audited_types(user))


def _entry_seen(user: User | None, entry: Any) -> bool:
    if user is None:
        return False
    if user.is_analyst:
        return True
    return (
        user.role == User.Role.EDITOR
        and user.municipality_id is not None
        and entry.municipality_id == user.municipality_id
        and entry.object_type in editor_audited_types(user)
    )


# The audit trail: analysts read all of it, an editor the history of the objects of their
# own municipality that they may change; nobody changes or deletes an entry.
register(
    AuditEntry,
    Rule(
        seen=_entries_seen,
        changed=lambda user: NOTHING,
        sees=_entry_seen,
        changes=lambda user, entry: False,
    ),
)


def _own_tokens(user: User | None) -> Q:
    """A token is its owner's alone: not even an admin sees or revokes another's."""
    return NOTHING if user is None else Q(user_id=user.pk)


register(
    ApiToken,
    Rule(
        seen=_own_tokens,
        changed=_own_tokens,
        sees=lambda user, token: user is not None and token.user_id == user.pk,
        changes=lambda user, token: user is not None and token.user_id == user.pk,
    ),
)


class RestrictedAdmin(admin.ModelAdmin[M]):
    """The admin asks the same rules: its lists hold only what the user may see, and an
    object's change and delete buttons follow `may` (on top of the model permissions)."""

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[M]:
        rows: models.QuerySet[M] = restrict(super().get_queryset(request), request.user, VIEW)
        return rows

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may(request.user, CHANGE, obj))

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may(request.user, DELETE, obj))
