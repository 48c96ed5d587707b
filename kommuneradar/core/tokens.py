"""Link tokens that are keys (a survey link, an invitation to set a password): random,
URL-safe, and stored only as a hash, so a copy of the database opens nothing."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 random bits, about 43 URL-safe characters


def new_token() -> str:
    """A fresh random link token (URL-safe text); store only its hash."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest (64 characters) under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
