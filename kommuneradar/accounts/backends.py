from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import User


class EmailOrUsernameBackend(ModelBackend):
    """Django's backend, except that a person may also type their e-mail address (in any
    case) where the username is asked for, if exactly one account has that address."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username and "@" in username and not User.objects.filter(username=username).exists():
            matches = list(User.objects.filter(email__iexact=username.strip())[:2])
            if len(matches) == 1:
                username = matches[0].username
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return user if isinstance(user, User) else None


def account_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The account a login attempt is for, as django-axes counts failures: the username,
    also when the person typed their e-mail address (in any case), so both spellings
    share one count and one lockout."""
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username", "")
    typed = str(typed or "").strip()
    if "@" in typed and not User.objects.filter(username=typed).exists():
        matches = list(
            User.objects.filter(email__iexact=typed).values_list("username", flat=True)[:2]
        )
        if len(matches) == 1:
            return matches[0]
    return typed
