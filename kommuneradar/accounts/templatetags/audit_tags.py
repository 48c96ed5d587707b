"""`{% history_url obj as url %}`: the link to an object's audit history, or "" when the
visitor may not read it (accounts.trail's rule: analysts, and an editor for an object of
their own municipality that they may change)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.urls import reverse

from kommuneradar.accounts import access, audit

register = template.Library()


@register.simple_tag(takes_context=True)
def history_url(context: dict[str, Any], obj: models.Model | None) -> str:
    request = context.get("request")
    user = access.user_of(request) if request is not None else None
    if obj is None or obj.pk is None or user is None or type(obj) not in audit.TRACKED:
        return ""
    if not user.is_analyst and not access.may(user, access.CHANGE, obj):
        return ""
    return reverse("accounts:audit_object", args=[obj._meta.label, obj.pk])
