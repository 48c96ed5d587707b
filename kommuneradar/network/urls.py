from __future__ import annotations

from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("kommuner/", views.municipality_list, name="municipalities"),
    path(
        "kommuner/eksport.<fmt:fmt>",
        views.municipality_list_export,
        name="municipalities_export",
    ),
    path("kommuner/<municipality:code>/", views.municipality_detail, name="municipality"),
    path(
        "kommuner/<municipality:code>/eksport.json",
        views.municipality_export,
        {"fmt": "json"},
        name="municipality_json",
    ),
    path(
        "kommuner/<municipality:code>/<slug:table>.<fmt:fmt>",
        views.municipality_export,
        name="municipality_table",
    ),
    path("partnerskaber/", views.programme_list, name="programmes"),
    path("partnerskaber/ny/", views.programme_new, name="programme_new"),
    path("partnerskaber/projekter/ny/", views.joint_project_new, name="joint_project_new"),
    path(
        "partnerskaber/projekter/eksport.<fmt:fmt>",
        views.joint_projects_export,
        name="joint_projects_export",
    ),
    path("partnerskaber/projekter/<slug:slug>/", views.joint_project_detail, name="joint_project"),
    path(
        "partnerskaber/projekter/<slug:slug>/rediger/",
        views.joint_project_edit,
        name="joint_project_edit",
    ),
    path(
        "partnerskaber/projekter/<slug:slug>/dokumenter/",
        views.joint_document_add,
        name="joint_document_add",
    ),
    path("partnerskaber/<slug:slug>/", views.programme_detail, name="programme"),
    path("partnerskaber/<slug:slug>/rediger/", views.programme_edit, name="programme_edit"),
    path("partnerskaber/<slug:slug>/tilmeld/", views.programme_enrol, name="enrol"),
    path(
        "partnerskaber/<slug:slug>/eksport.<fmt:fmt>",
        views.programme_export,
        name="programme_export",
    ),
    path(
        "partnerskaber/<slug:slug>/tilmeldinger/<int:pk>/",
        views.enrolment_detail,
        name="enrolment",
    ),
    path(
        "partnerskaber/<slug:slug>/tilmeldinger/<int:pk>/milepaele/<int:milestone>/slet/",
        views.milestone_delete,
        name="milestone_delete",
    ),
]
