from __future__ import annotations

from django.urls import path

from . import views

app_name = "outlook"

urlpatterns = [
    path("", views.outlook_page, name="outlook"),
    path("tal.<fmt:fmt>", views.outlook_export, name="export"),
    path("fagomraader.<fmt:fmt>", views.outlook_domain_export, name="domain_export"),
]
