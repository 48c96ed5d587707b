"""Forms for municipal editors and analysts: a project with its business case, and a
follow-up. Messages stand beside the field; what the user typed is kept."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kommuneradar.accounts.models import User
from kommuneradar.cases.models import Case
from kommuneradar.core.templatetags.kr import num
from kommuneradar.places.forms import fit_municipality_field
from kommuneradar.places.models import Municipality

from . import finance
from .importing import MESSAGES as IMPORT_MESSAGES
from .models import BusinessCase, FollowUp, Indicator, Project

NOT_NEGATIVE = _("Must be zero or more.")
# The same sentences as the import's, from its catalogue entries.
ESTIMATE_PROBLEMS = {
    code: _(IMPORT_MESSAGES[code])
    for code in (finance.PESSIMISTIC_BETTER, finance.OPTIMISTIC_WORSE)
}


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
            fit_municipality_field(self, "municipality")
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


def _percent(share: float) -> Decimal:
    """A share (0.035) as the percentage typed in the form (3.5)."""
    percent = Decimal(str(share)) * 100
    return percent.quantize(Decimal(1)) if percent == percent.to_integral() else percent.normalize()


class BusinessCaseForm(forms.ModelForm[BusinessCase]):
    """Costs and gains, each with an optional pessimistic and optimistic value, and the
    discount rate typed as a percentage (3.5 means 3.5 %)."""

    discount_rate_percent = forms.DecimalField(
        label=_("Real discount rate (percent)"),
        min_value=Decimal(0),
        max_value=_percent(finance.MAX_DISCOUNT_RATE),
        max_digits=5,
        decimal_places=2,
        initial=_percent(finance.DEFAULT_DISCOUNT_RATE),
        localize=True,
    )

    class Meta:
        model = BusinessCase
        fields = [
            *finance.ESTIMATE_FIELDS,
            "citizens_per_fte_before",
            "citizens_per_fte_after",
            "horizon_years",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discount_rate_percent"].help_text = gettext(
            "Between 0 and %(highest)s percent. The Ministry of Finance's real rate is "
            "%(default)s percent."
        ) % {
            "highest": num(_percent(finance.MAX_DISCOUNT_RATE)),
            "default": num(_percent(finance.DEFAULT_DISCOUNT_RATE), 1),
        }
        if self.instance.pk:
            self.initial["discount_rate_percent"] = self.instance.discount_rate * 100
        for name, field in self.fields.items():
            if isinstance(field, forms.DecimalField) and name != "discount_rate_percent":
                _accept_danish_numbers(field)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for base, more_is_better in finance.ESTIMATES.items():
            likely = cleaned.get(base)
            if likely is None:
                continue
            stated = finance.ThreePoint.of(
                likely,
                cleaned.get(finance.scenario_field(base, finance.PESSIMISTIC)),
                cleaned.get(finance.scenario_field(base, finance.OPTIMISTIC)),
            )
            for scenario, problem in stated.problems(more_is_better).items():
                self.add_error(finance.scenario_field(base, scenario), ESTIMATE_PROBLEMS[problem])
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
