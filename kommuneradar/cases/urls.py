from __future__ import annotations

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("eksport.<fmt:fmt>", views.case_export, name="export"),
    path("arbejde/", views.workspace, name="workspace"),
    path("ny/", views.case_new, name="new"),
    path("ny/<slug:municipality>/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/rediger/", views.case_edit, name="edit"),
    path("<int:pk>/indsend/", views.case_submit, name="submit"),
    path("<int:pk>/behandl/", views.case_review, name="review"),
]
