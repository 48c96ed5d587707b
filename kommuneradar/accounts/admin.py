from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .access import RestrictedAdmin
from .models import AuditEntry, User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "email", "role", "municipality", "is_active", "is_superuser"]
    list_filter = ["role", "is_active", "is_superuser"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Kommuneradar"), {"fields": ("role", "municipality")}),
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(RestrictedAdmin[AuditEntry]):
    list_display = ["at", "user", "action", "object_type", "object_id", "municipality"]
    list_filter = ["action", "object_type"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
