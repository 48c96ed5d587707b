from __future__ import annotations

from django.contrib import admin

from .models import Answer, Contact, Invitation, Response, Round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin[Round]):
    list_display = ["year", "opens_on", "closes_on", "status"]


class AnswerInline(admin.TabularInline[Answer, Response]):
    model = Answer
    extra = 0


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin[Response]):
    list_display = ["round", "municipality", "domain", "submitted_at"]
    list_filter = ["round", "domain", "municipality__region"]
    list_select_related = ["round", "municipality", "domain"]
    search_fields = ["municipality__name", "municipality__code"]
    inlines = [AnswerInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    list_display = ["municipality", "domain", "name", "email", "role"]
    list_filter = ["domain", "municipality__region"]
    list_select_related = ["municipality", "domain"]
    search_fields = ["municipality__name", "name", "email"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["round", "municipality", "domain", "recipient_email", "sent_at", "revoked_at"]
    list_filter = ["round", "domain"]
    list_select_related = ["round", "municipality", "domain"]
    search_fields = ["municipality__name", "recipient_email"]
    readonly_fields = ["token_hash"]
