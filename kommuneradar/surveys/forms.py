from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kommuneradar.catalog.models import Technology

from . import rules
from . import vocabulary as v
from .models import Dimension, Round, Stage, ValueLevel

DIMENSION_LABELS = dict(Dimension.choices)
ANSWER_MESSAGES = {
    rules.MISSING: _("Choose an answer."),
    rules.UNKNOWN_STAGE: _("Choose one of the listed stages."),
    rules.UNKNOWN_VALUE: _("Choose one of the listed values."),
    rules.VALUE_FOR_NOT_RELEVANT: _("Leave this empty when the technology is not relevant."),
}


def _value_choice(dimension: str) -> forms.ChoiceField:
    """The value answered for one dimension; empty is no answer."""
    return forms.ChoiceField(
        label=DIMENSION_LABELS[dimension],
        choices=[("", _("No answer")), *list(ValueLevel.choices)],
        required=False,
    )


class AnswerForm(forms.Form):
    """One technology in the questionnaire: stage, value per dimension, comment."""

    stage = forms.ChoiceField(
        label=_("Adoption stage"),
        choices=[("", _("Choose stage")), *list(Stage.choices)],
        required=False,
    )
    efficiency = _value_choice(v.EFFICIENCY)
    quality = _value_choice(v.QUALITY)
    wellbeing = _value_choice(v.WELLBEING)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, technology: Technology, submit: bool = False, **kwargs: Any):
        kwargs["prefix"] = f"t{technology.pk}"
        super().__init__(*args, **kwargs)
        self.technology = technology
        self.submit = submit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        stage = data.get("stage", "")
        values = {dimension: data.get(dimension, "") for dimension in v.DIMENSIONS}
        if not stage and not any(values.values()) and not data.get("comment") and not self.submit:
            return data  # an untouched technology in a draft
        for name, code in rules.validate_answer(stage, values, require_values=self.submit).items():
            self.add_error(name, ANSWER_MESSAGES[code])
        return data

    @property
    def value_kind(self) -> str:
        stage = self["stage"].value() or ""
        return rules.value_kind(str(stage))

    def answer_fields(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "stage": data.get("stage", ""),
            **{v.value_field(dimension): data.get(dimension, "") for dimension in v.DIMENSIONS},
            "comment": data.get("comment", ""),
        }


class RoundForm(forms.ModelForm[Round]):
    class Meta:
        model = Round
        fields = ["year", "opens_on", "closes_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The round must close on or after the day it opens."))
        return data


class RecipientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.CharField(label=_("Role or job title"), max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Semicolon or comma separated; UTF-8 or Windows-1252; or an Excel workbook."),
    )


class RatingForm(forms.Form):
    """The experts' maturity rating of one technology for the round's year."""

    rating = forms.TypedChoiceField(
        label=_("Maturity rating (1-9)"),
        choices=[("", _("Not rated"))] + [(str(n), str(n)) for n in range(1, 10)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    rationale = forms.CharField(
        label=_("Rationale"), required=False, max_length=2000, widget=forms.TextInput()
    )

    def __init__(self, *args: Any, technology: Technology, **kwargs: Any):
        kwargs["prefix"] = f"r{technology.pk}"
        super().__init__(*args, **kwargs)
        self.technology = technology
        # The table's row and column headings name each input (no room for a label per cell).
        for name, column in (("rating", "column-rating"), ("rationale", "column-rationale")):
            self.fields[name].widget.attrs["aria-labelledby"] = (
                f"technology-{technology.pk} {column}"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rationale") and data.get("rating") is None:
            self.add_error("rating", _("Give a rating, or leave the rationale empty."))
        return data
