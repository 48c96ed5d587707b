"""The forms of the pipeline's files and saved searches."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kommuneradar.accounts.models import User
from kommuneradar.places.models import Municipality


class SavedSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the search"),
        max_length=80,
        help_text=_("Saving under a name you already use replaces that search."),
        error_messages={"required": _("Give the search a name.")},
    )
    query = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError(_("Give the search a name."))
        return name


class Os2ImportForm(forms.Form):
    """The upload of an OS2autoproces export; analysts choose the municipality, editors
    import into their own."""

    file = forms.FileField(
        label=_("OS2autoproces export (XLSX)"),
        help_text=_(
            "The Excel file OS2autoproces exports, one process per row. Nothing is saved "
            "unless every row is valid."
        ),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        help_text=_("The municipality whose pipeline the processes are added to."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not user.is_analyst:
            del self.fields["municipality"]
