"""The pipeline's forms: a process with its contacts, its suitability assessment, a
measurement, an umbrella. Numbers accept a Danish decimal comma; every form keeps what
the user typed when it is refused."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from kommuneradar.accounts.models import User
from kommuneradar.catalog.models import Technology
from kommuneradar.places.models import Municipality

from .models import (
    Attachment,
    KleEntry,
    Measurement,
    Process,
    ProcessContact,
    SuitabilityAssessment,
    Umbrella,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_NEW_SYSTEMS = 10
SYSTEM_NAME_LENGTH = 120


def _danish_decimal(field: forms.Field) -> None:
    """A decimal typed the Danish way ("7,5"): a text box (a number box refuses the
    comma in most browsers) read with the active language's format."""
    if isinstance(field, forms.DecimalField):
        field.localize = True
        field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        field.widget.is_localized = True


class KleChoiceField(forms.ModelChoiceField[KleEntry]):
    """A KLE number typed as its number ("27.12.08"), checked against the plan."""

    widget = forms.TextInput(attrs={"list": "kle-numbers", "autocomplete": "off", "size": 12})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=KleEntry.objects.all(), to_field_name="number", **kwargs)
        self.error_messages["invalid_choice"] = _(
            "“%(value)s” is not a KLE number in the plan. Type a number such as 27.12.08."
        )

    def to_python(self, value: Any) -> KleEntry | None:
        try:
            return super().to_python(value.strip() if isinstance(value, str) else value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from exc


class ProcessForm(forms.ModelForm[Process]):
    """A process as its municipality's editor describes it. Editors' processes belong to
    their own municipality; analysts choose one."""

    kle = KleChoiceField(label=_("KLE number"), required=False)
    new_systems = forms.CharField(
        label=_("Other IT systems"),
        required=False,
        max_length=500,
        help_text=_("Systems not in the list, separated by commas."),
    )

    class Meta:
        model = Process
        fields = [
            "title",
            "summary",
            "description",
            "municipality",
            "domain",
            "kle",
            "form_code",
            "phase",
            "status",
            "visibility",
            "technologies",
            "systems",
            "new_systems",
            "run_frequency",
            "cases_per_year",
            "minutes_per_case",
            "automation_share",
            "legal_basis",
            "legal_basis_checked_on",
            "umbrella",
            "internal_notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
            "legal_basis_checked_on": DATE,
            "technologies": forms.CheckboxSelectMultiple,
            "systems": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        technologies = self.fields["technologies"]
        assert isinstance(technologies, forms.ModelMultipleChoiceField)
        technologies.queryset = Technology.objects.order_by("name_da")
        if user.is_analyst:
            municipality = self.fields["municipality"]
            assert isinstance(municipality, forms.ModelChoiceField)
            municipality.queryset = Municipality.objects.order_by("name")
        else:
            del self.fields["municipality"]
        for field in self.fields.values():
            _danish_decimal(field)
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("visibility", Process.Visibility.MUNICIPALITY)

    def clean_new_systems(self) -> list[str]:
        typed: str = self.cleaned_data.get("new_systems") or ""
        names = list(dict.fromkeys(name.strip() for name in typed.split(",") if name.strip()))
        if len(names) > MAX_NEW_SYSTEMS:
            raise forms.ValidationError(
                _("Name at most %(count)s new systems at a time.") % {"count": MAX_NEW_SYSTEMS}
            )
        if any(len(name) > SYSTEM_NAME_LENGTH for name in names):
            raise forms.ValidationError(_("A system's name can be at most 120 characters."))
        return names

    def clean_legal_basis_checked_on(self) -> datetime.date | None:
        checked: datetime.date | None = self.cleaned_data.get("legal_basis_checked_on")
        if checked is not None and checked > datetime.date.today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return checked


class ContactForm(forms.ModelForm[ProcessContact]):
    class Meta:
        model = ProcessContact
        fields = ["name", "role", "email", "phone"]


ContactFormSet = forms.inlineformset_factory(
    Process, ProcessContact, form=ContactForm, extra=1, max_num=10, can_delete=True
)


class AssessmentForm(forms.ModelForm[SuitabilityAssessment]):
    """The eight questions, each answered 1 (not at all) to 5 (fully)."""

    class Meta:
        model = SuitabilityAssessment
        fields = [*SuitabilityAssessment.QUESTIONS, "assessed_on"]
        widgets = {"assessed_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(value, str(value)) for value in range(1, 6)]
        for name in SuitabilityAssessment.QUESTIONS:
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("assessed_on", datetime.date.today())


class MeasurementForm(forms.ModelForm[Measurement]):
    """Hours spent on the process in one period, before (baseline) and with automation."""

    class Meta:
        model = Measurement
        fields = ["period_start", "period_end", "baseline_hours", "actual_hours", "note"]
        widgets = {"period_start": DATE, "period_end": DATE}

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        for field in self.fields.values():
            _danish_decimal(field)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start = cleaned.get("period_start")
        end = cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if end and end > datetime.date.today():
            self.add_error("period_end", _("The period cannot end in the future."))
        for name in ("baseline_hours", "actual_hours"):
            value: Decimal | None = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("Hours cannot be negative."))
        if not self.process.technologies.exists():
            raise forms.ValidationError(
                _(
                    "Choose the technologies the process uses before recording measurements: "
                    "the realised hours are followed up per technology."
                )
            )
        return cleaned

    def save(self, commit: bool = True) -> Measurement:
        measurement = super().save(commit=False)
        measurement.process = self.process
        if commit:
            measurement.save()
        return measurement


class UmbrellaForm(forms.ModelForm[Umbrella]):
    """An umbrella process; an editor's is led by their municipality, an analyst names it."""

    kle = KleChoiceField(label=_("KLE number"), required=False)

    class Meta:
        model = Umbrella
        fields = ["title", "description", "kle", "municipality"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.is_analyst:
            municipality = self.fields["municipality"]
            assert isinstance(municipality, forms.ModelChoiceField)
            municipality.queryset = Municipality.objects.order_by("name")
        else:
            del self.fields["municipality"]


ATTACHMENT_TYPES = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "txt", "csv", "png", "jpg", "bpmn"]
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class AttachmentForm(forms.ModelForm[Attachment]):
    """A file on a process: a process description, a specification, a diagram."""

    class Meta:
        model = Attachment
        fields = ["title", "file", "shared"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].validators.append(FileExtensionValidator(ATTACHMENT_TYPES))
        self.fields["file"].help_text = _(
            "PDF, Office, text, CSV, PNG, JPG or BPMN, at most 10 MB."
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
