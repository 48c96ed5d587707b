from __future__ import annotations

from django.contrib import admin

from .models import Domain, MaturityRating, Quadrant, Technology


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin[Domain]):
    list_display = ["name_da", "name_en", "slug", "order"]


@admin.register(Quadrant)
class QuadrantAdmin(admin.ModelAdmin[Quadrant]):
    list_display = ["name_da", "name_en", "position"]


class MaturityRatingInline(admin.TabularInline[MaturityRating, Technology]):
    model = MaturityRating
    extra = 1


@admin.register(Technology)
class TechnologyAdmin(admin.ModelAdmin[Technology]):
    list_display = ["name_da", "name_en", "quadrant"]
    list_filter = ["quadrant", "domains"]
    search_fields = ["name_da", "name_en"]
    filter_horizontal = ["domains"]
    inlines = [MaturityRatingInline]
