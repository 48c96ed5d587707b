from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from kommuneradar.catalog.models import Domain, Technology
from kommuneradar.places.models import Municipality, Region, municipality_choices

from .models import Case, ContactPerson, Effect
from .search import CaseCriteria
from .sizebands import SIZE_BANDS

SIZE_BAND_LABELS = {
    "under-30000": _("Under 30,000 inhabitants"),
    "30000-50000": _("30,000-49,999 inhabitants"),
    "50000-100000": _("50,000-99,999 inhabitants"),
    "over-100000": _("100,000 inhabitants or more"),
}


class CaseSearchForm(forms.Form):
    """The search box and facets of /cases/; field names are the (Danish) URL parameters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    teknologi = forms.ChoiceField(label=_("Technology"), required=False)
    fagomraade = forms.ChoiceField(label=_("Domain"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    stoerrelse = forms.ChoiceField(label=_("Municipality size"), required=False)
    kommune = forms.ChoiceField(label=_("Municipality"), required=False)
    effekter = forms.BooleanField(label=_("Only cases with documented effects"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        fields = self.fields
        technologies = Technology.objects.only("slug", "name_da", "name_en")
        fields["teknologi"].choices = anything + [(t.slug, t.name) for t in technologies]  # type: ignore[attr-defined]
        domains = Domain.objects.only("slug", "name_da", "name_en")
        fields["fagomraade"].choices = anything + [(d.slug, d.name) for d in domains]  # type: ignore[attr-defined]
        fields["region"].choices = anything + [(r.code, r.name) for r in Region.objects.all()]  # type: ignore[attr-defined]
        fields["status"].choices = anything + list(Case.Stage.choices)  # type: ignore[attr-defined]
        fields["stoerrelse"].choices = anything + [  # type: ignore[attr-defined]
            (band.slug, SIZE_BAND_LABELS[band.slug]) for band in SIZE_BANDS
        ]
        municipalities = municipality_choices()
        if municipalities is None:
            fields["kommune"] = forms.CharField(
                label=_("Municipality (name or code)"), required=False, max_length=100
            )
        else:
            fields["kommune"].choices = anything + [(m.url_code, m.name) for m in municipalities]  # type: ignore[attr-defined]

    def clean_kommune(self) -> str:
        """The municipality's URL code; a typed name or code is looked up (thousands of
        municipalities) and an unknown one is an error."""
        typed: str = self.cleaned_data.get("kommune") or ""
        if not typed:
            return typed
        # Looked up in both forms (list or text), so the page's queries do not depend on
        # how many municipalities there are.
        found = Municipality.objects.named(typed)
        if found is None:
            raise forms.ValidationError(
                _("No municipality is called or numbered “%(typed)s”."), params={"typed": typed}
            )
        return found.url_code

    def criteria(self) -> CaseCriteria:
        """The valid part of the request; an invalid facet is shown as an error and ignored."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()  # invalid fields are left out of cleaned_data
            data = self.cleaned_data
        return CaseCriteria(
            query=data.get("q") or "",
            technology=data.get("teknologi") or "",
            domain=data.get("fagomraade") or "",
            region=data.get("region") or "",
            stage=data.get("status") or "",
            with_effects=bool(data.get("effekter")),
            size_band=data.get("stoerrelse") or "",
            municipality=data.get("kommune") or "",
        )


class CaseForm(forms.ModelForm[Case]):
    """What an editor writes; the lead municipality comes from the URL, never the form."""

    class Meta:
        model = Case
        fields = [
            "title",
            "summary",
            "body",
            "lessons",
            "technologies",
            "domains",
            "partner_municipalities",
            "stage",
            "started_on",
            "ended_on",
            "budget_dkk",
            "staff_fte",
            "duration_months",
            "source",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "lessons": forms.Textarea(attrs={"rows": 5}),
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "ended_on": forms.DateInput(attrs={"type": "date"}),
            "technologies": forms.CheckboxSelectMultiple,
            "domains": forms.CheckboxSelectMultiple,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("The end date must be on or after the start date."))
        return cleaned


class EffectForm(forms.ModelForm[Effect]):
    class Meta:
        model = Effect
        fields = [
            "description",
            "dimension",
            "value",
            "unit",
            "baseline",
            "result",
            "measured_on",
            "method",
            "is_headline",
        ]
        widgets = {"measured_on": forms.DateInput(attrs={"type": "date"})}


class ContactForm(forms.ModelForm[ContactPerson]):
    class Meta:
        model = ContactPerson
        fields = ["name", "job_title", "email", "phone", "consent_to_publish"]


EffectFormSet = inlineformset_factory(
    Case, Effect, form=EffectForm, extra=1, can_delete=True, max_num=20
)
ContactFormSet = inlineformset_factory(
    Case, ContactPerson, form=ContactForm, extra=1, can_delete=True, max_num=5
)


class ReviewForm(forms.Form):
    """An analyst's decision on a submitted case; sending back needs a comment."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("return", _("Send back for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment to the editor"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "return" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what the editor should change."))
        return cleaned
