"""The site's own account pages: log in and out, passwords, the editor's workspace
(`/min-kommune/`), and the analysts' users page where editors are invited and deactivated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kommuneradar.places.models import Municipality, municipality_choices

from . import access, apitokens, services, trail
from .access import AuthenticatedHttpRequest
from .forms import ActiveForm, AuditFilterForm, InviteForm, LoginForm, TokenForm
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


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page again, saying that the account is locked and until when (django-axes
    calls this instead of the login view's answer once an account has too many failures)."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    until = timezone.localtime(timezone.now() + cool_off)
    # Unbound, so the password is not checked again; the typed name stays in the field.
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    response = render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": request.POST.get("next", ""),
            "locked": True,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": max(1, int(cool_off.total_seconds() // 60)),
            "until": until,
        },
        status=429,
    )
    response.headers["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


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

    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        # Whoever chose a new password from the e-mailed link may log in again at once.
        axes_reset(username=form.user.get_username())
        return super().form_valid(form)


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
        typed = request.GET.get("kommune", "").replace("\x00", "").strip()[:100]
        municipality = (
            (Municipality.objects.by_url_code(typed).first() or Municipality.objects.named(typed))
            if typed
            else None
        )
        choices = municipality_choices()
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


# The audit trail, read-only: all of it, one object's history, one user's changes.


def _trail_page(
    request: AuthenticatedHttpRequest,
    entries: Any,
    context: dict[str, Any],
    *,
    model_filter: bool = True,
) -> HttpResponse:
    models = [
        (model._meta.label, f"{model._meta.verbose_name} ({model._meta.label})")
        for model in trail.audited_models()
    ]
    form = AuditFilterForm(
        request.GET, models=models if model_filter else [], actions=trail.actions_in(entries)
    )
    status = 200
    filters = trail.Filters()
    if form.is_valid():
        data = form.cleaned_data
        filters = trail.Filters(
            data.get("model") or "",
            data.get("action") or "",
            data.get("date_from"),
            data.get("date_to"),
        )
    else:
        status = 400
    query = request.GET.copy()
    query.pop("side", None)
    context.update(
        {
            "form": form,
            "model_filter": model_filter,
            "page_obj": trail.page_of(trail.apply(entries, filters), request.GET.get("side")),
            "query": query.urlencode(),
            "tracked_labels": [model._meta.label for model in trail.audited_models()],
        }
    )
    return render(request, "accounts/audit_trail.html", context, status=status)


@require_GET
@access.login_only
def audit_trail(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every entry the user may read: analysts all, an editor their municipality's."""
    if not request.user.is_analyst and request.user.municipality_id is None:
        raise Http404
    return _trail_page(request, trail.visible_entries(request.user), {"heading": _("Audit trail")})


@require_GET
@access.login_only
def audit_object(
    request: AuthenticatedHttpRequest, object_type: str, object_id: str
) -> HttpResponse:
    """One object's history (also a deleted object's, for analysts)."""
    obj = trail.object_for_history(request.user, object_type, object_id)
    entries = trail.visible_entries(request.user).filter(
        object_type=object_type, object_id=object_id
    )
    if obj is None and not entries.exists():
        raise Http404
    model = trail.model_named(object_type)
    name = str(obj) if obj is not None else f"{model._meta.verbose_name} {object_id}"
    heading = _("History of %(object)s") % {"object": name}
    context = {"heading": heading, "subject": obj, "subject_kind": model._meta.verbose_name}
    return _trail_page(request, entries, context, model_filter=False)


@require_GET
@analyst_required
def audit_user(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The changes one user made (analysts: editors; admins: everyone)."""
    person: User = access.get_or_refuse(User.objects, request.user, access.VIEW, pk=pk)
    entries = trail.visible_entries(request.user).filter(user=person)
    name = person.get_full_name() or person.username
    context = {
        "heading": _("Changes made by %(name)s") % {"name": name},
        "person": person,
    }
    return _trail_page(request, entries, context)


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """What personal data Kommuneradar stores, why, for how long, who sees it, whom to ask."""
    return render(
        request,
        "accounts/privacy.html",
        {
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "retention_days": settings.RESPONDENT_RETENTION_DAYS,
            "invitation_days": settings.ACCOUNT_INVITATION_DAYS,
        },
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
