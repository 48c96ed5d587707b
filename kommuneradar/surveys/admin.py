from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kommuneradar.accounts.access import RestrictedAdmin

from .models import Answer, Contact, Invitation, Response, Round


@admin.register(Round)
class RoundAdmin(RestrictedAdmin[Round]):
    list_display = ["year", "opens_on", "closes_on", "status"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        """A published round stays published (a change takes a correction)."""
        if obj is not None and obj.status == Round.Status.PUBLISHED:
            return ["status"]
        return []


def _published(response: Any) -> bool:
    return isinstance(response, Response) and response.round.status == Round.Status.PUBLISHED


class AnswerInline(admin.TabularInline[Answer, Response]):
    """Answers of a published round are read-only here: a change takes a correction."""

    model = Answer
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _published(obj) and super().has_delete_permission(request, obj)


@admin.register(Response)
class ResponseAdmin(RestrictedAdmin[Response]):
    list_display = ["round", "municipality", "domain", "submitted_at"]
    list_filter = ["round", "domain", "municipality__region"]
    list_select_related = ["round", "municipality", "domain"]
    search_fields = ["municipality__name", "municipality__code"]
    inlines = [AnswerInline]

    def has_change_permission(self, request: HttpRequest, obj: Response | None = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Response | None = None) -> bool:
        return not _published(obj) and super().has_delete_permission(request, obj)


@admin.register(Contact)
class ContactAdmin(RestrictedAdmin[Contact]):
    list_display = ["municipality", "domain", "name", "email", "role"]
    list_filter = ["domain", "municipality__region"]
    list_select_related = ["municipality", "domain"]
    search_fields = ["municipality__name", "name", "email"]


@admin.register(Invitation)
class InvitationAdmin(RestrictedAdmin[Invitation]):
    list_display = ["round", "municipality", "domain", "recipient_email", "sent_at", "revoked_at"]
    list_filter = ["round", "domain"]
    list_select_related = ["round", "municipality", "domain"]
    search_fields = ["municipality__name", "recipient_email"]
    readonly_fields = ["token_hash"]
