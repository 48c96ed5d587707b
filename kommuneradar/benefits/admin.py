from __future__ import annotations

from django.contrib import admin

from kommuneradar.accounts.access import RestrictedAdmin

from .models import BusinessCase, FollowUp, Indicator, Project


class BusinessCaseInline(admin.StackedInline[BusinessCase, Project]):
    model = BusinessCase
    extra = 0


class FollowUpInline(admin.TabularInline[FollowUp, Project]):
    model = FollowUp
    extra = 0


@admin.register(Project)
class ProjectAdmin(RestrictedAdmin[Project]):
    list_display = ["title", "municipality", "technology", "domain", "status", "published"]
    list_filter = ["status", "published", "technology", "domain"]
    search_fields = ["title", "municipality__name", "benefit_owner"]
    list_select_related = ["municipality", "technology", "domain"]
    autocomplete_fields = ["cases"]
    inlines = [BusinessCaseInline, FollowUpInline]


class IndicatorInline(admin.TabularInline[Indicator, BusinessCase]):
    model = Indicator
    extra = 0


@admin.register(BusinessCase)
class BusinessCaseAdmin(RestrictedAdmin[BusinessCase]):
    list_display = ["project", "one_off_cost", "running_cost", "gain_dkk", "hours_freed"]
    list_select_related = ["project"]
    search_fields = ["project__title"]
    inlines = [IndicatorInline]
