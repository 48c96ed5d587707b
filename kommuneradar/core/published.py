"""Published data is computed once, not per request.

Editions, published cases and projects, follow-ups and the catalogue change rarely and
only through writes; pages of published data read them on every request. So everything
derived from them (a radar's layout, rendered charts, dashboard sums, profile figures) is
kept in the Django cache (in-process memory in development, Redis with CACHE_URL) under
keys that carry one **published-data version**. Every write to a tracked model bumps that
version (a signal connected by `track()` at the bottom of each app's models.py), so old
entries are never looked up again and simply expire: nothing hunts for keys to delete.

The version is bumped at once and again when the transaction commits: a request that read
the new version before the commit and cached what it saw (the old rows) is outvoted by
the second bump. Survey answers are not tracked (they change in bulk while a round is
open and are public only through a published edition, whose publication bumps).

The same version makes the ETag of a published page (`published_page`): anonymous
visitors get `Cache-Control: public, max-age=…` and a 304 for a matching If-None-Match
without the page being rendered; logged-in users get `private, no-store` and no ETag.

Several processes need one shared cache (CACHE_URL): with in-process memory, a bump in one
process is not seen by another, whose entries then live until CACHE_TIMEOUT.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., HttpResponseBase])

# Entries are unreachable once the version moves on; the timeout only frees memory (and
# bounds staleness when several processes share no cache).
CACHE_TIMEOUT = 24 * 3600
# Values that do not depend on the date stay until the version moves on, or a week.
LASTING_TIMEOUT = 7 * 24 * 3600
# How long a browser or proxy may reuse a published page without asking again (seconds).
PUBLIC_MAX_AGE = 60
_MISSING = object()


def _namespace() -> str:
    """One database, one namespace: checkouts, tests and benchmarks that share a Redis
    server never read each other's entries."""
    database = settings.DATABASES["default"]
    identity = "|".join(str(database.get(part, "")) for part in ("ENGINE", "HOST", "PORT", "NAME"))
    return hashlib.sha256(identity.encode()).hexdigest()[:10]


def _version_key() -> str:
    return f"kr:{_namespace()}:published-version"


# The version as read once for the page being answered (`published_page` pins it): its ETag,
# its copy in the cache and its cached figures then cost one read of the version, not one each.
_pinned: ContextVar[int | None] = ContextVar("kr_published_version", default=None)


