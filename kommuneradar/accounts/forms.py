from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kommuneradar.places.forms import fit_municipality_field
from kommuneradar.places.models import Municipality

from .models import User
from .services import username_for


class LoginForm(AuthenticationForm):
    """Django's login form; the username field also takes the e-mail address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address (or username) and password do not match an active account. "
            "Check both and try again; the password is case-sensitive."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address or username")
        self.fields["password"].label = _("Password")


class MunicipalityChoiceField(forms.ModelChoiceField[Municipality]):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name


class InviteForm(forms.Form):
    """An analyst invites a municipal editor."""

    name = forms.CharField(label=_("Name"), max_length=300)
    email = forms.EmailField(label=_("E-mail address"))
    municipality = MunicipalityChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Choose a municipality"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fit_municipality_field(self, "municipality")

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        existing = User.objects.filter(username=username_for(email)).first()
        if existing is None:
            existing = User.objects.filter(email__iexact=email.strip()).first()
        if existing is not None and (
            existing.role != User.Role.EDITOR
            or existing.has_usable_password()
            or existing.username != username_for(email)
        ):
            raise forms.ValidationError(
                _("%(email)s already has an account; it is listed below."), params={"email": email}
            )
        return email


class ActiveForm(forms.Form):
    active = forms.BooleanField(required=False)


class AuditFilterForm(forms.Form):
    """The filters of an audit trail page: model, action, date range (local days)."""

    model = forms.ChoiceField(label=_("Kind of object"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To (date, included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, data: Any, *, models: list[tuple[str, str]], actions: list[str]) -> None:
        super().__init__(data)
        self.fields["model"].choices = [("", _("All kinds")), *models]  # type: ignore[attr-defined]
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", _("All actions")),
            *[(action, action) for action in actions],
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return cleaned


class TokenForm(forms.Form):
    """Name a new API token after what will use it."""

    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("E.g. the system or script that will use it: “Sagssystem” or “Excel-import”."),
    )
