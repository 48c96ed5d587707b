from __future__ import annotations

from django.urls import path

from . import views

app_name = "benefits"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tal.<fmt:fmt>", views.dashboard_export, name="dashboard_export"),
    path("projekter/", views.project_list, name="projects"),
    path("projekter/eksport.<fmt:fmt>", views.project_export, name="project_export"),
    path("projekter/ny/", views.project_create, name="project_create"),
    path("projekter/import/", views.project_import, name="project_import"),
    path("projekter/<int:pk>/", views.project_detail, name="project"),
    path("projekter/<int:pk>/rediger/", views.project_edit, name="project_edit"),
    path("projekter/<int:pk>/opfoelgning/", views.follow_up_create, name="follow_up_create"),
]
