"""The analysts' forms for reviewing a round's radar: ring overrides and correction notes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kommuneradar.catalog.models import Domain, Technology

from .models import ALL_DOMAINS, Ring


def scope_choices() -> list[tuple[str, str]]:
    return [(ALL_DOMAINS, str(_("All domains")))] + [
        (domain.slug, domain.name) for domain in Domain.objects.all()
    ]


class OverrideForm(forms.Form):
    scope = forms.ChoiceField(label=_("Radar"))
    technology = forms.ModelChoiceField(
        label=_("Technology"), queryset=Technology.objects.order_by("name_da")
    )
    ring = forms.ChoiceField(label=_("Ring shown"), choices=Ring.choices)
    reason = forms.CharField(
        label=_("Reason (shown on the public page)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices()  # type: ignore[attr-defined]

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason", "")).strip()
        if not reason:
            raise forms.ValidationError(_("Write the reason for the override."))
        return reason


class CorrectionForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed and why"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CorrectionImportForm(CorrectionForm):
    """A correction of a published round: the note, and optionally a file of corrected
    answers in the import format."""

    change_note = forms.CharField(
        label=_("What changed and why"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what changed and why.")},
    )
    file = forms.FileField(
        label=_("Corrected answers (CSV or XLSX, optional)"),
        required=False,
        help_text=_(
            "The import format: only the rows to correct. Without a file, the correction "
            "republishes the editions that changed since (ratings, overrides)."
        ),
    )

    def clean_change_note(self) -> str:
        note = str(self.cleaned_data.get("change_note", "")).strip()
        if not note:
            raise forms.ValidationError(_("Write what changed and why."))
        return note
