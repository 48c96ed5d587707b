"""Forms for municipal editors and analysts: a project with its business case, and a
follow-up. Messages stand beside the field; what the user typed is kept."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kommuneradar.accounts.models import User
from kommuneradar.cases.models import Case
from kommuneradar.places.models import Municipality

from . import finance
from .models import BusinessCase, FollowUp, Indicator, Project

NOT_NEGATIVE = _("Must be zero or more.")


class ProjectForm(forms.ModelForm[Project]):
    """The project itself. Editors create projects for their own municipality only, so
    the municipality field is offered to analysts alone."""

    class Meta:
        model = Project
        fields = [
            "municipality",
            "title",
            "technology",
            "domain",
            "description",
            "citizens_affected",
            "staff_affected",
            "start_date",
            "status",
            "benefit_owner",
            "follow_up_months",
            "cases",
            "published",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.is_analyst:
            del self.fields["municipality"]
        else:
            municipality = self.fields["municipality"]
            assert isinstance(municipality, forms.ModelChoiceField)
            municipality.queryset = Municipality.objects.order_by("name")
        own = self.instance.municipality_id if self.instance.pk else user.municipality_id
        cases = self.fields["cases"]
        assert isinstance(cases, forms.ModelMultipleChoiceField)
        cases.queryset = Case.objects.filter(
            Q(state=Case.State.PUBLISHED) | Q(lead_municipality_id=own)
        ).order_by("title")
        cases.required = False

    def clean_start_date(self) -> datetime.date:
        start: datetime.date = self.cleaned_data["start_date"]
        if start.year < 2000:
            raise forms.ValidationError(_("The start date must be in the year 2000 or later."))
        return start

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start = cleaned.get("start_date")
        if start and self.instance.pk:
            earliest = min((f.measured_on for f in self.instance.follow_ups.all()), default=None)
            if earliest is not None and earliest < start:
                self.add_error(
                    "start_date",
                    _("The start date must come before the first follow-up (%(date)s).")
                    % {"date": earliest.isoformat()},
                )
        return cleaned


class BusinessCaseForm(forms.ModelForm[BusinessCase]):
    """Costs and gains, each with an optional pessimistic and optimistic value, and the
    discount rate typed as a percentage (3.5 means 3.5 %)."""

    discount_rate_percent = forms.DecimalField(
        label=_("Real discount rate (percent)"),
        min_value=Decimal(0),
        max_value=Decimal(20),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("3.5"),
        localize=True,
        help_text=_(
            "Between 0 and 20 percent. The Ministry of Finance's real rate is 3.5 percent."
        ),
    )

    class Meta:
        model = BusinessCase
        fields = [
            "one_off_cost",
            "one_off_cost_pessimistic",
            "one_off_cost_optimistic",
            "running_cost",
            "running_cost_pessimistic",
            "running_cost_optimistic",
            "gain_dkk",
            "gain_dkk_pessimistic",
            "gain_dkk_optimistic",
            "hours_freed",
            "hours_freed_pessimistic",
            "hours_freed_optimistic",
            "citizens_per_fte_before",
            "citizens_per_fte_after",
            "horizon_years",
        ]

    # (field of the likely value, whether more is better)
    ESTIMATES = (
        ("one_off_cost", False),
        ("running_cost", False),
        ("gain_dkk", True),
        ("hours_freed", True),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["discount_rate_percent"] = self.instance.discount_rate * 100
        for name, field in self.fields.items():
            if isinstance(field, forms.DecimalField) and name != "discount_rate_percent":
                _accept_danish_numbers(field)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for base, more_is_better in self.ESTIMATES:
            likely = cleaned.get(base)
            pessimistic = cleaned.get(f"{base}_pessimistic")
            optimistic = cleaned.get(f"{base}_optimistic")
            if likely is None:
                continue
            if pessimistic is not None and (
                pessimistic > likely if more_is_better else pessimistic < likely
            ):
                self.add_error(
                    f"{base}_pessimistic",
                    _("The pessimistic value must not be better than the likely one."),
                )
            if optimistic is not None and (
                optimistic < likely if more_is_better else optimistic > likely
            ):
                self.add_error(
                    f"{base}_optimistic",
                    _("The optimistic value must not be worse than the likely one."),
                )
        return cleaned

    def save(self, commit: bool = True) -> BusinessCase:
        case = super().save(commit=False)
        percent = self.cleaned_data.get("discount_rate_percent")
        rate = Decimal(str(finance.DEFAULT_DISCOUNT_RATE)) if percent is None else percent / 100
        case.discount_rate = rate.quantize(Decimal("0.0001"))
        if commit:
            case.save()
        return case


def _accept_danish_numbers(field: forms.DecimalField) -> None:
    """Accept a decimal comma in Danish ("3,5") and refuse negative amounts."""
    field.localize = True
    field.widget.is_localized = True
    field.widget.attrs["inputmode"] = "decimal"
    field.validators.append(_not_negative)


def _not_negative(value: Decimal | None) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError(NOT_NEGATIVE, code="negative")


class FollowUpForm(forms.ModelForm[FollowUp]):
    """A dated measurement of what the project realised, as yearly rates."""

    class Meta:
        model = FollowUp
        fields = [
            "measured_on",
            "hours_freed",
            "gain_dkk",
            "running_cost",
            "citizens_per_fte",
            "note",
        ]
        widgets = {
            "measured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                _accept_danish_numbers(field)

    def clean_measured_on(self) -> datetime.date:
        measured_on: datetime.date = self.cleaned_data["measured_on"]
        if measured_on < self.project.start_date:
            raise forms.ValidationError(
                _("The measurement must be dated on or after the project's start (%(date)s).")
                % {"date": self.project.start_date.isoformat()}
            )
        if measured_on > datetime.date.today():
            raise forms.ValidationError(_("The measurement cannot be dated in the future."))
        return measured_on

    def save(self, commit: bool = True) -> FollowUp:
        follow_up = super().save(commit=False)
        follow_up.project = self.project
        if commit:
            follow_up.save()
        return follow_up


class IndicatorForm(forms.ModelForm[Indicator]):
    """A quality or wellbeing indicator: baseline and target, and the realised value with
    the date it was measured (both or neither)."""

    class Meta:
        model = Indicator
        fields = ["dimension", "name", "unit", "baseline", "target", "realised", "realised_on"]
        widgets = {"realised_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.localize = True
                field.widget.is_localized = True
                field.widget.attrs["inputmode"] = "decimal"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        realised, realised_on = cleaned.get("realised"), cleaned.get("realised_on")
        if realised is not None and realised_on is None and "realised_on" not in self.errors:
            self.add_error("realised_on", _("Give the date the realised value was measured."))
        if realised_on is not None and realised is None and "realised" not in self.errors:
            self.add_error("realised", _("Give the realised value for this date."))
        if realised_on is not None and realised_on > datetime.date.today():
            self.add_error("realised_on", _("The measurement cannot be dated in the future."))
        return cleaned


IndicatorFormSet = forms.inlineformset_factory(
    BusinessCase, Indicator, form=IndicatorForm, extra=1, can_delete=True, max_num=20
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("One project per row. Nothing is saved unless every row is valid."),
    )
