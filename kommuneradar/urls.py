from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from kommuneradar.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("cases/", include("kommuneradar.cases.urls")),
    path("", include("kommuneradar.surveys.urls")),
    path("gevinster/", include("kommuneradar.benefits.urls")),
    path("", include("kommuneradar.network.urls")),
    path("", include("kommuneradar.radar.urls")),
]
