from __future__ import annotations

from django.urls import path

from . import views

app_name = "radar"

urlpatterns = [
    path("", views.home, name="home"),
    path("radar/redaktionel/", views.editorial_list, name="editorial_list"),
    path("radar/redaktionel/import/", views.editorial_import, name="editorial_import"),
    path("radar/redaktionel/<int:pk>/", views.editorial_page, name="editorial"),
    path("radar/redaktionel/<int:pk>/<str:date>/", views.editorial_page, name="editorial_edition"),
    path(
        "radar/redaktionel/<int:pk>/<str:date>/eksport/<str:fmt>",
        views.editorial_download,
        name="editorial_export",
    ),
    path("radar/<int:year>/", views.radar_page, name="overall"),
    path("radar/<int:year>/rapport.pdf", views.report_pdf, name="report"),
    path("radar/<int:year>/<slug:scope>/metode/", views.method_page, name="method"),
    path("radar/<int:year>/<slug:scope>/eksport/", views.export_page, name="exports"),
    path("radar/<int:year>/<slug:scope>/eksport/<str:fmt>", views.export_download, name="export"),
    path("radar/<int:year>/<slug:scope>/", views.radar_page, name="domain"),
    path("runder/<int:year>/udgivelse/", views.publication, name="publication"),
    path("runder/<int:year>/fortaelling/", views.story_edit, name="story"),
    path("runder/<int:year>/rettelse/", views.correction, name="correction"),
    path("teknologi/<slug:slug>/", views.technology_page, name="technology"),
]
