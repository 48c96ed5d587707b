from __future__ import annotations

from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("spoergeskema/<str:token>/", views.questionnaire, name="questionnaire"),
    path("runder/", views.round_list, name="rounds"),
    path("runder/skabelon.<sheet:fmt>", views.import_template, name="template"),
    path("runder/<int:year>/", views.round_detail, name="round"),
    path("runder/<int:year>/svarprocent.<fmt:fmt>", views.round_export, name="export"),
    path("runder/<int:year>/status/", views.round_status, name="status"),
    path("runder/<int:year>/send/", views.round_send, name="send"),
    path("runder/<int:year>/invitationer/<int:pk>/", views.invitation_detail, name="invitation"),
    path(
        "runder/<int:year>/invitationer/<int:pk>/handling/",
        views.invitation_action,
        name="invitation_action",
    ),
    path("runder/<int:year>/svar/<int:pk>/genaabn/", views.response_reopen, name="reopen"),
    path("runder/<int:year>/import/", views.import_answers, name="import"),
    path("runder/<int:year>/modenhed/", views.ratings, name="ratings"),
    path("opgaver/<uuid:pk>/", views.job_page, name="job"),
    path("opgaver/<uuid:pk>/status.json", views.job_status, name="job_status"),
    path("opgaver/<uuid:pk>/igen/", views.job_retry, name="job_retry"),
    path("opgaver/<uuid:pk>/annuller/", views.job_cancel, name="job_cancel"),
]
