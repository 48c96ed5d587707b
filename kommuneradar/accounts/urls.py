from __future__ import annotations

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("log-ind/", views.LoginView.as_view(), name="login"),
    path("log-ind/videre/", views.landing, name="landing"),
    path("log-ud/", views.LogoutView.as_view(), name="logout"),
    path("adgangskode/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "adgangskode/skiftet/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("adgangskode/glemt/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "adgangskode/glemt/sendt/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "adgangskode/ny/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "adgangskode/ny/faerdig/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("min-kommune/", views.workspace, name="workspace"),
    path("min-konto/noegler/", views.tokens, name="tokens"),
    path("min-konto/noegler/<int:pk>/tilbagekald/", views.token_revoke, name="token_revoke"),
    path("brugere/", views.users, name="users"),
    path("brugere/inviter/", views.invite, name="invite"),
    path("brugere/<int:pk>/aktiv/", views.set_active, name="set_active"),
    path("brugere/<int:pk>/historik/", views.audit_user, name="audit_user"),
    path("historik/", views.audit_trail, name="audit_trail"),
    path("historik/<str:object_type>/<str:object_id>/", views.audit_object, name="audit_object"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("privatliv/", views.privacy, name="privacy"),
]
