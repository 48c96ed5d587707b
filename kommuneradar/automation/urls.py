from __future__ import annotations

from django.urls import path

from . import io_views, views

app_name = "automation"

urlpatterns = [
    path("", views.process_list, name="list"),
    path("ny/", views.process_create, name="create"),
    path("paraplyer/", views.umbrella_list, name="umbrellas"),
    path("paraplyer/ny/", views.umbrella_create, name="umbrella_create"),
    path("paraplyer/<int:pk>/", views.umbrella_detail, name="umbrella"),
    path("paraplyer/<int:pk>/rediger/", views.umbrella_edit, name="umbrella_edit"),
    path("<int:pk>/", views.process_detail, name="process"),
    path("<int:pk>/rediger/", views.process_edit, name="edit"),
    path("<int:pk>/vurdering/", views.assessment_edit, name="assessment"),
    path("<int:pk>/maaling/", views.measurement_create, name="measurement"),
    path("<int:pk>/kopier/", views.process_copy, name="copy"),
    path("<int:pk>/bilag/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/bilag/<int:attachment>/", views.attachment_download, name="attachment"),
]

# The pipeline's files and saved searches (io_views).

urlpatterns += [
    path("eksport.<fmt:fmt>", io_views.process_export, name="export"),
    path("importer/", io_views.process_import, name="import"),
    path("soegninger/", io_views.saved_search_create, name="saved_search_create"),
    path("soegninger/<int:pk>/slet/", io_views.saved_search_delete, name="saved_search_delete"),
]
