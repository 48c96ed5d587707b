from __future__ import annotations

from django.contrib import admin

from kommuneradar.accounts.access import RestrictedAdmin

from .models import Enrolment, JointDocument, JointProject, Milestone, Programme, Track


class TrackInline(admin.TabularInline[Track, Programme]):
    model = Track
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(RestrictedAdmin[Programme]):
    list_display = ["name", "starts_on", "ends_on", "enrolment_deadline", "fee_dkk"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TrackInline]


class MilestoneInline(admin.TabularInline[Milestone, Enrolment]):
    model = Milestone
    extra = 0


@admin.register(Enrolment)
class EnrolmentAdmin(RestrictedAdmin[Enrolment]):
    list_display = ["programme", "municipality", "status", "enrolled_on"]
    list_filter = ["programme", "status"]
    list_select_related = ["programme", "municipality"]
    inlines = [MilestoneInline]


class DocumentInline(admin.TabularInline[JointDocument, JointProject]):
    model = JointDocument
    extra = 0


@admin.register(JointProject)
class JointProjectAdmin(RestrictedAdmin[JointProject]):
    list_display = ["title", "technology", "lead_municipality", "status", "starts_on"]
    list_select_related = ["technology", "lead_municipality"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["participants"]
    inlines = [DocumentInline]
