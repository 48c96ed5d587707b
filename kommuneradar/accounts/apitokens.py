"""Personal API tokens: created, named and revoked by their owner, and the bearer
authentication of the API's write endpoints.

A token reads `kr_<prefix>_<secret>`. The prefix (public, unique) finds the row; the
secret is compared with the stored SHA-256 hash in constant time. The full token is shown
once, at creation; a copy of the database opens nothing."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from kommuneradar.core.tokens import hash_token

from . import audit
from .models import ApiToken, User

TOKEN_START = "kr_"  # noqa: S105 (a public marker, not a secret)
PREFIX_BYTES = 6  # 8 URL-safe characters
SECRET_BYTES = 32
# Writing last_used_at on every request would turn each read into a write; once a minute
# is precise enough to tell an owner whether a token is still in use.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole bearer value; shown once, never stored


def may_hold_tokens(user: User) -> bool:
    """Editors bound to a municipality, analysts and admins write through the API."""
    return user.is_active and (user.is_analyst or user.municipality_id is not None)


def create_token(user: User, name: str) -> NewToken:
    """A new token for `user` called `name`; the returned secret is the only copy."""
    prefix = secrets.token_urlsafe(PREFIX_BYTES).replace("_", "x").replace("-", "y")
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_urlsafe(PREFIX_BYTES).replace("_", "x").replace("-", "y")
    secret = secrets.token_urlsafe(SECRET_BYTES)
    with audit.operation(user, "token_created", summary=f"API token: {name}"):
        token = ApiToken.objects.create(
            user=user, name=name.strip(), prefix=prefix, secret_hash=hash_token(secret)
        )
    return NewToken(token=token, secret=f"{TOKEN_START}{prefix}_{secret}")


def revoke_token(user: User, token: ApiToken) -> ApiToken:
    """Stop `token` working at once (its owner's decision)."""
    if token.revoked_at is None:
        with audit.operation(user, "token_revoked", summary=f"API token: {token.name}"):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def user_for_token(raw: str) -> User | None:
    """The active user whose unrevoked token `raw` is, else None; notes when it was used."""
    if len(raw) > MAX_TOKEN_LENGTH or not raw.startswith(TOKEN_START):
        return None
    prefix, _sep, secret = raw[len(TOKEN_START) :].partition("_")
    if not prefix or not secret:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__municipality")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(secret)):
        return None
    user = token.user
    if not user.is_active or not may_hold_tokens(user):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        # A plain update: using a token is not a change worth an audit entry.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kr_…`: the only way to write through the API, so a browser's
    session cookie can never be used for a cross-site write (no CSRF to guard)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return user_for_token(token.strip())


token_auth = TokenAuth()
