"""Choosing a municipality in a form: a drop-down list of Denmark's 98, a text field
resolved by name or code when there are thousands (`CHOICE_LIMIT`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CHOICE_LIMIT, Municipality


class MunicipalityNameField(forms.CharField):
    """A municipality typed by name or code ("Vejle", "Vejle Kommune", "630", "xs:S00001"),
    cleaned to the municipality (one indexed query)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", _("Type the name or the code, such as Vejle or 630."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Municipality):
            return value.name
        if isinstance(value, int):
            found = Municipality.objects.filter(pk=value).first()
            return found.name if found else ""
        return value

    def clean(self, value: Any) -> Municipality | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        found = Municipality.objects.named(text)
        if found is None:
            raise forms.ValidationError(
                _("No municipality is called or numbered “%(typed)s”."),
                code="unknown_municipality",
                params={"typed": text},
            )
        return found


class MunicipalityNamesField(forms.CharField):
    """Several municipalities typed one per line, each by name or code (one query each)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("One per line: the name or the code, such as Vejle or 630.")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) or value is None:
            return value
        pks = [item.pk if isinstance(item, Municipality) else item for item in value]
        names = dict(Municipality.objects.filter(pk__in=pks).values_list("pk", "name"))
        return "\n".join(names.get(pk, "") for pk in pks)

    def clean(self, value: Any) -> list[Municipality]:  # type: ignore[override]
        text = super().clean(value) or ""
        found: list[Municipality] = []
        unknown: list[str] = []
        for line in text.replace(";", "\n").splitlines():
            typed = line.strip()
            if not typed:
                continue
            municipality = Municipality.objects.named(typed)
            if municipality is None:
                unknown.append(typed)
            elif municipality not in found:
                found.append(municipality)
        if unknown:
            raise forms.ValidationError(
                _("No municipality is called or numbered: %(typed)s."),
                code="unknown_municipality",
                params={"typed": ", ".join(unknown)},
            )
        if self.required and not found:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return found


def fit_municipality_field(form: forms.BaseForm, name: str) -> None:
    """Replace the form's drop-down list of municipalities by a text field when there are
    more than `CHOICE_LIMIT` (one count query)."""
    field = form.fields.get(name)
    if field is None or Municipality.objects.count() <= CHOICE_LIMIT:
        return
    replacement: forms.Field
    if isinstance(field, forms.ModelMultipleChoiceField):
        replacement = MunicipalityNamesField(label=field.label, required=field.required)
    else:
        replacement = MunicipalityNameField(label=field.label, required=field.required)
    form.fields[name] = replacement
