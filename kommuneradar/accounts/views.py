"""The site's own account pages: log in and out, passwords, the editor's workspace
(`/min-kommune/`), and the analysts' users page where editors are invited and deactivated."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kommuneradar.places.models import Municipality

from . import access, apitokens, services
from .access import AuthenticatedHttpRequest
from .forms import ActiveForm, InviteForm, LoginForm, TokenForm
from .models import ApiToken, Invitation, User


def analyst_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Logged in (else the login page) and an analyst or admin (else 404, the refusal
    policy for pages about analyst-only things)."""

    @access.login_only
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        access.refuse_unless_analyst(request.user)
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You are logged out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@access.login_only
def landing(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where a login without a `next` page leads: editors to their municipality's
    workspace, analysts and admins to the survey rounds."""
    if request.user.is_analyst:
        return redirect("surveys:rounds")
    return redirect("accounts:workspace")


@access.login_only
def workspace(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One municipality's work: its cases, projects, follow-ups due, enrolments and the open
    survey round. An editor sees their own; an analyst chooses one."""
    user = request.user
    municipality: Municipality | None
    if user.is_analyst:
        code = request.GET.get("kommune", "").strip()[:10]
        municipality = Municipality.objects.filter(code=code).first() if code else None
        choices = Municipality.objects.order_by("name").only("code", "name")
    else:
        municipality = user.municipality
        choices = None
        if municipality is None:
            raise PermissionDenied
    return render(
        request,
        "accounts/workspace.html",
        {"municipality": municipality, "choices": choices, "today": timezone.localdate()},
    )


def _users_page(
    request: AuthenticatedHttpRequest, form: InviteForm, status: int = 200
) -> HttpResponse:
    editors = (
        access.restrict(User.objects, request.user, access.VIEW)
        .filter(role=User.Role.EDITOR)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("invitations", queryset=Invitation.objects.order_by("-created_at"))
        )
        .order_by("municipality__name", "last_name", "first_name", "username")
    )
    rows = [(editor, next(iter(editor.invitations.all()), None)) for editor in editors]
    return render(
        request,
        "accounts/users.html",
        {"form": form, "rows": rows, "now": timezone.now()},
        status=status,
    )


@analyst_required
def users(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _users_page(request, InviteForm())


@analyst_required
@require_POST
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _users_page(request, form, status=400)
    invited = services.invite_editor(
        request.user,
        form.cleaned_data["name"],
        form.cleaned_data["email"],
        form.cleaned_data["municipality"],
        request.build_absolute_uri("/"),
    )
    messages.success(
        request,
        _("An invitation was sent to %(email)s. The link works until %(date)s.")
        % {
            "email": invited.user.email,
            "date": date_format(timezone.localtime(invited.invitation.expires_at), "DATE_FORMAT"),
        },
    )
    return redirect("accounts:users")


@analyst_required
@require_POST
def set_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    editor: User = access.get_or_refuse(
        User.objects.filter(role=User.Role.EDITOR), request.user, access.CHANGE, pk=pk
    )
    form = ActiveForm(request.POST)
    form.is_valid()
    active = bool(form.cleaned_data.get("active"))
    services.set_active(request.user, editor, active)
    name = editor.get_full_name() or editor.username
    if active:
        messages.success(request, _("%(name)s can log in again.") % {"name": name})
    else:
        messages.success(request, _("%(name)s is deactivated and cannot log in.") % {"name": name})
    return redirect("accounts:users")


INVALID_REASONS = {
    services.InvitationProblem.UNKNOWN: gettext_lazy(
        "This link is not valid. Check that you copied the whole link from the e-mail."
    ),
    services.InvitationProblem.EXPIRED: gettext_lazy(
        "This invitation has expired. Ask KL to send you a new one."
    ),
    services.InvitationProblem.USED: gettext_lazy(
        "This invitation has already been used to set a password. Log in with your e-mail "
        "address, or reset your password if you have forgotten it."
    ),
    services.InvitationProblem.INACTIVE: gettext_lazy(
        "This account has been deactivated. Ask KL if you need access."
    ),
}


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: set a password once, then log in."""
    invitation, problem = services.check_invitation(token)
    if invitation is not None and not problem:
        form = SetPasswordForm(invitation.user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.accept_invitation(invitation, form.cleaned_data["new_password1"])
            except services.InvitationUsedError:
                problem = services.InvitationProblem.USED
            else:
                messages.success(
                    request,
                    _("Your password is set. Log in with your e-mail address and new password."),
                )
                return redirect("accounts:login")
        if not problem:
            return render(
                request,
                "accounts/invitation_accept.html",
                {"form": form, "invitation": invitation},
                status=400 if request.method == "POST" else 200,
            )
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"reason": INVALID_REASONS[problem], "problem": problem},
        status=404 if invitation is None else 410,
    )


# API tokens ---------------------------------------------------------------------------


def _tokens_page(
    request: AuthenticatedHttpRequest,
    form: TokenForm,
    new: apitokens.NewToken | None = None,
    status: int = 200,
) -> HttpResponse:
    tokens = access.restrict(ApiToken.objects, request.user, access.VIEW)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": list(tokens.order_by("-created_at", "-id")), "new": new},
        status=status,
    )


@access.login_only
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own API tokens: create one (its secret is shown on this answer only),
    see when each was last used, revoke them."""
    if not apitokens.may_hold_tokens(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            new = apitokens.create_token(request.user, form.cleaned_data["name"])
            # Rendered, not redirected: the secret must not pass through the session.
            return _tokens_page(request, TokenForm(), new=new)
        return _tokens_page(request, form, status=400)
    return _tokens_page(request, TokenForm())


@access.login_only
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = access.get_or_refuse(ApiToken.objects, request.user, access.CHANGE, pk=pk)
    apitokens.revoke_token(request.user, token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
