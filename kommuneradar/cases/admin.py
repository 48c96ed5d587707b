from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from kommuneradar.accounts.access import RestrictedAdmin

from .indexing import reindex
from .models import Case, ContactPerson, Effect


class EffectInline(admin.TabularInline[Effect, Case]):
    model = Effect
    extra = 0


class ContactInline(admin.TabularInline[ContactPerson, Case]):
    model = ContactPerson
    extra = 0


@admin.register(Case)
class CaseAdmin(RestrictedAdmin[Case]):
    list_display = ["title", "lead_municipality", "stage", "state", "published_at"]
    list_filter = ["state", "stage", "technologies"]
    search_fields = ["title", "summary"]
    list_select_related = ["lead_municipality"]
    filter_horizontal = ["technologies", "domains", "partner_municipalities"]
    inlines = [EffectInline, ContactInline]
    readonly_fields = ["created_at", "updated_at", "search_text"]

    def save_related(
        self, request: HttpRequest, form: ModelForm[Case], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        reindex(form.instance)
