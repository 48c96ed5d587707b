from __future__ import annotations

from django.contrib import admin

from kommuneradar.accounts.access import RestrictedAdmin

from .models import (
    Attachment,
    KleEntry,
    Measurement,
    Process,
    ProcessContact,
    SuitabilityAssessment,
    System,
    Umbrella,
)


class ContactInline(admin.TabularInline[ProcessContact, Process]):
    model = ProcessContact
    extra = 0


class AttachmentInline(admin.TabularInline[Attachment, Process]):
    model = Attachment
    extra = 0


class AssessmentInline(admin.StackedInline[SuitabilityAssessment, Process]):
    model = SuitabilityAssessment
    extra = 0


class MeasurementInline(admin.TabularInline[Measurement, Process]):
    model = Measurement
    extra = 0
    readonly_fields = ["follow_up"]


@admin.register(Process)
class ProcessAdmin(RestrictedAdmin[Process]):
    list_display = ["title", "municipality", "phase", "status", "visibility", "updated_at"]
    list_filter = ["phase", "status", "visibility", "technologies"]
    search_fields = ["title", "summary"]
    list_select_related = ["municipality"]
    filter_horizontal = ["technologies", "systems"]
    raw_id_fields = ["source", "kle", "owner", "benefit_project"]
    inlines = [ContactInline, AttachmentInline, AssessmentInline, MeasurementInline]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Umbrella)
class UmbrellaAdmin(RestrictedAdmin[Umbrella]):
    list_display = ["title", "municipality", "kle"]
    search_fields = ["title"]
    raw_id_fields = ["kle"]


@admin.register(KleEntry)
class KleEntryAdmin(RestrictedAdmin[KleEntry]):
    list_display = ["number", "title", "level"]
    list_filter = ["level"]
    search_fields = ["number", "title"]
    raw_id_fields = ["parent"]


@admin.register(System)
class SystemAdmin(RestrictedAdmin[System]):
    search_fields = ["name"]
