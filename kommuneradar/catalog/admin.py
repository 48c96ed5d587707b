from __future__ import annotations

from django.contrib import admin

from .models import Domain, MaturityRating, Quadrant, Technology, TechnologyTerm


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin[Domain]):
    list_display = ["name_da", "name_en", "slug", "order"]


@admin.register(Quadrant)
class QuadrantAdmin(admin.ModelAdmin[Quadrant]):
    list_display = ["name_da", "name_en", "position"]


class MaturityRatingInline(admin.TabularInline[MaturityRating, Technology]):
    model = MaturityRating
    extra = 1


class TechnologyTermInline(admin.TabularInline[TechnologyTerm, Technology]):
    model = TechnologyTerm
    extra = 2


@admin.register(Technology)
class TechnologyAdmin(admin.ModelAdmin[Technology]):
    list_display = ["name_da", "name_en", "quadrant"]
    list_filter = ["quadrant", "domains"]
    search_fields = ["name_da", "name_en", "terms__term"]
    filter_horizontal = ["domains"]
    inlines = [TechnologyTermInline, MaturityRatingInline]
