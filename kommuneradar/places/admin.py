from __future__ import annotations

from django.contrib import admin

from .models import Municipality, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["country", "code", "name"]
    list_filter = ["country"]
    readonly_fields = ["country"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ["country", "code", "name", "region", "population", "population_source"]
    list_filter = ["country", "region"]
    search_fields = ["code", "name"]
    readonly_fields = ["country", "code", "slug"]
    list_select_related = ["region"]
