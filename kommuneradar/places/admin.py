from __future__ import annotations

from django.contrib import admin

from .models import Municipality, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ["code", "name", "region", "population", "population_source"]
    list_filter = ["region"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "slug"]
