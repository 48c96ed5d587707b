from __future__ import annotations

from django.urls import path

from . import views

app_name = "radar"

urlpatterns = [
    path("", views.home, name="home"),
    path("radar/<int:year>/", views.radar_page, name="overall"),
    path("radar/<int:year>/<slug:scope>/", views.radar_page, name="domain"),
    path("runder/<int:year>/udgivelse/", views.publication, name="publication"),
    path("runder/<int:year>/rettelse/", views.correction, name="correction"),
    path("teknologi/<slug:slug>/", views.technology_page, name="technology"),
]
