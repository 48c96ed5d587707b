from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kommuneradar.accounts.access import RestrictedAdmin, user_of

from .models import Blip, Edition, EditorialRadar, PlacementRules, RingOverride


class RingOverrideForm(forms.ModelForm[RingOverride]):
    class Meta:
        model = RingOverride
        fields = ["round", "scope", "technology", "ring", "reason"]

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason", "")).strip()
        if not reason:
            raise forms.ValidationError(
                _("Write why the ring is overridden; it is shown publicly.")
            )
        return reason


@admin.register(RingOverride)
class RingOverrideAdmin(RestrictedAdmin[RingOverride]):
    form = RingOverrideForm
    list_display = ["round", "scope", "technology", "ring", "author", "created_at"]
    list_filter = ["round", "ring"]

    def save_model(self, request: HttpRequest, obj: RingOverride, form: Any, change: bool) -> None:
        obj.author = user_of(request)
        super().save_model(request, obj, form, change)


@admin.register(PlacementRules)
class PlacementRulesAdmin(RestrictedAdmin[PlacementRules]):
    list_display = ["klar_from", "afproev_from", "hold_oeje_from", "min_respondents"]


class BlipInline(admin.TabularInline[Blip, Edition]):
    model = Blip
    extra = 0
    can_delete = False
    fields = ["technology", "users", "respondents", "score", "computed_ring", "override_ring"]
    readonly_fields = [
        "technology",
        "users",
        "respondents",
        "score",
        "computed_ring",
        "override_ring",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Edition)
class EditionAdmin(RestrictedAdmin[Edition]):
    """Editions are computed, never typed in: read-only here."""

    list_display = ["round", "scope", "revision", "status", "computed_at", "published_at"]
    list_filter = ["status", "round", "scope"]
    inlines = [BlipInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A published edition is never changed, nor deleted."""
        if obj is not None and obj.status == Edition.Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(EditorialRadar)
class EditorialRadarAdmin(RestrictedAdmin[EditorialRadar]):
    """Editorial radars come from an import (the form at /radar/redaktionel/import/ or
    import_radar); here they can be renamed or deleted with their editions."""

    list_display = ["name", "source", "filename", "imported_at", "imported_by"]
    list_filter = ["source"]
    fields = ["name", "source", "filename", "imported_by", "rings", "quadrants"]
    readonly_fields = ["source", "filename", "imported_by", "rings", "quadrants"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