def version() -> int:
    """The current published-data version (a number that only grows)."""
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    key = _version_key()
    current = cache.get(key)
    if current is None:
        # Start from the clock, so a version evicted from the cache is never reused by
        # a later start while old entries survive beside it.
        cache.add(key, time.time_ns() // 1000, timeout=None)
        current = cache.get(key, 0)
    return int(current)


def _increment() -> None:
    key = _version_key()
    try:
        cache.incr(key)
    except ValueError:  # not in the cache (evicted or never read)
        cache.set(key, time.time_ns() // 1000, timeout=None)


def bump() -> None:
    """Published data changed: every cached figure and every ETag moves on (now, and
    again when the current transaction commits)."""
    _pinned.set(None)
    _increment()
    if connection.in_atomic_block:
        transaction.on_commit(_increment)


def _changed(sender: type[models.Model], **kwargs: Any) -> None:
    if kwargs.get("raw"):  # fixtures loading
        return
    if str(kwargs.get("action", "")).startswith("pre_"):  # m2m_changed fires twice
        return
    bump()


def track(*model_classes: type[models.Model]) -> None:
    """Bump the version whenever an object of these models (or one of their
    many-to-many relations) is saved or deleted."""
    for model in model_classes:
        uid = f"published:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            m2m_changed.connect(
                _changed, sender=through, dispatch_uid=f"{uid}:{field.name}", weak=False
            )


def key(name: str, *parts: object, daily: bool = True) -> str:
    """A cache key for `name` and its parameters, in the current version and language, and
    the day unless `daily` is false (figures such as 'follow-ups overdue' depend on the
    date; an edition's radar does not, and need not be computed again after midnight)."""
    detail = "|".join(str(part) for part in parts)
    digest = hashlib.sha256(detail.encode()).hexdigest()[:16]
    language = get_language() or settings.LANGUAGE_CODE
    day = timezone.localdate() if daily else "any-day"
    return f"kr:{_namespace()}:{name}:{version()}:{language}:{day}:{digest}"


def shared_key(name: str, *parts: object) -> str:
    """A cache key of this database for `name` and its parameters, whatever the version
    (for values keyed by their own fingerprint of the data they depend on)."""
    detail = "|".join(str(part) for part in parts)
    digest = hashlib.sha256(detail.encode()).hexdigest()[:24]
    return f"kr:{_namespace()}:{name}:{digest}"


def cached(
    name: str, parts: tuple[object, ...], compute: Callable[[], T], *, daily: bool = True
) -> T:
    """The value of `compute()` for these parameters, computed once per version (and per
    day unless `daily` is false: only for values that never read the date)."""
    entry = key(name, *parts, daily=daily)
    hit = cache.get(entry, _MISSING)
    if hit is not _MISSING:
        return hit  # type: ignore[no-any-return]
    value = compute()
    cache.set(entry, value, CACHE_TIMEOUT if daily else LASTING_TIMEOUT)
    return value


def content_cached(name: str, content: str, compute: Callable[[], T]) -> T:
    """The value of `compute()` for this content, computed once whatever the version (for
    results that depend only on their input, e.g. a chart rendered from its spec)."""
    digest = hashlib.sha256(content.encode()).hexdigest()
    entry = f"kr:content:{name}:{digest}"
    hit = cache.get(entry, _MISSING)
    if hit is not _MISSING:
        return hit  # type: ignore[no-any-return]
    value = compute()
    cache.set(entry, value, CACHE_TIMEOUT)
    return value


# Set by `published_page` for the request it answers: whether what the page shows is still
# being computed in the background.
_incomplete: ContextVar[list[bool] | None] = ContextVar("kr_published_incomplete", default=None)


def incomplete() -> None:
    """What the page being rendered shows is still being computed in the background (the
    outlook right after a publication): it is not kept in the page cache, has no ETag and
    may not be cached by browsers or proxies, so the finished page replaces it as soon as
    it is there. Outside a `published_page` view this does nothing."""
    flag = _incomplete.get()
    if flag is not None:
        flag.append(True)


def _is_incomplete() -> bool:
    return bool(_incomplete.get())


def _anonymous(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
    """The page's identity for anonymous visitors: data version, language, day, the path
    with its query, and the cookies the page depends on (the CSRF token of the language
    form, a pending message); None for logged-in users (no conditional answer)."""
    if not _anonymous(request) or request.headers.get("If-None-Match", "").strip() == "*":
        return None  # "*" would answer 304 before the view could say 404
    cookies = sorted(request.COOKIES.items())
    identity = key("etag", request.get_full_path(), cookies)
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def _new_csrf_cookie(request: HttpRequest) -> bool:
    """The response will carry a CSRF secret made for this visitor alone (a first visit):
    no shared cache may hand it to others."""
    return settings.CSRF_COOKIE_NAME not in request.COOKIES and bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


# A page's copy in the cache: the CSRF tokens of its forms (the language form) are a
# visitor's own, so they are stored as this placeholder and put back per request.
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
_CSRF_PLACEHOLDER = b"\x00kr-csrf-token\x00"
# The only cookies an anonymous page may depend on: any other (a session, a pending
# message) means the page is rendered for this request alone.
_SHARED_COOKIES = frozenset({settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME})
_CACHED_HEADERS = ("Content-Type",)


def _shareable_request(request: HttpRequest) -> bool:
    return (
        settings.PUBLISHED_PAGE_CACHE
        and request.method == "GET"
        and _anonymous(request)
        and set(request.COOKIES) <= _SHARED_COOKIES
    )


def _queued_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and getattr(storage, "_queued_messages", None))


def _page_cached(view: View) -> View:
    """The whole rendered page for anonymous visitors, once per published-data version,
    language, day and path with its query (the CSRF token of each visitor put back in)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _shareable_request(request):
            return view(request, *args, **kwargs)
        entry = key("page", request.get_full_path())
        hit = cache.get(entry)
        if hit is not None:
            status, headers, content = hit
            if _CSRF_PLACEHOLDER in content:
                content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
            served = HttpResponse(content, status=status)
            for name, value in headers:
                served.headers[name] = value
            return served
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponse):
            return response
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not _queued_messages(request)
            and not response.has_header("Cache-Control")
            and not _is_incomplete()
        ):
            content = _CSRF_FIELD.sub(
                lambda match: match.group(1) + _CSRF_PLACEHOLDER + match.group(2),
                response.content,
            )
            headers = [(name, response[name]) for name in _CACHED_HEADERS if name in response]
            cache.set(entry, (response.status_code, headers, content), CACHE_TIMEOUT)
        return response

    return wrapper  # type: ignore[return-value]


def published_page(view: View) -> View:
    """ETag, public caching and a server-side copy for a page of published data.

    Anonymous GET and HEAD requests get an ETag and `Cache-Control: public, max-age=…`
    (private when the response sets a cookie, e.g. a first visit's CSRF cookie) and a 304
    when If-None-Match matches, without the view running. An anonymous GET that carries no
    cookie but the CSRF and language cookies is answered from the rendered page kept in the
    cache (`_page_cached`) once one visitor has caused it to be rendered. Logged-in users
    get `private, no-store`, no ETag and a freshly rendered page. `Vary: Cookie` because
    the language and the login come from cookies (the site ignores Accept-Language)."""
    conditional = condition(etag_func=_etag)(_page_cached(view))

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        token = _incomplete.set([])
        pin = _pinned.set(version())
        try:
            response: HttpResponseBase = conditional(request, *args, **kwargs)
            unfinished = _is_incomplete()
        finally:
            _pinned.reset(pin)
            _incomplete.reset(token)
        patch_vary_headers(response, ("Cookie",))
        if (response.status_code not in (200, 304) or unfinished) and response.has_header("ETag"):
            del response.headers["ETag"]  # an error page or an unfinished one is not the resource
        if not _anonymous(request) or unfinished:
            patch_cache_control(response, private=True, no_store=True)
        elif request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            if response.cookies or _new_csrf_cookie(request):
                patch_cache_control(response, private=True, max_age=PUBLIC_MAX_AGE)
            else:
                patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response

    return wrapper  # type: ignore[return-value]


def fragment_key(name: str, *parts: object) -> str:
    """What a template's `{% cache %}` fragment varies on: the version, language, day and
    the given parameters (pass it as the fragment's one vary-on argument)."""
    return key(f"fragment:{name}", *parts)
