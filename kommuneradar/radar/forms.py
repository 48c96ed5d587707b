"""The analysts' forms: reviewing a round's radar (ring overrides, correction notes) and
importing another radar tool's file as an editorial radar."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kommuneradar.catalog.models import Domain, Technology

from .models import ALL_DOMAINS, EditorialRadar, Ring


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


def _names(text: str) -> list[str]:
    """Ring or quadrant names, one a line, or a JSON list as BYOR's settings hold them."""
    text = text.strip()
    if text.startswith("["):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError:
            loaded = None
        if not isinstance(loaded, list) or not all(isinstance(n, str) for n in loaded):
            raise forms.ValidationError(_("Write one name a line, or a JSON list of names."))
        return [n.strip() for n in loaded if n.strip()]
    return [line.strip() for line in text.splitlines() if line.strip()]


class EditorialImportForm(forms.Form):
    """An analyst's upload of another radar tool's file as an editorial radar."""

    name = forms.CharField(label=_("Name of the radar"), max_length=200)
    source = forms.ChoiceField(label=_("Format"), choices=EditorialRadar.Source.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "BYOR: CSV or JSON with name, ring, quadrant, isNew or status, description. "
            "Backstage: the tech-radar JSON (quadrants, rings, entries with timelines). "
            "Nothing is saved unless every row is valid; the radar is public once imported."
        ),
    )
    date = forms.DateField(
        label=_("Date of the edition (BYOR)"),
        required=False,
        help_text=_("YYYY-MM-DD; today when empty. A Backstage file carries its own dates."),
    )
    rings = forms.CharField(
        label=_("Rings, innermost first (BYOR, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("As the BYOR setting RINGS; when empty, the order is worked out."),
    )
    quadrants = forms.CharField(
        label=_("Quadrants (BYOR, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("As the BYOR setting QUADRANTS; when empty, in the order they appear."),
    )

    def clean_rings(self) -> list[str]:
        names = _names(self.cleaned_data.get("rings", ""))
        if len(names) > 4:
            raise forms.ValidationError(_("A radar has at most four rings."))
        return names

    def clean_quadrants(self) -> list[str]:
        names = _names(self.cleaned_data.get("quadrants", ""))
        if len(names) > 4:
            raise forms.ValidationError(_("A radar has at most four quadrants."))
        return names


class StoryForm(forms.Form):
    """An edition's introduction, its expert panel and its named contact."""

    scope = forms.ChoiceField(label=_("Radar"))
    introduction = forms.CharField(
        label=_("Introduction"),
        max_length=6000,
        required=False,
        help_text=_(
            "Shown above the radar and on the report's cover. Plain text; "
            "blank lines part paragraphs."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    expert_panel = forms.CharField(
        label=_("Expert panel"),
        max_length=3000,
        required=False,
        help_text=_("Who rated the technologies' maturity, and how; shown on the method page."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_name = forms.CharField(label=_("Contact's name"), max_length=200, required=False)
    contact_role = forms.CharField(label=_("Contact's role"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact's e-mail"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("introduction", "expert_panel", "contact_name", "contact_role"):
            data[name] = str(data.get(name, "")).strip()
        if data.get("contact_email") and not data.get("contact_name"):
            self.add_error("contact_name", _("Give the contact's name with the e-mail address."))
        return data


class RingReasonForm(forms.Form):
    """Why a technology is in its ring ("hvorfor denne ring")."""

    scope = forms.ChoiceField(label=_("Radar"))
    technology = forms.ModelChoiceField(
        label=_("Technology"), queryset=Technology.objects.order_by("name_da")
    )
    text = forms.CharField(
        label=_("Why this ring"),
        max_length=3000,
        help_text=_("Shown on the radar, the technology's page and in the report."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices()  # type: ignore[attr-defined]

    def clean_text(self) -> str:
        text = str(self.cleaned_data.get("text", "")).strip()
        if not text:
            raise forms.ValidationError(_("Write why the technology is in its ring."))
        return text
