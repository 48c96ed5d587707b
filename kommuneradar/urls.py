from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, re_path

from kommuneradar.api import views as api_views
from kommuneradar.api.api import api
from kommuneradar.core import views as core_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("tilgaengelighed/", core_views.accessibility, name="accessibility"),
    path("", include("kommuneradar.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", api_views.unknown, name="api_unknown"),
    path("data/", api_views.open_data, name="open_data"),
    re_path(r"^api/(?!v1/)(?P<rest>.*)$", api_views.unversioned, name="api_unversioned"),
    path("cases/", include("kommuneradar.cases.urls")),
    path("", include("kommuneradar.surveys.urls")),
    path("gevinster/", include("kommuneradar.benefits.urls")),
    path("fremskrivning/", include("kommuneradar.outlook.urls")),
    path("automatisering/", include("kommuneradar.automation.urls")),
    path("", include("kommuneradar.network.urls")),
    path("", include("kommuneradar.radar.urls")),
]
