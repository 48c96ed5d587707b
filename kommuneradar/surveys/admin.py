from __future__ import annotations

from django.contrib import admin

from kommuneradar.accounts.access import RestrictedAdmin

from .models import Answer, Contact, Invitation, Response, Round


@admin.register(Round)
class RoundAdmin(RestrictedAdmin[Round]):
    list_display = ["year", "opens_on", "closes_on", "status"]


class AnswerInline(admin.TabularInline[Answer, Response]):
    model = Answer
    extra = 0


@admin.register(Response)
class ResponseAdmin(RestrictedAdmin[Response]):
    list_display = ["round", "municipality", "domain", "submitted_at"]
    list_filter = ["round", "domain", "municipality__region"]
    list_select_related = ["round", "municipality", "domain"]
    search_fields = ["municipality__name", "municipality__code"]
    inlines = [AnswerInline]


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
